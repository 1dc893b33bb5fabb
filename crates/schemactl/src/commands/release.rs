//! `schemactl release`: compute the next version from the changes since the
//! last release tag and create the annotated tag. What may be released, and
//! as which version, is `schemactl_check::release::plan`'s to say.

use schemactl_check::release::{self, ReleasePlan};
use schemactl_rules::diff::{Bump, DiffSummary};
use schemactl_source::GitRepo;
use serde::Serialize;

use crate::args::{GlobalArgs, ReleaseArgs, ReleaseFormat};
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &ReleaseArgs, out: &Output) -> Result<Outcome, Failure> {
    let plan = release::plan(&args.input, global.config.as_deref(), args.allow_breaking)?;
    if args.format == ReleaseFormat::Text {
        out.data(&format!("{}\n{}", plan.tag, plan.changes()))?;
    }
    // JSON is printed once the tag exists, so `created` is what happened;
    // if creating it fails, stdout stays empty and the error goes to stderr.
    if !args.dry_run {
        let repo = GitRepo::discover(std::path::Path::new(&args.input))?;
        repo.create_annotated_tag(&plan.tag, &plan.head, &plan.tag_message())
            .map_err(|e| Failure::new(format!("cannot create tag `{}`: {e}", plan.tag)))?;
        out.line(&format!("tagged {}", plan.tag))?;
    }
    if args.format == ReleaseFormat::Json {
        let json = serde_json::to_string(&ReleaseJson::new(&plan, !args.dry_run))
            .map_err(|e| Failure::new(format!("cannot write the release as JSON: {e}")))?;
        out.data(&(json + "\n"))?;
    }
    Ok(Outcome::Clean)
}

/// `release --format json`: one object on one line (so a workflow can put it
/// in `$GITHUB_OUTPUT` as it is). `bump` and `changes` are null for a first
/// release, which has nothing to compare with; `changes` is the same summary
/// `diff --format json` prints.
#[derive(Serialize)]
struct ReleaseJson<'a> {
    tag: &'a str,
    version: String,
    previous: Option<&'a str>,
    bump: Option<Bump>,
    created: bool,
    changes: Option<&'a DiffSummary>,
}

impl<'a> ReleaseJson<'a> {
    fn new(plan: &'a ReleasePlan, created: bool) -> Self {
        ReleaseJson {
            tag: &plan.tag,
            version: plan.version.to_string(),
            previous: plan.previous.as_deref(),
            bump: plan.summary.as_ref().map(|s| s.bump),
            created,
            changes: plan.summary.as_ref(),
        }
    }
}
