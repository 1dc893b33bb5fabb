use std::collections::BTreeMap;

/// Where the configuration came from; rules use it to match Buf's defaults,
/// which differ between versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigKind {
    /// `schemactl.yaml`.
    Schemactl { file: String },
    /// `buf.yaml` with `version: v1`, or a `buf.work.yaml`.
    BufV1 { file: String },
    /// `buf.yaml` with `version: v1beta1`: v1's semantics with v1beta1's
    /// rule tables.
    BufV1Beta1 { file: String },
    /// `buf.yaml` with `version: v2`.
    BufV2 { file: String },
    /// No configuration file: Buf's behaviour without a `buf.yaml`, which is
    /// its v1 defaults.
    None,
}

impl ConfigKind {
    /// Whether Buf's v1 semantics apply (rule set, comment-ignore default).
    pub fn is_buf_v1(&self) -> bool {
        matches!(
            self,
            ConfigKind::BufV1 { .. } | ConfigKind::BufV1Beta1 { .. } | ConfigKind::None
        )
    }

    /// Which of Buf's rule tables apply: v1beta1, v1 (also with no
    /// configuration file) or v2 (also for `schemactl.yaml`).
    pub fn buf_version(&self) -> BufVersion {
        match self {
            ConfigKind::BufV1Beta1 { .. } => BufVersion::V1Beta1,
            ConfigKind::BufV1 { .. } | ConfigKind::None => BufVersion::V1,
            ConfigKind::BufV2 { .. } | ConfigKind::Schemactl { .. } => BufVersion::V2,
        }
    }

    pub fn file(&self) -> Option<&str> {
        match self {
            ConfigKind::Schemactl { file }
            | ConfigKind::BufV1 { file }
            | ConfigKind::BufV1Beta1 { file }
            | ConfigKind::BufV2 { file } => Some(file),
            ConfigKind::None => None,
        }
    }
}

/// A Buf configuration version: which rules exist, their categories and
/// defaults differ between the three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BufVersion {
    V1Beta1,
    V1,
    V2,
}

impl BufVersion {
    /// `v1beta1`, `v1` or `v2`, as written in `version:`.
    pub fn as_str(self) -> &'static str {
        match self {
            BufVersion::V1Beta1 => "v1beta1",
            BufVersion::V1 => "v1",
            BufVersion::V2 => "v2",
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub kind: ConfigKind,
    /// Proto include roots (Buf modules), relative to the input directory,
    /// `/`-separated, `.` for the input itself. Never empty.
    pub modules: Vec<Module>,
    pub lint: LintConfig,
    pub breaking: BreakingConfig,
    /// Topic name → topic, sorted by name.
    pub topics: BTreeMap<String, Topic>,
    /// Code generation; `None` when neither a `generate:` section nor a
    /// `buf.gen.yaml` configures it.
    pub generate: Option<GenerateConfig>,
    pub consumers: Vec<Consumer>,
    pub release: ReleaseConfig,
    /// How the catalog maps onto a Kafka cluster (`kafka:`).
    pub kafka: KafkaConfig,
    /// Every rule or category ID the configuration names, where it names
    /// it: checked against the rules by `schemactl_rules::check_rule_refs`.
    pub rule_refs: Vec<RuleRef>,
}

impl Config {
    /// The rule tables that apply to the files of module `index` (see
    /// [`Module::version`]).
    pub fn module_version(&self, index: usize) -> BufVersion {
        self.modules
            .get(index)
            .and_then(|m| m.version)
            .unwrap_or_else(|| self.kind.buf_version())
    }
}

/// One rule or category ID named in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    /// The configuration file, as the user should see its path.
    pub file: String,
    /// The key path that names it (`lint.severity`, `modules[0].breaking.use`).
    pub key: String,
    pub id: String,
    pub kind: RuleRefKind,
    /// 1-based.
    pub line: usize,
    pub column: usize,
}

/// What a rule reference may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleRefKind {
    /// A lint rule or category.
    Lint,
    /// A lint rule (per-rule settings such as `severity`).
    LintRuleOnly,
    /// A breaking rule or category.
    Breaking,
}

