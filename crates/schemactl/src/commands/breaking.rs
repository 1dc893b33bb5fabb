//! `schemactl breaking`: Buf's breaking rules against a previous version.

use schemactl_diagnostics::Diagnostic;

use crate::args::{BreakingArgs, GlobalArgs, InputArgs};
use crate::load::{self, Loaded};
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &BreakingArgs, out: &Output) -> Result<Outcome, Failure> {
    let current = load::load(global, &args.input)?;
    if !current.compilation.diagnostics.is_empty() {
        out.diagnostics_to_stderr(
            &current.compilation.diagnostics,
            &current.compilation.sources,
        )?;
        return Ok(Outcome::Findings);
    }
    let against = match &args.against {
        Some(a) => a.clone(),
        None => match load::default_against(&args.input.input, &current.config.release.tag_prefix)?
        {
            load::DefaultAgainst::Release(tag) => {
                out.info(&format!(
                    "comparing against {tag}, the latest release reachable from HEAD"
                ))?;
                // The full name: a directory that happens to be called
                // `v1.0.0` must not make the default ambiguous.
                format!("refs/tags/{tag}")
            }
            load::DefaultAgainst::Skipped(note) => {
                out.note(&note)?;
                return Ok(Outcome::Clean);
            }
            load::DefaultAgainst::NoRepository(why) => {
                return Err(Failure::new(why).hint(Some(
                    "pass `--against` a directory, an image or a git input, or run inside \
                     the schema repository"
                        .to_owned(),
                )));
            }
        },
    };
    let previous = load_against(&against, &args.input, out)?;
    let findings = breaking_findings(&previous, &current)?;
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

/// Read and compile the `--against` side. It is the baseline, so if it does
/// not compile the tool cannot do its job (exit 2).
pub fn load_against(against: &str, input: &InputArgs, out: &Output) -> Result<Loaded, Failure> {
    let spec = load::against_spec(against, input)?;
    let previous = load::load_spec(&spec, None)?;
    if !previous.compilation.diagnostics.is_empty() {
        out.diagnostics_to_stderr(
            &previous.compilation.diagnostics,
            &previous.compilation.sources,
        )?;
        return Err(Failure::new(format!(
            "the schemas to compare against (`{against}`) do not compile"
        ))
        .hint(Some(
            "compare against a version that compiles, e.g. the previous release tag".to_owned(),
        )));
    }
    Ok(previous)
}

/// Breaking findings of `current` against `previous`, with the current
/// configuration's `breaking` section.
pub fn breaking_findings(previous: &Loaded, current: &Loaded) -> Result<Vec<Diagnostic>, Failure> {
    let (Some(previous_image), Some(current_image)) = (previous.image(), current.image()) else {
        return Err(Failure::new("compilation produced no image"));
    };
    let previous_path = previous.config_display_path();
    let current_path = current.config_display_path();
    let previous_subject = schemactl_rules::Subject {
        image: previous_image,
        config: &previous.config,
        config_path: &previous_path,
    };
    let current_subject = schemactl_rules::Subject {
        image: current_image,
        config: &current.config,
        config_path: &current_path,
    };
    let findings = schemactl_rules::breaking::breaking(&previous_subject, &current_subject)
        .map_err(|e| Failure::new(format!("{current_path}: {e}")).hint(Some(e.hint())))?;
    Ok(findings)
}
