//! `schemactl github comment`: upsert the one pull-request comment with the
//! check report, from a body `check --comment FILE` wrote in the same run
//! as the annotations (`--body-file`), or by running the check here.

use schemactl_github::comment::{self, CommentRequest, Outcome as CommentOutcome};

use crate::args::{CheckArgs, GithubCommentArgs, GlobalArgs, InputArgs};
use crate::output::Output;
use crate::{Failure, Outcome};

/// The largest body file read: a rendered report is cut to 65,536
/// characters, so anything much larger is not one.
const MAX_BODY_FILE: u64 = 4 << 20;

pub fn run(
    global: &GlobalArgs,
    args: &GithubCommentArgs,
    out: &Output,
) -> Result<Outcome, Failure> {
    let repo = match &args.repo {
        Some(repo) => repo.clone(),
        None => std::env::var("GITHUB_REPOSITORY").unwrap_or_default(),
    };
    if repo.is_empty() {
        return Err(Failure::new("no repository given").hint(Some(
            "pass --repo OWNER/NAME (in a workflow, GITHUB_REPOSITORY is used)".to_owned(),
        )));
    }
    let head_sha = args
        .head_sha
        .clone()
        .or_else(crate::commands::check::event_head_sha)
        .or_else(|| {
            args.body_file
                .is_none()
                .then(|| super::repository_head(&args.input))
                .flatten()
        });
    let body = match &args.body_file {
        Some(path) => read_body(path)?,
        None => {
            let check = CheckArgs {
                input: InputArgs {
                    input: args.input.clone(),
                    git_ref: None,
                },
                against: args.against.clone(),
                baseline: None,
                allow_breaking: false,
                trusted_ref: None,
                no_generate: false,
                no_cache: false,
                comment: None,
                paths: Default::default(),
            };
            crate::commands::check::comment_body(global, &check, &repo, head_sha.as_deref(), out)?
        }
    };
    let outcome = schemactl_github::block_on(async {
        let client = super::client(&args.api, false)?;
        comment::upsert(
            &client,
            &CommentRequest {
                repo: &repo,
                pr: args.pr,
                marker: &args.marker,
                body: &body,
                head_sha: head_sha.as_deref(),
            },
        )
        .await
        .map_err(|e| Failure::new(e.to_string()).hint(e.hint()))
    })??;
    match outcome {
        CommentOutcome::Created { url, .. } => out.line(&format!("created the comment {url}"))?,
        CommentOutcome::Updated { url, .. } => out.line(&format!("updated the comment {url}"))?,
        CommentOutcome::Unchanged { url, .. } => {
            out.line(&format!("the comment {url} already says this: not rewritten"))?;
        }
        CommentOutcome::Stale { ours, current } => out.line(&format!(
            "warning: the pull request's head is now {current}, not {ours} (the commit this report is about): the comment is left to the newer run"
        ))?,
        CommentOutcome::ReadOnly { message } => out.line(&format!(
            "warning: the token may not comment on {repo}#{} ({message}); a pull request from a fork gets a read-only token: the report is in the job summary",
            args.pr
        ))?,
    }
    Ok(Outcome::Clean)
}

fn read_body(path: &std::path::Path) -> Result<String, Failure> {
    let shown = path.display();
    let cannot = |e: &dyn std::fmt::Display| {
        Failure::new(format!("cannot read the comment body {shown}: {e}")).hint(Some(
            "write it with `schemactl check --comment FILE` first".to_owned(),
        ))
    };
    let metadata = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if metadata.len() > MAX_BODY_FILE {
        return Err(cannot(&format!("larger than {} MiB", MAX_BODY_FILE >> 20)));
    }
    std::fs::read_to_string(path).map_err(|e| cannot(&e))
}
