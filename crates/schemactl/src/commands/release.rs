//! `schemactl release`: compute the next version from the changes since the
//! last release tag and create the annotated tag.
//!
//! Refusals (nothing is tagged, exit 2 with `error:` and `hint:`, like every
//! other case where the tool will not do what was asked): HEAD fails
//! `check`; HEAD already carries a release tag; nothing under the input
//! changed since the latest release; the next tag exists elsewhere. A second
//! run on the same commit must not mint another version of the same
//! schemas, and `--dry-run` refuses exactly when the real run would.

use schemactl_source::{GitRepo, Input, InputSpec, SourceError, Tree, read_input, release_tags};

use crate::args::{GlobalArgs, InputArgs, ReleaseArgs};
use crate::commands::{breaking, diff, lint};
use crate::load;
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &ReleaseArgs, out: &Output) -> Result<Outcome, Failure> {
    let repo = GitRepo::discover(std::path::Path::new(&args.input)).map_err(source_failure)?;
    // HEAD is resolved once: the commit that is checked is the commit that is
    // tagged, even if HEAD moves meanwhile. A release reads the input as
    // committed, not the working tree.
    let head = repo.commit_id("HEAD").map_err(source_failure)?;
    let short = &head[..head.len().min(12)];
    let head_spec = InputSpec::Git {
        dir: args.input.clone().into(),
        reference: head.clone(),
    };
    let current = load::load_spec(&head_spec, global.config.as_deref())?;
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
    let releases = release_tags(&repo, &prefix).map_err(source_failure)?;
    if let Some(tag) = releases.iter().find(|t| t.commit == head) {
        return Err(Failure::new(format!(
            "HEAD ({short}) is already released as {}: nothing was tagged",
            tag.name
        ))
        .hint(Some(
            "commit the schema change first, then release the new commit".to_owned(),
        )));
    }
    let input = InputArgs {
        input: args.input.clone(),
        git_ref: None,
    };
    let last = repo
        .latest_release_reachable(&prefix, &head)
        .map_err(source_failure)?;
    if let Some(tag) = &last {
        let at = |reference: &str| {
            read_tree(&InputSpec::Git {
                dir: args.input.clone().into(),
                reference: reference.to_owned(),
            })
        };
        if at(&tag.commit)?.same_files(&at(&head)?) {
            return Err(Failure::new(format!(
                "nothing under `{}` changed since {} (HEAD is {short}): nothing was tagged",
                args.input, tag.name
            ))
            .hint(Some(format!(
                "a release needs a change to the `.proto` files or configuration under `{}`; \
                 commits elsewhere (docs, CI) are not schema releases",
                args.input
            ))));
        }
    }

    // The same gate as `check`: lint and topic rules, and breaking changes
    // unless a reviewer allowed them.
    let mut findings = lint::lint_image(image, &current)?;
    let (next, summary_text) = match &last {
        None => (semver::Version::new(1, 0, 0), "first release\n".to_owned()),
        Some(tag) => {
            // The full ref name: unambiguous, and readable in messages.
            let previous = breaking::load_against(&format!("refs/tags/{}", tag.name), &input, out)?;
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
    if let Some(taken) = releases.iter().find(|t| t.name == tag) {
        let taken_short = &taken.commit[..taken.commit.len().min(12)];
        return Err(Failure::new(format!(
            "the next version, {tag}, is already a tag on {taken_short}, which HEAD does not \
             contain: nothing was tagged"
        ))
        .hint(Some(format!(
            "release from the branch that holds {tag} (merge it into this one first)"
        ))));
    }
    out.data(&format!("{tag}\n{summary_text}"))?;
    if args.dry_run {
        return Ok(Outcome::Clean);
    }
    let message = format!("schema release {tag}\n\n{summary_text}");
    repo.create_annotated_tag(&tag, &head, &message)
        .map_err(|e| Failure::new(format!("cannot create tag `{tag}`: {e}")))?;
    out.note(&format!("tagged {tag}"))?;
    Ok(Outcome::Clean)
}

fn read_tree(spec: &InputSpec) -> Result<Tree, Failure> {
    match read_input(spec).map_err(source_failure)? {
        Input::Tree(tree) => Ok(tree),
        Input::Image { path, .. } => Err(Failure::new(format!(
            "`{}` is an image; release needs a directory of a git repository",
            path.display()
        ))),
    }
}

fn source_failure(e: SourceError) -> Failure {
    let hint = e.hint();
    Failure::new(e.to_string()).hint(hint)
}
