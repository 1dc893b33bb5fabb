//! The CLI's side of loading: arguments to an input, and the check
//! library's errors to a [`Failure`] (message, hint, and what to show with
//! it). The loading itself is `schemactl_check::load`.

use schemactl_check::release::ReleaseError;
use schemactl_check::{CheckError, Loaded, Notice};
use schemactl_diagnostics::{Diagnostic, Location};
use schemactl_source::{InputSpec, SourceError};

use crate::Failure;
use crate::args::{GlobalArgs, InputArgs};
use crate::output::Output;

/// Read and compile the input the arguments name; with `-v`, say which
/// configuration file applies (it may be found above the input).
pub fn load(global: &GlobalArgs, input: &InputArgs, out: &Output) -> Result<Loaded, Failure> {
    let spec = InputSpec::parse(&input.input, input.git_ref.as_deref()).map_err(Failure::from)?;
    let loaded = schemactl_check::load(&spec, global.config.as_deref())?;
    match loaded.config_file_used() {
        Some(file) => out.info(&format!("using config {file}"))?,
        None => out.info("using no config file: Buf's defaults")?,
    }
    Ok(loaded)
}

impl From<SourceError> for Failure {
    fn from(e: SourceError) -> Self {
        let hint = e.hint();
        Failure::new(e.to_string()).hint(hint)
    }
}

impl From<CheckError> for Failure {
    fn from(e: CheckError) -> Self {
        let hint = e.hint();
        let message = e.to_string();
        match e {
            CheckError::Config { error, text } => {
                let mut diagnostic =
                    Diagnostic::new("CONFIG", error.file.clone(), error.message.clone());
                if error.line > 0 {
                    let column = u32::try_from(error.column).unwrap_or(1);
                    let line = u32::try_from(error.line).unwrap_or(1);
                    diagnostic = diagnostic.with_location(Location::point(line, column));
                }
                if let Some(hint) = &error.hint {
                    diagnostic = diagnostic.with_help(hint.clone());
                }
                let mut failure = Failure::new(message).hint(hint);
                failure.located = Some(Box::new((diagnostic, text)));
                failure
            }
            CheckError::AgainstDoesNotCompile { compilation, .. } => Failure::new(message)
                .hint(hint)
                .showing(compilation.diagnostics, compilation.sources),
            _ => Failure::new(message).hint(hint),
        }
    }
}

impl From<ReleaseError> for Failure {
    fn from(e: ReleaseError) -> Self {
        let hint = e.hint();
        let message = e.to_string();
        match e {
            ReleaseError::Check(e) => e.into(),
            ReleaseError::DoesNotCompile {
                diagnostics,
                sources,
            }
            | ReleaseError::FailsCheck {
                findings: diagnostics,
                sources,
            } => Failure::new(message)
                .hint(hint)
                .showing(diagnostics, sources),
            _ => Failure::new(message).hint(hint),
        }
    }
}

/// Run the check policy, showing its progress as `check` and `breaking`
/// word it (`verbose` lines and `note:`s on stderr).
pub fn run_policy(
    current: Loaded,
    request: &schemactl_check::Request<'_>,
    out: &Output,
    show: impl Fn(&Notice) -> Option<String>,
) -> Result<schemactl_check::Report, Failure> {
    let mut written = Ok(());
    let report = schemactl_check::run(current, request, &mut |notice| {
        if written.is_err() {
            return;
        }
        written = match (&notice, show(&notice)) {
            (Notice::BreakingSkipped(why), _) => {
                out.note(&format!("{why}: breaking checks skipped"))
            }
            (Notice::ComparingAgainst { .. }, Some(line)) => out.info(&line),
            (Notice::ComparingAgainst { .. }, None) => Ok(()),
        };
    });
    written?;
    report.map_err(|e| {
        // Buf reports a side to compare against that does not compile with
        // its compile errors as findings, and its findings exit code.
        let findings = matches!(e, CheckError::AgainstDoesNotCompile { .. });
        let mut failure = Failure::from(e);
        failure.findings = findings;
        failure
    })
}
