//! Visual Studio format, as Buf writes it: `path(line,column) : error TYPE :
//! message`.
//!
//! Buf always prints a position, `(1,1)` when it has none, because Visual
//! Studio's parser (and the problem matchers copied from it) only match lines
//! that have one; a finding without a path is attributed to `<input>`. Buf has
//! no warnings; ours say `warning`, which the same parsers understand.
//!
//! The format is one finding per line with no escaping, so line breaks in a
//! message become spaces (Buf prints them raw, and the rest of the message
//! is lost to any parser; none of Buf's own messages has one).

use std::io::{self, Write};

use crate::{Diagnostic, Severity};

pub(super) fn render(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = if d.path.is_empty() {
            "<input>"
        } else {
            &d.path
        };
        // Buf's fallbacks for empty fields, so the line still parses.
        let rule = if d.rule.is_empty() {
            "FAILURE"
        } else {
            &d.rule
        };
        let message = if d.message.is_empty() {
            rule
        } else {
            &d.message
        };
        let message = one_line(message);
        writeln!(
            out,
            "{path}({},{}) : {severity} {rule} : {message}",
            d.start_line().max(1),
            d.start_column().max(1),
        )?;
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    s.replace("\r\n", " ").replace(['\r', '\n'], " ")
}
