//! `schemactl check`: compile, lint, topic rules, breaking changes and the
//! freshness of generated code in one run, each side compiled once, one
//! report.

use std::path::Path;

use schemactl_check::generate::{Generation, Trust, trusted};
use schemactl_check::{Against, Notice, Request};
use schemactl_codegen::Options;
use schemactl_config::{GenerateConfig, PluginSource};
use schemactl_source::{GitRepo, InputSpec};

use crate::args::{CheckArgs, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome, load};

pub fn run(global: &GlobalArgs, args: &CheckArgs, out: &Output) -> Result<Outcome, Failure> {
    let current = load::load(global, &args.input)?;
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
        summary: false,
        generate: generate
            .as_ref()
            .map(|(config, options)| Generation { config, options }),
    };
    let report = load::run_policy(current, &request, out, |notice| match notice {
        Notice::ComparingAgainst { reference, .. } => {
            Some(format!("breaking changes against {reference}"))
        }
        Notice::BreakingSkipped(_) => None,
    })?;
    out.report(&report)
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

/// The pull-request comment for `input` (run by `github comment` without
/// `--body-file`).
pub fn comment_body(
    _global: &GlobalArgs,
    _input: &str,
    _against: Option<&str>,
    _repo: &str,
    _head_sha: Option<&str>,
    _out: &Output,
) -> Result<String, Failure> {
    Err(Failure::new("not built yet"))
}
