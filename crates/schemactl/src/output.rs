//! Where things are printed: data on stdout, everything else on stderr,
//! colour only on a terminal and never with `NO_COLOR`.
//!
//! Every byte the CLI prints goes through [`Output::write`]: buffered, then
//! flushed, and a failed write or flush is a [`Failure`] (exit 2), so a
//! full disk never passes for a written report. The one exception is a
//! reader that went away (`schemactl lint | head`, a broken pipe): the rest
//! of that stream's output is dropped quietly, as `git` and `grep` do, and
//! the exit code stays the command's own (1 when there were findings), so a
//! pipeline with `pipefail` still sees them.
//!
//! Findings and compile errors are rendered once per requested format: the
//! stdout format (`--error-format FORMAT`, default `text`) where they go
//! today, and each `--error-format FORMAT=FILE` into its file, all from the
//! same report in the same run. As in Buf, `lint`, `breaking` and `check`
//! print compile errors (of either side) on stdout like any finding, in
//! every format; `build` prints them on stderr (its stdout may be the
//! image). The files are created (or truncated) before
//! the command runs, so an unwritable one stops it before any work.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use schemactl_diagnostics::{Diagnostic, ErrorFormat, RenderOptions, SourceLookup, render};

use crate::args::{ColorChoice, FormatTarget, GlobalArgs};
use crate::{Failure, Outcome};

/// The two streams the CLI writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
}

/// An `--error-format FORMAT=FILE`: the format, and the file it is
/// written to, open for the whole run.
struct FormatFile {
    format: ErrorFormat,
    path: PathBuf,
    file: File,
}

pub struct Output {
    /// The format on stdout (and on stderr for the compile errors of
    /// `build`).
    pub format: ErrorFormat,
    /// The formats written into files as well.
    files: Vec<FormatFile>,
    color_stdout: bool,
    color_stderr: bool,
    pub verbose: bool,
    /// Whether each stream's reader went away (stdout, stderr).
    closed: [Cell<bool>; 2],
}

