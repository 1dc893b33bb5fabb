use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use schemactl_diagnostics::ErrorFormat;

/// Protobuf schema registry and breaking-change linter for a central schema
/// repository. Buf-compatible rules, config and output.
#[derive(Debug, Parser)]
#[command(name = "schemactl", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Output format for findings and compile errors: `FORMAT` on stdout
    /// (at most one; default `text`), `FORMAT=FILE` that format into FILE
    /// (created or truncated). Repeatable: one run, several outputs.
    /// Formats: text, json, github-actions, sarif, junit, msvs,
    /// gitlab-code-quality, markdown.
    #[arg(long, global = true, value_name = "FORMAT[=FILE]", value_parser = parse_format_target, action = clap::ArgAction::Append)]
    pub error_format: Vec<FormatTarget>,
    /// When to use colours (NO_COLOR is honoured for `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Configuration file to use instead of the one found at the top of the
    /// input (schemactl.yaml, then buf.yaml, then buf.work.yaml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print what is being done, with timings, on stderr.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// The exit code for findings (rule violations, compile errors): `1`
    /// (schemactl's), or `buf` for Buf's 100, for scripts that test for it.
    #[arg(long, global = true, value_enum, value_name = "CODE", default_value_t = ExitCodeStyle::Schemactl)]
    pub exit_code: ExitCodeStyle,
}

/// `--exit-code`: which code findings exit with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExitCodeStyle {
    /// 1, schemactl's findings code.
    #[value(name = "1")]
    Schemactl,
    /// 100, Buf's findings code (`--exit-code 100` too).
    #[value(alias = "100")]
    Buf,
}

impl ExitCodeStyle {
    /// The exit code of a command that ended with findings.
    pub fn findings(self) -> u8 {
        match self {
            ExitCodeStyle::Schemactl => 1,
            ExitCodeStyle::Buf => 100,
        }
    }
}

/// One `--error-format` value: a format, and the file it goes to (`None`:
/// stdout; `build` prints its compile errors on stderr, as Buf does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatTarget {
    pub format: ErrorFormat,
    pub file: Option<PathBuf>,
}

/// `FORMAT` or `FORMAT=FILE` (`FORMAT=-` is stdout).
fn parse_format_target(value: &str) -> Result<FormatTarget, String> {
    let (name, file) = match value.split_once('=') {
        Some((name, file)) => (name, Some(file)),
        None => (value, None),
    };
    let Some(format) = ErrorFormat::from_name(name) else {
        let names: Vec<&str> = ErrorFormat::ALL.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "unknown format `{name}`; the formats are {} (FORMAT on stdout, FORMAT=FILE into a file)",
            names.join(", ")
        ));
    };
    let file = match file {
        None | Some("-") => None,
        Some("") => {
            return Err(format!(
                "`{value}` names no file; write `{name}=FILE`, or `{name}` for stdout"
            ));
        }
        Some(file) => Some(PathBuf::from(file)),
    };
    Ok(FormatTarget { format, file })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile the schemas and write a FileDescriptorSet with source info.
    Build(BuildArgs),
    /// Check naming and structure rules (Buf's lint rules, plus TOPIC rules
    /// for the topic catalog).
    Lint(LintArgs),
    /// Report breaking changes against a previous version (by default the
    /// latest release tag reachable from HEAD).
    Breaking(BreakingArgs),
    /// Compile, lint, topic rules and breaking changes in one run: what CI
    /// and a pre-push hook run.
    Check(CheckArgs),
    /// What changed between two versions, per topic, message and field, and
    /// the semver bump it implies.
    Diff(DiffArgs),
    /// Tag the next release: the version is computed from the changes since
    /// the last release tag (major if breaking, minor if added, else patch).
    Release(ReleaseArgs),
    /// Generate code with the plugins configured in `generate:` (or a
    /// buf.gen.yaml v2), writing only files whose content changed.
    #[command(disable_version_flag = true)]
    Generate(GenerateArgs),
    /// Serve topics and schema versions over HTTP: a native JSON API, the
    /// Confluent Schema Registry API (read side), a web UI and metrics.
    Serve(ServeArgs),
    /// List every rule with its categories and whether it is on by default.
    Rules(RulesArgs),
    /// Show a rule's documentation.
    Explain(ExplainArgs),
    /// Git hooks that run schemactl: `hook install` sets up a pre-push hook
    /// running `check`.
    #[command(subcommand)]
    Hook(HookCommand),
    /// GitHub: the sticky pull-request comment and the consumer update pull
    /// requests (API base from GITHUB_API_URL, token from GITHUB_TOKEN).
    #[command(subcommand)]
    Github(GithubCommand),
    /// Kafka: apply the catalog to a cluster (topics, partitions, configs,
    /// producer and reader ACLs), export it for Strimzi, and audit that a
    /// topic carries only its message type.
    #[command(subcommand)]
    Kafka(KafkaCommand),
}

