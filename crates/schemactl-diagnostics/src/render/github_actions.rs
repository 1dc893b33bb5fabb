//! GitHub workflow commands: `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=RULE::message`.
//!
//! The position properties follow Buf: each is written only when known, and
//! a finding without a path still names `file=<input>`. Two deliberate
//! differences from Buf, which the spec asks for: `title=RULE` so the
//! annotation says which rule fired, and escaping as the runner expects
//! (`%`, CR, LF everywhere; `:` and `,` in properties), which Buf skips and
//! so breaks on a multi-line message.

use std::io::{self, Write};

use crate::{Diagnostic, Severity};

pub(super) fn render(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = if d.path.is_empty() {
            "<input>"
        } else {
            &d.path
        };
        let mut props = vec![format!("file={}", escape_property(path))];
        // Columns mean nothing without the line they are on.
        if d.start_line() > 0 {
            props.push(format!("line={}", d.start_line()));
            if d.start_column() > 0 {
                props.push(format!("col={}", d.start_column()));
            }
            if d.end_line() > 0 {
                props.push(format!("endLine={}", d.end_line()));
                if d.end_column() > 0 {
                    props.push(format!("endColumn={}", d.end_column()));
                }
            }
        }
        if !d.rule.is_empty() {
            props.push(format!("title={}", escape_property(&d.rule)));
        }
        writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&d.message)
        )?;
    }
    Ok(())
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