impl Config {
    /// Buf's behaviour with no configuration file: one module at the input
    /// root with v1 defaults.
    pub fn buf_default() -> Self {
        Config {
            kind: ConfigKind::None,
            modules: vec![Module::root(".")],
            lint: LintConfig::v1_default(),
            breaking: BreakingConfig::default(),
            topics: BTreeMap::new(),
            generate: None,
            consumers: Vec::new(),
            release: ReleaseConfig::default(),
            kafka: KafkaConfig::default(),
            rule_refs: Vec::new(),
        }
    }
}

/// A proto include root.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub path: String,
    /// Directories (relative to the input, like `path`) whose files are not
    /// part of the module.
    pub excludes: Vec<String>,
    /// Module-specific settings (Buf v2 `modules[].lint`, or a v1
    /// workspace module's own `buf.yaml`), replacing the top-level ones
    /// whole, as Buf does; `None` when the module sets none.
    pub lint: Option<LintConfig>,
    /// Likewise for breaking: the *current* side's module section is the
    /// one applied to that module's files.
    pub breaking: Option<BreakingConfig>,
    /// For the second and later roots of a Buf v1beta1 module
    /// (`build.roots`): the index in [`Config::modules`] of its first root.
    /// The roots are one Buf module: rules over a module's files (package
    /// and directory consistency) see the files of every root together.
    pub first_root: Option<usize>,
    /// The version of the module's own `buf.yaml` in a `buf.work.yaml`
    /// workspace (a v1beta1 module there has v1beta1's rules); `None`:
    /// the configuration's ([`ConfigKind::buf_version`]).
    pub version: Option<BufVersion>,
}

impl Module {
    pub fn root(path: &str) -> Self {
        Module {
            path: path.to_owned(),
            excludes: Vec::new(),
            lint: None,
            breaking: None,
            first_root: None,
            version: None,
        }
    }
}

/// Buf's `lint` section.
#[derive(Debug, Clone, PartialEq)]
pub struct LintConfig {
    pub use_: Vec<String>,
    pub except: Vec<String>,
    pub ignore: Vec<String>,
    pub ignore_only: BTreeMap<String, Vec<String>>,
    pub enum_zero_value_suffix: String,
    pub rpc_allow_same_request_response: bool,
    pub rpc_allow_google_protobuf_empty_requests: bool,
    pub rpc_allow_google_protobuf_empty_responses: bool,
    pub service_suffix: String,
    /// Whether `// buf:lint:ignore` comments are honoured (v1:
    /// `allow_comment_ignores`, default false; v2: `!disallow_comment_ignores`,
    /// default true).
    pub allow_comment_ignores: bool,
    /// schemactl only: rule ID → severity override (`warn` findings are
    /// printed but do not fail the command).
    pub severity: BTreeMap<String, RuleSeverity>,
    /// schemactl only: the regular expression topic names must match
    /// (`TOPIC_NAME_PATTERN`); `None` for the default
    /// `<domain>.<kebab-event>.v<N>`.
    pub topic_name_pattern: Option<String>,
}

/// A per-rule severity override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSeverity {
    Error,
    Warn,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            use_: vec!["STANDARD".to_owned()],
            except: Vec::new(),
            ignore: Vec::new(),
            ignore_only: BTreeMap::new(),
            enum_zero_value_suffix: "_UNSPECIFIED".to_owned(),
            rpc_allow_same_request_response: false,
            rpc_allow_google_protobuf_empty_requests: false,
            rpc_allow_google_protobuf_empty_responses: false,
            service_suffix: "Service".to_owned(),
            allow_comment_ignores: true,
            severity: BTreeMap::new(),
            topic_name_pattern: None,
        }
    }
}

impl LintConfig {
    /// Buf v1's defaults: the `DEFAULT` category, comment ignores off.
    pub fn v1_default() -> Self {
        LintConfig {
            use_: vec!["DEFAULT".to_owned()],
            allow_comment_ignores: false,
            ..LintConfig::default()
        }
    }
}

/// Buf's `breaking` section.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakingConfig {
    pub use_: Vec<String>,
    pub except: Vec<String>,
    pub ignore: Vec<String>,
    pub ignore_only: BTreeMap<String, Vec<String>>,
    pub ignore_unstable_packages: bool,
}

