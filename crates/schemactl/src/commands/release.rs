//! `schemactl release`: compute the next version from the changes since the
//! last release tag and create the annotated tag. What may be released, and
//! as which version, is `schemactl_check::release::plan`'s to say.

use schemactl_check::release;
use schemactl_source::GitRepo;

use crate::args::{GlobalArgs, ReleaseArgs};
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &ReleaseArgs, out: &Output) -> Result<Outcome, Failure> {
    let plan = release::plan(&args.input, global.config.as_deref(), args.allow_breaking)?;
    out.data(&format!("{}\n{}", plan.tag, plan.changes()))?;
    if args.dry_run {
        return Ok(Outcome::Clean);
    }
    let repo = GitRepo::discover(std::path::Path::new(&args.input))?;
    repo.create_annotated_tag(&plan.tag, &plan.head, &plan.tag_message())
        .map_err(|e| Failure::new(format!("cannot create tag `{}`: {e}", plan.tag)))?;
    out.line(&format!("tagged {}", plan.tag))?;
    Ok(Outcome::Clean)
}
