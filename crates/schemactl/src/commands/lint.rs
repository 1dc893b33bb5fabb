//! `schemactl lint`: Buf's lint rules plus TOPIC rules, with per-rule
//! severity and a baseline of accepted findings.

use schemactl_check::Request;

use crate::args::{GlobalArgs, LintArgs};
use crate::output::Output;
use crate::{Failure, Outcome, load};

pub fn run(global: &GlobalArgs, args: &LintArgs, out: &Output) -> Result<Outcome, Failure> {
    let paths = crate::paths::filter(&args.input, &args.paths)?;
    let loaded = load::load(global, &args.input, out)?;
    let request = Request {
        input_dir: &args.input.input,
        lint: true,
        baseline: args.baseline.as_deref(),
        paths: paths.as_ref(),
        ..Request::default()
    };
    let report = schemactl_check::run(loaded, &request, &mut |_| {})?;
    if args.baseline.is_some() && report.compiled() {
        out.info(&format!(
            "baseline: {} known findings suppressed",
            report.suppressed
        ))?;
    }
    out.report(&report)
}