impl Default for BreakingConfig {
    fn default() -> Self {
        BreakingConfig {
            use_: vec!["FILE".to_owned()],
            except: Vec::new(),
            ignore: Vec::new(),
            ignore_only: BTreeMap::new(),
            ignore_unstable_packages: false,
        }
    }
}

/// One Kafka topic of the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// Fully qualified message name, without a leading dot.
    pub message: String,
    pub owners: Vec<String>,
    pub producers: Vec<String>,
    pub description: String,
    pub partitions: Option<u32>,
    /// Retention as written (`7d`), validated.
    pub retention: Option<String>,
    /// Line and column of the topic's key in the configuration file, for
    /// findings.
    pub line: usize,
    pub column: usize,
    /// Line of the `message:` value.
    pub message_line: usize,
    /// Services that read the topic and get READ on it (`readers:`).
    pub readers: Vec<String>,
    /// Topic-level Kafka configs (`configs:`), by Kafka's key; values as
    /// written. `retention` is not in here: see [`Topic::kafka_configs`].
    pub configs: BTreeMap<String, String>,
    /// The `#` comment lines right above the topic's key, without the `#`,
    /// each ending in a newline (like a protobuf leading comment); where
    /// comment ignores (`# buf:lint:ignore TOPIC_...`) are written.
    pub leading_comment: String,
}

impl Topic {
    /// `retention` in milliseconds (`-1`: forever).
    pub fn retention_ms(&self) -> Option<i64> {
        self.retention.as_deref().and_then(duration_ms)
    }

    /// Every topic config the catalog sets for this topic: the cluster-wide
    /// `kafka.configs`, then the topic's own `configs`, then `retention`
    /// as `retention.ms`.
    pub fn kafka_configs(&self, kafka: &KafkaConfig) -> TopicConfigs {
        let mut out = kafka.configs.clone();
        out.extend(self.configs.iter().map(|(k, v)| (k.clone(), v.clone())));
        if let Some(ms) = self.retention_ms() {
            out.insert("retention.ms".to_owned(), ms.to_string());
        }
        out
    }
}

/// Kafka topic configs by key, values as Kafka takes them.
pub type TopicConfigs = BTreeMap<String, String>;

/// A duration as the catalog writes it (`7d`, `24h`, `90m`, `30s`,
/// `500ms`, `2w`, or `-1`) in milliseconds.
pub fn duration_ms(text: &str) -> Option<i64> {
    if text == "-1" {
        return Some(-1);
    }
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n: i64 = digits.parse().ok()?;
    let unit: i64 = match &text[digits.len()..] {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 604_800_000,
        _ => return None,
    };
    n.checked_mul(unit)
}

/// The `kafka:` section of `schemactl.yaml`: how the catalog maps onto a
/// cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct KafkaConfig {
    /// A service's principal, `{service}` replaced by the service's name.
    pub principal: String,
    /// Replication factor of the topics schemactl creates; the broker's
    /// `default.replication.factor` when unset.
    pub replication_factor: Option<u16>,
    /// Partitions of a topic that does not say; the broker's
    /// `num.partitions` when unset.
    pub partitions: Option<u32>,
    /// Topic configs for every topic of the catalog (a topic's own
    /// `configs` win).
    pub configs: BTreeMap<String, String>,
    /// Grant producers IDEMPOTENT_WRITE on the cluster even on Kafka 2.8 or
    /// newer (schemactl grants it on older brokers, which need it for
    /// idempotent producers; later ones take WRITE on the topic).
    pub cluster_idempotent_write: bool,
}

impl Default for KafkaConfig {
    fn default() -> Self {
        KafkaConfig {
            principal: "User:{service}".to_owned(),
            replication_factor: None,
            partitions: None,
            configs: BTreeMap::new(),
            cluster_idempotent_write: false,
        }
    }
}

impl KafkaConfig {
    /// The principal of `service`.
    pub fn principal_of(&self, service: &str) -> String {
        self.principal.replace("{service}", service)
    }
}

