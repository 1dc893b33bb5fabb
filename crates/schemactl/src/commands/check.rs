//! `schemactl check`: compile, lint, topic rules, breaking changes and the
//! freshness of generated code in one run, each side compiled once, one
//! report.

use std::io::Read as _;
use std::path::Path;

use schemactl_check::generate::{Generation, Trust, trusted};
use schemactl_check::render::comment::{CommentOptions, Links, pull_request_comment};
use schemactl_check::{Against, Notice, Request};
use schemactl_codegen::Options;
use schemactl_config::{GenerateConfig, PluginSource};
use schemactl_source::{GitRepo, InputSpec};

use crate::args::{CheckArgs, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome, load};

pub fn run(global: &GlobalArgs, args: &CheckArgs, out: &Output) -> Result<Outcome, Failure> {
    let report = report(global, args, args.comment.is_some(), out)?;
    let outcome = out.report(&report)?;
    if let Some(file) = &args.comment {
        let options = CommentOptions {
            links: links(&args.input.input, args.input.git_ref.as_deref()),
            ..CommentOptions::default()
        };
        let body = pull_request_comment(&report, &options);
        std::fs::write(file, body).map_err(|e| {
            Failure::new(format!(
                "cannot write the comment to `{}`: {e}",
                file.display()
            ))
            .hint(Some(
                "pass --comment a file in a directory that exists and is writable".to_owned(),
            ))
        })?;
    }
    Ok(outcome)
}

/// The pull-request comment `github comment` posts when it runs the check
/// itself: the same check as `check --comment`, with links at `head_sha`
/// in `repo` when it is known.
pub fn comment_body(
    global: &GlobalArgs,
    args: &CheckArgs,
    repo: &str,
    head_sha: Option<&str>,
    out: &Output,
) -> Result<String, Failure> {
    // No comment can be written when the side to compare against does not
    // compile: for `github comment` that is a failure (exit 2, the errors
    // on stderr), not findings as for `check`.
    let report = report(global, args, true, out).map_err(|mut failure| {
        failure.findings = false;
        failure
    })?;
    let dir = Path::new(&args.input.input);
    let links = head_sha.and_then(|sha| {
        let git = GitRepo::discover(dir).ok()?;
        Some(Links {
            server_url: server_url(),
            repo: repo.to_owned(),
            sha: sha.to_owned(),
            input_prefix: git.relative_dir(dir).ok()?,
        })
    });
    Ok(pull_request_comment(
        &report,
        &CommentOptions {
            links,
            ..CommentOptions::default()
        },
    ))
}

fn server_url() -> String {
    std::env::var("GITHUB_SERVER_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "https://github.com".to_owned())
}

/// Run the check: compile, lint, breaking, generated code (`summary`: with
/// the change summary and the changed files, for a comment).
fn report(
    global: &GlobalArgs,
    args: &CheckArgs,
    summary: bool,
    out: &Output,
) -> Result<schemactl_check::Report, Failure> {
    let paths = crate::paths::filter(&args.input, &args.paths)?;
    let current = load::load(global, &args.input, out)?;
    let dir = &args.input.input;
    // Generated code is compared with what is on disk: only a directory
    // input has any.
    let on_disk = args.input.git_ref.is_none()
        && matches!(InputSpec::parse(dir, None), Ok(InputSpec::Dir(_)));
    let mut generate: Option<(GenerateConfig, Options)> = None;
    if !args.no_generate && on_disk && current.compilation.diagnostics.is_empty() {
        let trust = trust(dir, args.trusted_ref.as_deref());
        let found = trusted(&current, dir, &trust)?;
        for line in &found.not_run {
            out.note(line)?;
        }
        if let Some(config) = found.config {
            let mut options = Options::new(dir);
            options.cache = crate::commands::generate::plugin_cache(args.no_cache);
            if config
                .plugins
                .iter()
                .any(|p| matches!(p.source, PluginSource::Topics { .. }))
            {
                options.catalog = crate::catalog::catalog(Path::new(dir), None, None)?;
            }
            generate = Some((config, options));
        }
    }
    let request = Request {
        input_dir: dir,
        lint: true,
        against: match &args.against {
            Some(against) => Against::Given(against.clone()),
            None => Against::LatestRelease { required: false },
        },
        allow_breaking: args.allow_breaking,
        baseline: args.baseline.as_deref(),
        // The comment shows the change summary and the changed files.
        summary,
        generate: generate
            .as_ref()
            .map(|(config, options)| Generation { config, options }),
        // As `buf breaking`: the imports are compared too.
        exclude_imports: false,
        paths: paths.as_ref(),
    };
    load::run_policy(current, &request, out, |notice| match notice {
        Notice::ComparingAgainst { reference, .. } => {
            Some(format!("breaking changes against {reference}"))
        }
        Notice::BreakingSkipped(_) => None,
    })
}

/// Where the comment's links point: in GitHub Actions (`GITHUB_REPOSITORY`
/// set), the pull request's head commit (from the event payload), else the
/// commit checked (`--ref`, or HEAD). `None`: no links.
fn links(dir: &str, git_ref: Option<&str>) -> Option<Links> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let repo = var("GITHUB_REPOSITORY")?;
    if !Path::new(dir).is_dir() {
        return None;
    }
    let git = GitRepo::discover(Path::new(dir)).ok()?;
    let input_prefix = git.relative_dir(Path::new(dir)).ok()?;
    let sha = event_head_sha().or_else(|| git.commit_id(git_ref.unwrap_or("HEAD")).ok())?;
    Some(Links {
        server_url: server_url(),
        repo,
        sha,
        input_prefix,
    })
}

/// `pull_request.head.sha` of the event payload GitHub Actions writes
/// (`GITHUB_EVENT_PATH`); `None` when the file is missing, too large,
/// malformed, or not a pull request's.
pub fn event_head_sha() -> Option<String> {
    let path = std::env::var_os("GITHUB_EVENT_PATH")?;
    // Payloads are a few KiB to a few hundred; more is not GitHub's.
    const MAX: u64 = 16 << 20;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX)
        .read_to_end(&mut bytes)
        .ok()?;
    let event: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let sha = event.pointer("/pull_request/head/sha")?.as_str()?;
    let hex = matches!(sha.len(), 40 | 64) && sha.bytes().all(|b| b.is_ascii_hexdigit());
    hex.then(|| sha.to_owned())
}

/// Whose `generate:` section to follow: `--trusted-ref`, else a pull
/// request's base branch (GitHub Actions sets `GITHUB_BASE_REF` on pull
/// requests only; its remote-tracking branch when it was fetched), else the
/// input's own.
fn trust(dir: &str, given: Option<&str>) -> Trust {
    if let Some(reference) = given {
        return Trust::Base(reference.to_owned());
    }
    match std::env::var("GITHUB_BASE_REF") {
        Ok(base) if !base.is_empty() => {
            let remote = format!("origin/{base}");
            let fetched =
                GitRepo::discover(Path::new(dir)).is_ok_and(|repo| repo.resolve(&remote).is_ok());
            Trust::Base(if fetched { remote } else { base })
        }
        _ => Trust::Own,
    }
}
