//! Where things are printed: data on stdout, everything else on stderr,
//! colour only on a terminal and never with `NO_COLOR`.

use std::io::{IsTerminal, Write};

use schemactl_diagnostics::{Diagnostic, ErrorFormat, RenderOptions, SourceLookup, render};

use crate::Failure;
use crate::args::{ColorChoice, GlobalArgs};

pub struct Output {
    pub format: ErrorFormat,
    color_stdout: bool,
    color_stderr: bool,
    pub verbose: bool,
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
            format: ErrorFormat::from_name(&global.error_format).unwrap_or_default(),
            color_stdout: decide(std::io::stdout().is_terminal()),
            color_stderr: decide(std::io::stderr().is_terminal()),
            verbose: global.verbose,
        }
    }

    fn options(&self, color: bool) -> RenderOptions {
        RenderOptions {
            color: color && self.format == ErrorFormat::Text,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            rule_help_uri: String::new(),
        }
    }

    /// Render findings in the chosen format on stderr (compile errors of
    /// `build`, like Buf).
    pub fn diagnostics_to_stderr(&self, diagnostics: &[Diagnostic], sources: &dyn SourceLookup) {
        let mut err = std::io::stderr().lock();
        let _ = render(
            &mut err,
            self.format,
            diagnostics,
            sources,
            &self.options(self.color_stderr),
        );
        let _ = err.flush();
    }

    /// Render findings on stdout (the data of lint/breaking/check).
    pub fn diagnostics_to_stdout(&self, diagnostics: &[Diagnostic], sources: &dyn SourceLookup) {
        let mut out = std::io::stdout().lock();
        let _ = render(
            &mut out,
            self.format,
            diagnostics,
            sources,
            &self.options(self.color_stdout),
        );
        let _ = out.flush();
    }

    /// A tool failure: always text on stderr.
    pub fn failure(&self, failure: &Failure) {
        if let Some(located) = &failure.located {
            let (diagnostic, text) = &**located;
            let sources: std::collections::HashMap<String, String> =
                [(diagnostic.path.clone(), text.clone())].into();
            self.config_error(diagnostic, &sources);
            return;
        }
        let paint = |code: &str, s: &str| {
            if self.color_stderr {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_owned()
            }
        };
        eprintln!("{}: {}", paint("1;31", "error"), failure.message);
        if let Some(hint) = &failure.hint {
            eprintln!("{}: {hint}", paint("1;36", "hint"));
        }
    }

    /// A configuration error: a located diagnostic with a snippet, always as
    /// text on stderr (it is not a finding).
    pub fn config_error(&self, diagnostic: &Diagnostic, sources: &dyn SourceLookup) {
        let mut err = std::io::stderr().lock();
        let options = RenderOptions {
            color: self.color_stderr,
            ..self.options(self.color_stderr)
        };
        let _ = render(
            &mut err,
            ErrorFormat::Text,
            std::slice::from_ref(diagnostic),
            sources,
            &options,
        );
    }

    /// The closing count on stderr, for text output on a terminal or with
    /// `--verbose` (machine formats stay clean).
    pub fn summary(&self, errors: usize, warnings: usize) {
        if self.format == ErrorFormat::Text && (self.verbose || std::io::stderr().is_terminal()) {
            let plural =
                |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            eprintln!(
                "{}, {}",
                plural(errors, "error"),
                plural(warnings, "warning")
            );
        }
    }

    pub fn info(&self, message: &str) {
        if self.verbose {
            eprintln!("{message}");
        }
    }
}