/// The `generate:` section of `schemactl.yaml`, or a `buf.gen.yaml` v2:
/// which plugins run, where their output goes, and managed mode.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GenerateConfig {
    /// The file it was read from, as the user should see its path.
    pub file: String,
    /// Delete each plugin's `out` directory before generating (Buf's
    /// `clean`).
    pub clean: bool,
    pub plugins: Vec<PluginConfig>,
    pub managed: ManagedConfig,
    /// `packages:`: the output directories that become versioned packages
    /// (a Go module, a Rust crate, a Python distribution, an npm package).
    pub packages: Vec<PackageConfig>,
}

/// One entry of `packages:` (keyed by language): the manifest schemactl
/// writes into `out` so the generated code there is a package a consumer
/// pins (`go.mod`, `Cargo.toml`, `pyproject.toml`, `package.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageConfig {
    pub lang: PackageLang,
    /// The package's directory, relative to the configuration file,
    /// `/`-separated.
    pub out: String,
    /// The package's name: the Go module path, the crate, distribution or
    /// npm package name.
    pub name: String,
    /// 1-based position of the entry in its file.
    pub line: usize,
    pub column: usize,
}

/// The languages a package can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PackageLang {
    Go,
    Rust,
    Python,
    TypeScript,
}

impl PackageLang {
    pub const ALL: [PackageLang; 4] = [
        PackageLang::Go,
        PackageLang::Rust,
        PackageLang::Python,
        PackageLang::TypeScript,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PackageLang::Go => "go",
            PackageLang::Rust => "rust",
            PackageLang::Python => "python",
            PackageLang::TypeScript => "typescript",
        }
    }
}

/// One entry of `plugins:`.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginConfig {
    pub source: PluginSource,
    /// Output directory, relative to the configuration file, `/`-separated.
    pub out: String,
    /// Options, joined with `,` into the plugin's parameter.
    pub opt: Vec<String>,
    pub strategy: Strategy,
    /// Also generate for the files the input imports.
    pub include_imports: bool,
    /// With `include_imports`, also the well-known types.
    pub include_wkt: bool,
    /// Generate only these types (fully qualified names), and what they use.
    pub types: Vec<String>,
    /// Leave out these types.
    pub exclude_types: Vec<String>,
    /// 1-based position of the entry in its file.
    pub line: usize,
    pub column: usize,
}

impl PluginConfig {
    /// How the plugin is named in messages: its program or generator name.
    pub fn name(&self) -> String {
        match &self.source {
            PluginSource::Local { argv } => argv.join(" "),
            PluginSource::ProtocBuiltin { name, .. } => format!("protoc_builtin: {name}"),
            PluginSource::Rust => "rust".to_owned(),
            PluginSource::Topics { lang } => format!("topics: {}", lang.name()),
        }
    }
}

/// What runs for one plugin entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginSource {
    /// A `protoc-gen-*` program driven through the plugin protocol: a name
    /// looked up on `PATH`, or an argument vector (never a shell command).
    Local { argv: Vec<String> },
    /// One of protoc's built-in generators (`python`, `java`, ...), run by
    /// `protoc` (`protoc_path`, an argument vector, or `protoc` on `PATH`).
    ProtocBuiltin {
        name: String,
        protoc_path: Vec<String>,
    },
    /// Rust types with prost, in-process.
    Rust,
    /// Topic bindings (values tying topic names to their message types).
    Topics { lang: TopicLang },
}

/// How the input files are split into requests to one plugin (Buf's
/// `strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// One request per directory of files (Buf's default; what
    /// `protoc-gen-go` expects).
    #[default]
    Directory,
    /// One request with every file.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicLang {
    Go,
    Rust,
    Python,
    TypeScript,
    Java,
}

impl TopicLang {
    pub const ALL: [TopicLang; 5] = [
        TopicLang::Go,
        TopicLang::Rust,
        TopicLang::Python,
        TopicLang::TypeScript,
        TopicLang::Java,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TopicLang::Go => "go",
            TopicLang::Rust => "rust",
            TopicLang::Python => "python",
            TopicLang::TypeScript => "typescript",
            TopicLang::Java => "java",
        }
    }
}

/// Managed mode: file options set by the generator configuration instead of
/// in every `.proto` file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ManagedConfig {
    pub enabled: bool,
    /// In file order: a later matching override wins.
    pub overrides: Vec<ManagedOverride>,
    pub disables: Vec<ManagedDisable>,
}

