//! `schemactl check`: compile, lint, topic rules and breaking changes in one
//! run, each side compiled once, one report.

use crate::args::{CheckArgs, GlobalArgs};
use crate::commands::{breaking, lint};
use crate::output::Output;
use crate::{Failure, Outcome, load};

pub fn run(global: &GlobalArgs, args: &CheckArgs, out: &Output) -> Result<Outcome, Failure> {
    let current = load::load(global, &args.input)?;
    if !current.compilation.diagnostics.is_empty() {
        out.diagnostics_to_stderr(
            &current.compilation.diagnostics,
            &current.compilation.sources,
        )?;
        return Ok(Outcome::Findings);
    }
    let Some(image) = current.image() else {
        return Err(Failure::new("compilation produced no image"));
    };
    let mut findings = lint::lint_image(image, &current)?;

    let against = match &args.against {
        Some(a) => Some(a.clone()),
        None => match load::default_against(&args.input.input, &current.config.release.tag_prefix)?
        {
            // The full name: a directory that happens to be called `v1.0.0`
            // must not make the default ambiguous.
            load::DefaultAgainst::Release(tag) => Some(format!("refs/tags/{tag}")),
            load::DefaultAgainst::Skipped(note) => {
                out.note(&note)?;
                None
            }
            load::DefaultAgainst::NoRepository(why) => {
                out.note(&format!("note: {why}: breaking checks skipped"))?;
                None
            }
        },
    };
    if let Some(against) = &against {
        out.info(&format!("breaking changes against {against}"))?;
        let previous = breaking::load_against(against, &args.input, out)?;
        let mut breaking = breaking::breaking_findings(&previous, &current)?;
        if args.allow_breaking {
            for finding in &mut breaking {
                finding.severity = schemactl_diagnostics::Severity::Warning;
            }
        }
        findings.extend(breaking);
    }
    if let Some(path) = &args.baseline {
        findings = lint::apply_baseline(findings, path)?;
    }
    findings.sort_by(|a, b| (&a.path, a.location, &a.rule).cmp(&(&b.path, b.location, &b.rule)));
    out.diagnostics_to_stdout(&findings, &current.compilation.sources)?;
    let errors = findings.iter().filter(|d| d.is_error()).count();
    if !findings.is_empty() {
        out.summary(errors, findings.len() - errors)?;
    }
    Ok(if errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
