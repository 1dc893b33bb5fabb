//! `schemactl diff`: what changed between two versions, and the bump.

use schemactl_check::{Against, Request, render};

use crate::args::{DiffArgs, DiffFormat, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome, load};

pub fn run(global: &GlobalArgs, args: &DiffArgs, out: &Output) -> Result<Outcome, Failure> {
    let current = match &args.to {
        Some(to) => schemactl_check::load_against(to, &args.input.input)?,
        None => load::load(global, &args.input, out)?,
    };
    let request = Request {
        input_dir: &args.input.input,
        against: Against::Given(args.from.clone()),
        summary: true,
        ..Request::default()
    };
    let report = schemactl_check::run(current, &request, &mut |_| {})?;
    let Some(summary) = &report.summary else {
        let compilation = &report.current.compilation;
        out.diagnostics_to_stderr(&compilation.diagnostics, &compilation.sources)?;
        return Ok(Outcome::Findings);
    };
    let text = match args.format {
        DiffFormat::Text => render::text(summary),
        DiffFormat::Markdown => render::markdown(summary),
        DiffFormat::Json => serde_json::to_string_pretty(summary)
            .map(|s| s + "\n")
            .unwrap_or_default(),
    };
    out.data(&text)?;
    Ok(Outcome::Clean)
}