impl Output {
    pub fn new(global: &GlobalArgs) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |is_tty: bool| match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_tty && !no_color,
        };
        Output {
            format: global
                .error_format
                .iter()
                .find(|target| target.file.is_none())
                .map(|target| target.format)
                .unwrap_or_default(),
            files: Vec::new(),
            color_stdout: decide(std::io::stdout().is_terminal()),
            color_stderr: decide(std::io::stderr().is_terminal()),
            verbose: global.verbose,
            closed: [Cell::new(false), Cell::new(false)],
        }
    }

    /// Check the `--error-format` values (at most one for stdout) and
    /// create or truncate each `FORMAT=FILE`.
    pub fn open_files(&mut self, targets: &[FormatTarget]) -> Result<(), Failure> {
        let on_stdout: Vec<&str> = targets
            .iter()
            .filter(|target| target.file.is_none())
            .map(|target| target.format.name())
            .collect();
        if let [first, second, ..] = on_stdout[..] {
            return Err(Failure::new(format!(
                "--error-format asks for two formats on stdout: `{first}` and `{second}`"
            ))
            .hint(Some(format!(
                "keep one on stdout and write the other into a file: `--error-format {second}=FILE`"
            ))));
        }
        for target in targets {
            let Some(path) = &target.file else { continue };
            if self.files.iter().any(|f| &f.path == path) {
                return Err(Failure::new(format!(
                    "--error-format names `{}` twice",
                    path.display()
                ))
                .hint(Some("give each format its own file".to_owned())));
            }
            let file = File::create(path).map_err(|e| {
                Failure::new(format!(
                    "cannot write `{}` (--error-format {}={}): {e}",
                    path.display(),
                    target.format.name(),
                    path.display()
                ))
                .hint(Some(
                    "name a file in a directory that exists and that you can write to".to_owned(),
                ))
            })?;
            self.files.push(FormatFile {
                format: target.format,
                path: path.clone(),
                file,
            });
        }
        Ok(())
    }

    fn options(&self, format: ErrorFormat, color: bool) -> RenderOptions {
        RenderOptions {
            color: color && format == ErrorFormat::Text,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            rule_help_uri: String::new(),
        }
    }

    /// Write to `stream` through a buffer and flush it: the one way the CLI
    /// prints. See the module documentation for what a failure means.
    pub fn write(
        &self,
        stream: Stream,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Failure> {
        let closed = &self.closed[stream as usize];
        if closed.get() {
            return Ok(());
        }
        let result = match stream {
            Stream::Stdout => {
                let mut w = BufWriter::new(io::stdout().lock());
                write(&mut w).and_then(|()| w.flush())
            }
            Stream::Stderr => {
                let mut w = BufWriter::new(io::stderr().lock());
                write(&mut w).and_then(|()| w.flush())
            }
        };
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                closed.set(true);
                Ok(())
            }
            Err(e) => Err(Failure::new(format!("cannot write to {}: {e}", stream.name()))
                .hint(Some(format!(
                    "the output is incomplete; make room on the disk or device {} goes to, or redirect it elsewhere",
                    stream.name()
                )))),
        }
    }

    /// Data on stdout (reports, documentation, a tag name).
    pub fn data(&self, text: &str) -> Result<(), Failure> {
        self.write(Stream::Stdout, |w| w.write_all(text.as_bytes()))
    }

    /// Binary data on stdout (an image written with `-o -`).
    pub fn data_bytes(&self, bytes: &[u8]) -> Result<(), Failure> {
        self.write(Stream::Stdout, |w| w.write_all(bytes))
    }

    /// A line for the user on stderr (a confirmation, a count).
    pub fn line(&self, line: &str) -> Result<(), Failure> {
        self.write(Stream::Stderr, |w| writeln!(w, "{line}"))
    }

    /// A `note:` line on stderr: something the user might expect did not
    /// run, and why (CONTRIBUTING.md, "Writing messages").
    pub fn note(&self, note: &str) -> Result<(), Failure> {
        self.line(&format!("note: {note}"))
    }

    fn diagnostics(
        &self,
        stream: Stream,
        diagnostics: &[Diagnostic],
        sources: &dyn SourceLookup,
    ) -> Result<(), Failure> {
        let color = match stream {
            Stream::Stdout => self.color_stdout,
            Stream::Stderr => self.color_stderr,
        };
        self.write(stream, |w| {
            render(
                w,
                self.format,
                diagnostics,
                sources,
                &self.options(self.format, color),
            )
        })?;
        for target in &self.files {
            let mut w = BufWriter::new(&target.file);
            render(
                &mut w,
                target.format,
                diagnostics,
                sources,
                &self.options(target.format, false),
            )
            .and_then(|()| w.flush())
            .map_err(|e| {
                Failure::new(format!(
                    "cannot write `{}` (--error-format {}): {e}",
                    target.path.display(),
                    target.format.name()
                ))
                .hint(Some(format!(
                    "the {} report in it is incomplete; make room on the disk it is on, or name another file",
                    target.format.name()
                )))
            })?;
        }
        Ok(())
    }

    /// Render findings in the chosen format on stderr (compile errors of
    /// `build`, like Buf), and into each `--error-format FORMAT=FILE`.
    pub fn diagnostics_to_stderr(
        &self,
        diagnostics: &[Diagnostic],
        sources: &dyn SourceLookup,
    ) -> Result<(), Failure> {
        self.diagnostics(Stream::Stderr, diagnostics, sources)
    }

    /// Render findings on stdout (the data of lint/breaking/check), and
    /// into each `--error-format FORMAT=FILE`.
    pub fn diagnostics_to_stdout(
        &self,
        diagnostics: &[Diagnostic],
        sources: &dyn SourceLookup,
    ) -> Result<(), Failure> {
        self.diagnostics(Stream::Stdout, diagnostics, sources)
    }

    /// A tool failure: always text on stderr. Best effort: when stderr
    /// itself cannot be written there is nowhere left to say so, and the
    /// exit code (2) still tells.
    pub fn failure(&self, failure: &Failure) {
        if let Some(shown) = &failure.diagnostics {
            let (diagnostics, sources) = &**shown;
            let _ = self.diagnostics_to_stderr(diagnostics, sources);
        }
        if let Some(located) = &failure.located {
            let (diagnostic, text) = &**located;
            let sources: std::collections::HashMap<String, String> =
                [(diagnostic.path.clone(), text.clone())].into();
            let _ = self.config_error(diagnostic, &sources);
            return;
        }
        let paint = |code: &str, s: &str| {
            if self.color_stderr {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_owned()
            }
        };
        let _ = self.write(Stream::Stderr, |w| {
            writeln!(w, "{}: {}", paint("1;31", "error"), failure.message)?;
            if let Some(hint) = &failure.hint {
                writeln!(w, "{}: {hint}", paint("1;36", "hint"))?;
            }
            Ok(())
        });
    }

    /// A configuration error: a located diagnostic with a snippet, always as
    /// text on stderr (it is not a finding).
    pub fn config_error(
        &self,
        diagnostic: &Diagnostic,
        sources: &dyn SourceLookup,
    ) -> Result<(), Failure> {
        let options = RenderOptions {
            color: self.color_stderr,
            ..self.options(ErrorFormat::Text, self.color_stderr)
        };
        self.write(Stream::Stderr, |w| {
            render(
                w,
                ErrorFormat::Text,
                std::slice::from_ref(diagnostic),
                sources,
                &options,
            )
        })
    }

    /// The closing count on stderr, for text output on a terminal or with
    /// `--verbose` (machine formats stay clean).
    pub fn summary(&self, errors: usize, warnings: usize) -> Result<(), Failure> {
        if self.format == ErrorFormat::Text && (self.verbose || io::stderr().is_terminal()) {
            let plural =
                |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            self.line(&format!(
                "{}, {}",
                plural(errors, "error"),
                plural(warnings, "warning")
            ))?;
        }
        Ok(())
    }

    /// A check's report as `lint`, `breaking` and `check` show it: the
    /// compile errors, else the findings, on stdout in the chosen format
    /// (compile errors are findings of type `COMPILE`, as in Buf), and the
    /// closing count; compile errors and findings at error level fail the
    /// command.
    pub fn report(&self, report: &schemactl_check::Report) -> Result<Outcome, Failure> {
        let compilation = &report.current.compilation;
        if !report.compiled() {
            self.diagnostics_to_stdout(&compilation.diagnostics, &compilation.sources)?;
            return Ok(Outcome::Findings);
        }
        self.diagnostics_to_stdout(&report.findings, &compilation.sources)?;
        let errors = report.errors();
        if !report.findings.is_empty() {
            self.summary(errors, report.findings.len() - errors)?;
        }
        Ok(if errors > 0 {
            Outcome::Findings
        } else {
            Outcome::Clean
        })
    }

    /// A [`Failure`] whose diagnostics are findings (the side to compare
    /// against does not compile): the diagnostics on stdout in the chosen
    /// format and into each file, as Buf prints them; with `text`, the
    /// message and hint follow on stderr as a `note:`, so a person sees
    /// which side failed. Machine formats get nothing else.
    pub fn failure_as_findings(&self, failure: &Failure) -> Result<(), Failure> {
        if let Some(shown) = &failure.diagnostics {
            let (diagnostics, sources) = &**shown;
            self.diagnostics_to_stdout(diagnostics, sources)?;
        }
        if self.format == ErrorFormat::Text {
            let mut note = failure.message.clone();
            if let Some(hint) = &failure.hint {
                note.push_str("; ");
                note.push_str(hint);
            }
            self.note(&note)?;
        }
        Ok(())
    }

    pub fn info(&self, message: &str) -> Result<(), Failure> {
        if self.verbose {
            self.line(message)?;
        }
        Ok(())
    }
}

/// A `note:` line on stderr from where the [`Output`] is not at hand (a
/// callback inside a request: a retry's wait). Best effort: a note that
/// cannot be written is lost, and the command goes on.
pub fn note_from_callback(note: &str) {
    let mut w = BufWriter::new(io::stderr().lock());
    let _ = writeln!(w, "note: {note}").and_then(|()| w.flush());
}