/// A file option managed mode can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileOption {
    GoPackage,
    GoPackagePrefix,
    JavaPackage,
    JavaPackagePrefix,
    JavaPackageSuffix,
    JavaMultipleFiles,
    JavaOuterClassname,
    CsharpNamespace,
    CsharpNamespacePrefix,
    PhpNamespace,
    PhpMetadataNamespace,
    RubyPackage,
    RubyPackageSuffix,
    ObjcClassPrefix,
}

impl FileOption {
    /// Every option, with its name in the configuration.
    pub const ALL: [(FileOption, &'static str); 14] = [
        (FileOption::GoPackage, "go_package"),
        (FileOption::GoPackagePrefix, "go_package_prefix"),
        (FileOption::JavaPackage, "java_package"),
        (FileOption::JavaPackagePrefix, "java_package_prefix"),
        (FileOption::JavaPackageSuffix, "java_package_suffix"),
        (FileOption::JavaMultipleFiles, "java_multiple_files"),
        (FileOption::JavaOuterClassname, "java_outer_classname"),
        (FileOption::CsharpNamespace, "csharp_namespace"),
        (FileOption::CsharpNamespacePrefix, "csharp_namespace_prefix"),
        (FileOption::PhpNamespace, "php_namespace"),
        (FileOption::PhpMetadataNamespace, "php_metadata_namespace"),
        (FileOption::RubyPackage, "ruby_package"),
        (FileOption::RubyPackageSuffix, "ruby_package_suffix"),
        (FileOption::ObjcClassPrefix, "objc_class_prefix"),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(o, _)| *o == self)
            .map_or("", |(_, n)| n)
    }

    pub fn from_name(name: &str) -> Option<FileOption> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(o, _)| *o)
    }

    /// The option of the descriptor this one sets (`go_package_prefix` sets
    /// `go_package`).
    pub fn target(self) -> FileOption {
        match self {
            FileOption::GoPackagePrefix => FileOption::GoPackage,
            FileOption::JavaPackagePrefix | FileOption::JavaPackageSuffix => {
                FileOption::JavaPackage
            }
            FileOption::CsharpNamespacePrefix => FileOption::CsharpNamespace,
            FileOption::RubyPackageSuffix => FileOption::RubyPackage,
            other => other,
        }
    }

    /// Whether the value is `true`/`false` rather than a string.
    pub fn is_bool(self) -> bool {
        self == FileOption::JavaMultipleFiles
    }
}

/// The value of an override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    String(String),
    Bool(bool),
}

/// `managed.override[]`: set `file_option` to `value` for the files that
/// match `path` and `module`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedOverride {
    pub file_option: FileOption,
    pub value: OptionValue,
    /// A file or directory (import path, `/`-separated); `None` for all.
    pub path: Option<String>,
    /// A module (root directory or Buf module name); `None` for all.
    pub module: Option<String>,
    pub line: usize,
}

/// `managed.disable[]`: leave the option (every option when `None`) alone
/// for the files that match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedDisable {
    pub file_option: Option<FileOption>,
    pub path: Option<String>,
    pub module: Option<String>,
    pub line: usize,
}

/// A repository that consumes the schemas and gets update pull requests.
#[derive(Debug, Clone, PartialEq)]
pub struct Consumer {
    /// `owner/name`.
    pub repo: String,
    pub kind: ConsumerKind,
    /// The file that pins the schema version.
    pub file: String,
    /// A regular expression whose first group is the pinned version.
    pub pattern: String,
    pub topics: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConsumerKind {
    /// Updated first.
    Server,
    Client,
}

/// How releases are cut.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseConfig {
    pub tag_prefix: String,
    pub branch: String,
    /// The pull-request label that lets a reviewed breaking change through.
    pub allow_breaking_label: String,
}

impl Default for ReleaseConfig {
    fn default() -> Self {
        ReleaseConfig {
            tag_prefix: "v".to_owned(),
            branch: "main".to_owned(),
            allow_breaking_label: "schemactl: allow-breaking".to_owned(),
        }
    }
}
