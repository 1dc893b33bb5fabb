//! `schemactl check`: compile, lint, topic rules and breaking changes in one
//! run, each side compiled once, one report.

use schemactl_check::{Against, Notice, Request};

use crate::args::{CheckArgs, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome, load};

pub fn run(global: &GlobalArgs, args: &CheckArgs, out: &Output) -> Result<Outcome, Failure> {
    let current = load::load(global, &args.input)?;
    let request = Request {
        input_dir: &args.input.input,
        lint: true,
        against: match &args.against {
            Some(against) => Against::Given(against.clone()),
            None => Against::LatestRelease { required: false },
        },
        allow_breaking: args.allow_breaking,
        baseline: args.baseline.as_deref(),
        summary: false,
    };
    let report = load::run_policy(current, &request, out, |notice| match notice {
        Notice::ComparingAgainst { reference, .. } => {
            Some(format!("breaking changes against {reference}"))
        }
        Notice::BreakingSkipped(_) => None,
    })?;
    out.report(&report)
}