#[derive(Debug, Subcommand)]
pub enum KafkaCommand {
    /// Show what differs between the catalog and the cluster: topics to
    /// create, partitions to add, configs that drifted, ACLs to add and ACLs
    /// the catalog does not grant. Exits 0 when in sync, 1 when not.
    Plan(KafkaPlanArgs),
    /// Carry out the plan. Never deletes a topic; removes extra ACLs and
    /// topic config overrides only with --prune.
    Apply(KafkaApplyArgs),
    /// Write the catalog's topics and users as Strimzi resources (or JSON),
    /// for clusters managed through GitOps.
    Export(KafkaExportArgs),
    /// Read a topic's records and report every one that is not the topic's
    /// message type (no Confluent header, a schema id that is none of the
    /// topic's versions, bytes that do not decode). Exits 1 on any.
    Audit(KafkaAuditArgs),
}

/// How to reach the cluster, shared by the `kafka` commands.
#[derive(Debug, Args)]
pub struct KafkaClusterArgs {
    /// Brokers to bootstrap from, HOST:PORT[,HOST:PORT...].
    #[arg(long, value_name = "HOST:PORT")]
    pub bootstrap_server: String,
    /// A Kafka client properties file (as kafka-topics.sh takes it):
    /// security.protocol, sasl.mechanism, sasl.jaas.config,
    /// ssl.truststore.location (PEM), request.timeout.ms.
    #[arg(long, value_name = "FILE")]
    pub command_config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KafkaPlanFormat {
    Text,
    Json,
    /// For a pull-request comment.
    Markdown,
}

#[derive(Debug, Args)]
pub struct KafkaPlanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub cluster: KafkaClusterArgs,
    /// Output format of the plan.
    #[arg(long, value_enum, default_value = "text")]
    pub format: KafkaPlanFormat,
}

#[derive(Debug, Args)]
pub struct KafkaApplyArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub cluster: KafkaClusterArgs,
    /// Also remove the ACLs on catalog topics that the catalog does not
    /// grant, and topic config overrides it does not set.
    #[arg(long)]
    pub prune: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KafkaExportFormat {
    /// KafkaTopic and KafkaUser resources (kafka.strimzi.io/v1beta2).
    Strimzi,
    /// Topics, ACLs and principals as JSON.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrimziAuthentication {
    /// Principal User:NAME.
    #[value(name = "scram-sha-512")]
    ScramSha512,
    /// Principal User:CN=NAME.
    Tls,
}

