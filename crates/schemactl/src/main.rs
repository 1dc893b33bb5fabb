//! The `schemactl` binary: parse arguments, call the libraries, render, map to
//! an exit code (0 clean, 1 findings — 100 with `--exit-code buf` — and 2
//! the tool could not run).

// Everything printed goes through `output::Output`, which turns a failed
// write into exit 2; `print!`/`eprintln!` would panic or lose the error.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod catalog;
mod commands;
mod load;
mod output;
mod paths;

use std::io::Write as _;
use std::process::ExitCode;

// Compiling is allocation-heavy (hundreds of thousands of small descriptor
// and source-location objects); mimalloc cuts the wall time by about a third
// against glibc's allocator on the Google APIs corpus.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::output::Output;

/// How a command ended.
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Findings that fail the command (rule violations, compile errors).
    Findings,
}

/// The tool could not do its job: the message, and what to do next.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub hint: Option<String>,
    /// A located problem (a configuration error) to show with its snippet,
    /// and the text of its file.
    pub located: Option<Box<(schemactl_diagnostics::Diagnostic, String)>>,
    /// Diagnostics to show before the message (why the side to compare
    /// against does not compile, the findings that stop a release), with
    /// the texts they point into.
    pub diagnostics: Option<
        Box<(
            Vec<schemactl_diagnostics::Diagnostic>,
            schemactl_compile::Sources,
        )>,
    >,
    /// The diagnostics are findings, not a reason the tool stopped (the side
    /// to compare against does not compile): they are shown like findings,
    /// on stdout in the chosen format, and the command exits with the
    /// findings code, as Buf does.
    pub findings: bool,
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            hint: None,
            located: None,
            diagnostics: None,
            findings: false,
        }
    }

    #[must_use]
    pub fn hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Show these diagnostics (in the chosen format, on stderr) before the
    /// message.
    #[must_use]
    pub fn showing(
        mut self,
        diagnostics: Vec<schemactl_diagnostics::Diagnostic>,
        sources: schemactl_compile::Sources,
    ) -> Self {
        self.diagnostics = Some(Box::new((diagnostics, sources)));
        self
    }
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        // Not `eprintln!`: it panics when stderr cannot be written, and a
        // panic inside the panic hook aborts.
        let _ = writeln!(
            std::io::stderr(),
            "error: schemactl hit an internal error and stopped: {info}\nhint: this is a bug; please report it with the command you ran"
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    let mut out = Output::new(&cli.global);
    if let Err(failure) =
        error_formats_split(&cli).and_then(|()| out.open_files(&cli.global.error_format))
    {
        out.failure(&failure);
        return ExitCode::from(2);
    }
    let result = match &cli.command {
        Command::Build(args) => commands::build::run(&cli.global, args, &out),
        Command::Lint(args) => commands::lint::run(&cli.global, args, &out),
        Command::Breaking(args) => commands::breaking::run(&cli.global, args, &out),
        Command::Check(args) => commands::check::run(&cli.global, args, &out),
        Command::Diff(args) => commands::diff::run(&cli.global, args, &out),
        Command::Release(args) => commands::release::run(&cli.global, args, &out),
        Command::Generate(args) => commands::generate::run(&cli.global, args, &out),
        Command::Serve(args) => commands::serve::run(args),
        Command::Rules(args) => commands::rules::run_rules(args, &out),
        Command::Explain(args) => commands::rules::run_explain(args, &out),
        Command::Hook(command) => commands::hook::run(command, &out),
        Command::Github(command) => commands::github::run(&cli.global, command, &out),
        Command::Kafka(command) => commands::kafka::run(&cli.global, command, &out),
    };
    let findings = ExitCode::from(cli.global.exit_code.findings());
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => findings,
        Err(failure) if failure.findings => match out.failure_as_findings(&failure) {
            Ok(()) => findings,
            Err(write) => {
                out.failure(&write);
                ExitCode::from(2)
            }
        },
        Err(failure) => {
            out.failure(&failure);
            ExitCode::from(2)
        }
    }
}

/// Clap keeps the values of a global option from one level only: with
/// `--error-format` both before and after the subcommand, the ones before it
/// would be dropped without a word, and their files never written.
fn error_formats_split(cli: &Cli) -> Result<(), Failure> {
    let given = std::env::args_os()
        .skip(1)
        .take_while(|arg| arg != "--")
        .filter(|arg| {
            arg.to_str()
                .is_some_and(|a| a == "--error-format" || a.starts_with("--error-format="))
        })
        .count();
    if given > cli.global.error_format.len() {
        return Err(Failure::new(
            "--error-format is given both before and after the subcommand, and only the ones after it would be used",
        )
        .hint(Some(
            "put every --error-format after the subcommand, e.g. `schemactl lint . --error-format github-actions --error-format sarif=FILE`".to_owned(),
        )));
    }
    Ok(())
}

/// Print clap's help, version or usage error and exit as clap would, except
/// that a failed write is exit 2 (`Error::exit` ignores it).
fn clap_exit(e: &clap::Error) -> ExitCode {
    let written = e.print().and_then(|()| {
        std::io::stdout().flush()?;
        std::io::stderr().flush()
    });
    match written {
        Err(io) if io.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(std::io::stderr(), "error: cannot write the output: {io}");
            ExitCode::from(2)
        }
        _ => ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2)),
    }
}
