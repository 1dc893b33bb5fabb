//! `schemactl release`: compute the next version from the changes since the
//! last release tag and create the annotated tag. Refuses to tag a tree that
//! fails `check`.

use schemactl_source::{GitRepo, InputSpec};

use crate::args::{GlobalArgs, InputArgs, ReleaseArgs};
use crate::commands::{breaking, diff, lint};
use crate::load;
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &ReleaseArgs, out: &Output) -> Result<Outcome, Failure> {
    let repo = GitRepo::discover(std::path::Path::new(&args.input))
        .map_err(|e| Failure::new(e.to_string()).hint(e.hint()))?;
    // A release tags a commit: read the input as committed at HEAD, not the
    // working tree.
    let head = InputSpec::Git {
        dir: args.input.clone().into(),
        reference: "HEAD".to_owned(),
    };
    let current = load::load_spec(&head, global.config.as_deref())?;
    if !current.compilation.diagnostics.is_empty() {
        out.diagnostics_to_stderr(
            &current.compilation.diagnostics,
            &current.compilation.sources,
        )?;
        return Err(Failure::new("HEAD does not compile: nothing was tagged"));
    }
    let Some(image) = current.image() else {
        return Err(Failure::new("compilation produced no image"));
    };
    let prefix = current.config.release.tag_prefix.clone();
    let input = InputArgs {
        input: args.input.clone(),
        git_ref: None,
    };
    let last = repo
        .latest_release_reachable(&prefix, "HEAD")
        .map_err(|e| Failure::new(e.to_string()).hint(e.hint()))?;

    // The same gate as `check`: lint and topic rules, and breaking changes
    // unless a reviewer allowed them.
    let mut findings = lint::lint_image(image, &current)?;
    let (next, summary_text) = match &last {
        None => (semver::Version::new(1, 0, 0), "first release\n".to_owned()),
        Some(tag) => {
            let previous = breaking::load_against(&tag.name, &input, out)?;
            let breaking_findings = breaking::breaking_findings(&previous, &current)?;
            let breaking_errors = breaking_findings.iter().filter(|d| d.is_error()).count();
            if !args.allow_breaking {
                findings.extend(breaking_findings);
            }
            let summary = diff::summarize_with(&previous, &current, breaking_errors)?;
            (
                summary.bump.apply(&tag.version),
                diff::render_text(&summary),
            )
        }
    };
    let errors: Vec<_> = findings.into_iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        out.diagnostics_to_stderr(&errors, &current.compilation.sources)?;
        return Err(Failure::new(format!("HEAD fails check ({} findings): nothing was tagged", errors.len())).hint(Some(
            "fix the findings, or pass --allow-breaking for a reviewed breaking change (major version)".to_owned(),
        )));
    }
    let tag = format!("{prefix}{next}");
    out.data(&format!("{tag}\n{summary_text}"))?;
    if args.dry_run {
        return Ok(Outcome::Clean);
    }
    let message = format!("schema release {tag}\n\n{summary_text}");
    repo.create_annotated_tag(&tag, "HEAD", &message)
        .map_err(|e| Failure::new(format!("cannot create tag `{tag}`: {e}")))?;
    out.note(&format!("tagged {tag}"))?;
    Ok(Outcome::Clean)
}
