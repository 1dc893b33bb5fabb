//! `schemactl breaking`: Buf's breaking rules against a previous version.

use schemactl_check::{Against, Notice, Request};

use crate::args::{BreakingArgs, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome, load};

pub fn run(global: &GlobalArgs, args: &BreakingArgs, out: &Output) -> Result<Outcome, Failure> {
    let paths = crate::paths::filter(&args.input, &args.paths)?;
    let current = load::load(global, &args.input, out)?;
    let request = Request {
        input_dir: &args.input.input,
        against: match &args.against {
            Some(against) => Against::Given(against.clone()),
            None => Against::LatestRelease { required: true },
        },
        exclude_imports: args.exclude_imports,
        paths: paths.as_ref(),
        ..Request::default()
    };
    let report = load::run_policy(current, &request, out, |notice| match notice {
        Notice::ComparingAgainst {
            release: Some(tag), ..
        } => Some(format!(
            "comparing against {tag}, the latest release reachable from HEAD"
        )),
        _ => None,
    })?;
    if report.compiled() && report.against.is_none() {
        // Nothing to compare against yet: the note said so.
        return Ok(Outcome::Clean);
    }
    out.report(&report)
}