#[derive(Debug, Args)]
pub struct KafkaExportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, value_enum)]
    pub format: KafkaExportFormat,
    /// The Strimzi Kafka cluster the resources belong to (the
    /// strimzi.io/cluster label). Required with --format strimzi.
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// The namespace of the resources.
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// How the KafkaUsers authenticate (fixes their principal).
    #[arg(long, value_enum, default_value = "scram-sha-512")]
    pub authentication: StrimziAuthentication,
    /// Write to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KafkaAuditFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct KafkaAuditArgs {
    /// The schema repository (a git repository with release tags): the
    /// topic's versions and schema ids are those `schemactl serve` gives.
    #[arg(default_value = ".")]
    pub input: String,
    #[command(flatten)]
    pub cluster: KafkaClusterArgs,
    /// The topic to read.
    #[arg(long, value_name = "TOPIC")]
    pub topic: String,
    /// Read at most this many records (from the start of each partition).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_records: usize,
    #[arg(long, value_enum, default_value = "text")]
    pub format: KafkaAuditFormat,
}

#[derive(Debug, Subcommand)]
pub enum GithubCommand {
    /// Create or update the one pull-request comment with the check report
    /// (found by a hidden marker).
    Comment(GithubCommentArgs),
    /// Open or update a pull request in every consumer repository of
    /// `schemactl.yaml` that bumps its pinned version to a release, servers
    /// before clients.
    Consumers(GithubConsumersArgs),
}

/// Where GitHub is and who we are, shared by the `github` commands.
#[derive(Debug, Args)]
pub struct GithubApiArgs {
    /// The REST API base: `https://api.github.com`, or `https://HOST/api/v3` on
    /// GitHub Enterprise Server. Default: GITHUB_API_URL, else api.github.com.
    #[arg(long, value_name = "URL")]
    pub github_api_url: Option<String>,
    /// Read the token from the first line of FILE instead of GITHUB_TOKEN.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GithubCommentArgs {
    /// The schema directory to check (ignored with --body-file).
    #[arg(default_value = ".")]
    pub input: String,
    /// The repository, OWNER/NAME (default: GITHUB_REPOSITORY).
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// The pull request's number.
    #[arg(long, value_name = "N")]
    pub pr: u64,
    /// What to compare against for breaking changes (a git ref, directory or
    /// image). Default: the latest release tag.
    #[arg(long, value_name = "REF")]
    pub against: Option<String>,
    /// Post this body (written by `check --comment FILE`) instead of running
    /// the check.
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// The head commit the report is about; an update is skipped when the
    /// pull request's head has moved on. Default: the pull request event's
    /// head, else HEAD of the input's repository.
    #[arg(long, value_name = "SHA")]
    pub head_sha: Option<String>,
    /// The hidden marker that identifies the comment: two workflows with
    /// different markers each keep their own.
    #[arg(long, value_name = "TEXT", default_value = "schemactl")]
    pub marker: String,
    #[command(flatten)]
    pub api: GithubApiArgs,
}

#[derive(Debug, Args)]
pub struct GithubConsumersArgs {
    /// The schema directory (its schemactl.yaml lists the consumers).
    #[arg(default_value = ".")]
    pub input: String,
    /// The release to update the consumers to (a tag, e.g. v1.2.0).
    #[arg(long, value_name = "TAG")]
    pub release: String,
    /// Read and plan; send no write (only GET requests).
    #[arg(long)]
    pub dry_run: bool,
    /// Append the summary table, in markdown, to FILE (e.g.
    /// $GITHUB_STEP_SUMMARY).
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
    #[command(flatten)]
    pub api: GithubApiArgs,
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Install a git pre-push hook that runs `schemactl check INPUT` on
    /// every commit being pushed and refuses the push when it fails.
    Install(HookInstallArgs),
}

#[derive(Debug, Args)]
pub struct HookInstallArgs {
    /// The schema directory inside the repository, as `check` takes it.
    #[arg(default_value = ".")]
    pub input: String,
    /// Replace a pre-push hook that schemactl did not write.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Suppress findings already recorded in this file (the output of
    /// `--error-format json`), for repositories adopting the linter.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub paths: PathArgs,
}

