//! `schemactl release`: compute the next version from the changes since the
//! last release tag and create the annotated tag.
//!
//! Refusals (nothing is tagged, exit 2 with `error:` and `hint:`, like every
//! other case where the tool will not do what was asked): HEAD fails
//! `check`; HEAD already carries a release tag; nothing under the input
//! changed since the latest release; the next tag exists elsewhere. A second
//! run on the same commit must not mint another version of the same
//! schemas, and `--dry-run` refuses exactly when the real run would.

use schemactl_check::{Against, Request, render};
use schemactl_source::{GitRepo, Input, InputSpec, Tree, read_input, release_tags};

use crate::args::{GlobalArgs, ReleaseArgs};
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &ReleaseArgs, out: &Output) -> Result<Outcome, Failure> {
    let repo = GitRepo::discover(std::path::Path::new(&args.input))?;
    // HEAD is resolved once: the commit that is checked is the commit that is
    // tagged, even if HEAD moves meanwhile. A release reads the input as
    // committed, not the working tree.
    let head = repo.commit_id("HEAD")?;
    let short = &head[..head.len().min(12)];
    let head_spec = InputSpec::Git {
        dir: args.input.clone().into(),
        reference: head.clone(),
    };
    let current = schemactl_check::load(&head_spec, global.config.as_deref())?;
    if !current.compilation.diagnostics.is_empty() {
        out.diagnostics_to_stderr(
            &current.compilation.diagnostics,
            &current.compilation.sources,
        )?;
        return Err(Failure::new("HEAD does not compile: nothing was tagged"));
    }
    let prefix = current.config.release.tag_prefix.clone();
    let releases = release_tags(&repo, &prefix)?;
    if let Some(tag) = releases.iter().find(|t| t.commit == head) {
        return Err(Failure::new(format!(
            "HEAD ({short}) is already released as {}: nothing was tagged",
            tag.name
        ))
        .hint(Some(
            "commit the schema change first, then release the new commit".to_owned(),
        )));
    }
    let last = repo.latest_release_reachable(&prefix, &head)?;
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
    let request = Request {
        input_dir: &args.input,
        lint: true,
        // The full ref name: unambiguous, and readable in messages.
        against: match &last {
            Some(tag) => Against::Given(format!("refs/tags/{}", tag.name)),
            None => Against::Nothing,
        },
        allow_breaking: args.allow_breaking,
        summary: true,
        ..Request::default()
    };
    let report = schemactl_check::run(current, &request, &mut |_| {})?;
    let (next, summary_text) = match (&last, &report.summary) {
        (Some(tag), Some(summary)) => (summary.bump.apply(&tag.version), render::text(summary)),
        _ => (semver::Version::new(1, 0, 0), "first release\n".to_owned()),
    };
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        out.diagnostics_to_stderr(&errors, &report.current.compilation.sources)?;
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
    out.line(&format!("tagged {tag}"))?;
    Ok(Outcome::Clean)
}

fn read_tree(spec: &InputSpec) -> Result<Tree, Failure> {
    match read_input(spec)? {
        Input::Tree(tree) => Ok(tree),
        Input::Image { path, .. } => Err(Failure::new(format!(
            "`{}` is an image; release needs a directory of a git repository",
            path.display()
        ))),
    }
}