/// Buf's `--path` and `--exclude-path`.
#[derive(Debug, Args, Default)]
pub struct PathArgs {
    /// Check only these files or directories of the input, written from
    /// the current directory like the input (`proto/acme/v1`); breaking
    /// changes are compared for them on both sides, and `build` writes
    /// them and their imports. Repeatable. The other files are still
    /// compiled.
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<String>,
    /// Do not report on these files or directories. Repeatable; may not
    /// contain a `--path`.
    #[arg(long = "exclude-path", value_name = "PATH")]
    pub exclude_paths: Vec<String>,
}

#[derive(Debug, Args)]
pub struct BreakingArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// What to compare against: a directory, a .binpb image, a git ref of the
    /// repository holding INPUT (tag, branch, commit), or Buf's
    /// `.git#tag=v1.0.0,subdir=proto`. Default: the latest release tag
    /// reachable from HEAD.
    #[arg(long, value_name = "AGAINST")]
    pub against: Option<String>,
    /// Compare only the input's own files, not the files they import (by
    /// default, as in Buf, imports are compared too: a file no longer
    /// imported counts as deleted).
    #[arg(long)]
    pub exclude_imports: bool,
    #[command(flatten)]
    pub paths: PathArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// What to compare against (see `breaking --against`). Default: the
    /// latest release tag reachable from HEAD; with none, breaking checks are
    /// skipped (first release).
    #[arg(long, value_name = "AGAINST")]
    pub against: Option<String>,
    /// Suppress findings already recorded in this file (see `lint --baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Report breaking changes as warnings (a reviewed breaking change; the
    /// next release will be major).
    #[arg(long)]
    pub allow_breaking: bool,
    /// The trusted ref whose `generate:` section says which plugins the
    /// freshness check of generated code runs (a pull request's own section
    /// is never followed). Default: the pull request's base branch in
    /// GitHub Actions (`GITHUB_BASE_REF`), else the input's own section.
    #[arg(long, value_name = "REF")]
    pub trusted_ref: Option<String>,
    /// Skip the freshness check of generated code.
    #[arg(long)]
    pub no_generate: bool,
    /// Run every plugin, without the cache of plugin responses (see
    /// `generate --no-cache`).
    #[arg(long)]
    pub no_cache: bool,
    /// Also write the body of a pull request comment (GitHub Markdown: a
    /// status table, the findings by file, the change summary and bump, the
    /// diff of each changed `.proto` file) to FILE, cut to fit GitHub's
    /// limit. In GitHub Actions (`GITHUB_REPOSITORY` set) findings link to
    /// their lines at the pull request's head commit.
    #[arg(long, value_name = "FILE")]
    pub comment: Option<PathBuf>,
    #[command(flatten)]
    pub paths: PathArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The old version: a git ref of the repository holding INPUT, a
    /// directory, an image, or `.git#tag=...`.
    #[arg(long, value_name = "REF")]
    pub from: String,
    /// The new version (same forms). Default: INPUT as it is on disk.
    #[arg(long, value_name = "REF")]
    pub to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// The schema directory inside the repository.
    #[arg(default_value = ".")]
    pub input: String,
    /// Print the tag name (first line) and the summary; create nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Let a reviewed breaking change through (forces a major version).
    #[arg(long)]
    pub allow_breaking: bool,
    /// Output format: `text` (the tag on line 1, then the summary) or `json`
    /// (one object on one line: tag, version, previous, bump, created,
    /// changes), for a pipeline to chain the next steps.
    #[arg(long, value_enum, default_value_t = ReleaseFormat::Text)]
    pub format: ReleaseFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReleaseFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print as JSON lines (id, categories, default, summary).
    #[arg(long)]
    pub json: bool,
    /// Write the rules reference (one markdown page per rule) into DIR.
    #[arg(long, value_name = "DIR")]
    pub write_docs: Option<PathBuf>,
    /// The rules, categories and defaults of a Buf configuration of this
    /// version (`v1` also applies with no configuration file; `v2` also to
    /// `schemactl.yaml`), like `buf config ls-lint-rules --version`.
    #[arg(long, value_enum, value_name = "VERSION", default_value_t = ConfigVersion::V2)]
    pub config_version: ConfigVersion,
}

/// `rules --config-version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfigVersion {
    V1beta1,
    V1,
    V2,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule ID, e.g. FIELD_LOWER_SNAKE_CASE.
    pub rule: String,
}

/// Where the schemas come from: shared by every command that reads them.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// A directory, a FileDescriptorSet image (.binpb), or Buf's
    /// `path/.git#tag=v1.0.0,subdir=proto` form.
    #[arg(default_value = ".")]
    pub input: String,
    /// Read INPUT as it is at this git ref (tag, branch, commit) without
    /// checking it out.
    #[arg(long = "ref", value_name = "REF")]
    pub git_ref: Option<String>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the FileDescriptorSet here (`-` for stdout). Without it, the
    /// schemas are only compiled and checked.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Leave imported files (well-known types) out of the output.
    #[arg(long)]
    pub exclude_imports: bool,
    /// Leave source info (locations, comments) out of the output.
    #[arg(long)]
    pub exclude_source_info: bool,
    #[command(flatten)]
    pub paths: PathArgs,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The directory holding the schemas and their configuration; output
    /// directories are relative to it.
    #[arg(default_value = ".")]
    pub input: String,
    /// Write nothing: regenerate in memory and fail (exit 1) when the
    /// committed output differs, one finding per changed, missing or extra
    /// file.
    #[arg(long)]
    pub check: bool,
    /// Seconds one plugin run may take before it is killed.
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    pub timeout: u64,
    /// Generate the release X.Y.Z: package manifests carry this version,
    /// and topic bindings the schema ids of that release (the tags older
    /// than it, then the schemas being generated).
    #[arg(long, value_name = "X.Y.Z")]
    pub version: Option<semver::Version>,
    /// Generate from the schemas as they are at this git ref (tag, branch,
    /// commit) instead of the working tree; output still goes under INPUT.
    #[arg(long = "ref", value_name = "REF")]
    pub git_ref: Option<String>,
    /// Run every plugin, without the cache of plugin responses (also
    /// `SCHEMACTL_NO_CACHE=1`). The cache lives in `SCHEMACTL_CACHE_DIR`,
    /// else `$XDG_CACHE_HOME/schemactl`, else `~/.cache/schemactl`.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The schema repository: a local git repository (or a directory in
    /// one), or a remote git URL to mirror and keep fetching.
    #[arg(default_value = ".")]
    pub repo: String,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8081", value_name = "HOST:PORT")]
    pub addr: std::net::SocketAddr,
    /// Seconds between refreshes (fetch, then compile new tags); 0 refreshes
    /// only on the webhook.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub poll: u64,
    /// Where a remote repository is mirrored (default: under
    /// $XDG_CACHE_HOME/schemactl/repos).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// File holding a bearer token that every read must present
    /// (`Authorization: Bearer <token>`, or HTTP Basic with the token as
    /// password). Health, readiness and metrics stay open.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// File holding the GitHub webhook secret; enables
    /// `POST /api/v1/hooks/github`.
    #[arg(long, value_name = "FILE")]
    pub webhook_secret_file: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub body_limit: usize,
    /// Longest time a request may take, in seconds.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub request_timeout: u64,
    /// Longest time a client may take to send a request's head, and to
    /// stay silent between requests on a kept-alive connection, in seconds;
    /// slower connections are closed.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub header_timeout: u64,
    /// Connections served at once; when all are taken, the one idle the
    /// longest is closed to make room.
    #[arg(long, default_value_t = 1024, value_name = "N")]
    pub max_connections: usize,
    /// CPU-heavy requests (lookup, compatibility, validate, diff,
    /// descriptor sets) run at once; more wait briefly, then get 429 (default: the number of cores
    /// less one, at least one).
    #[arg(long, value_name = "N")]
    pub max_jobs: Option<usize>,
}
