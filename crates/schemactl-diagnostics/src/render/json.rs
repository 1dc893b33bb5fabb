//! Buf's JSON: one object per line with `path, start_line, start_column,
//! end_line, end_column, type, message`, byte for byte what `buf lint
//! --error-format json` prints.
//!
//! Buf never prints a line or column below 1: a finding without a location
//! (a deleted file) gets `1` everywhere, so tools that read these fields
//! never see them missing. Only `path`, `type` and `message` are left out
//! when empty, as Go's `omitempty` does.

use std::io::{self, Write};

use super::gojson::{push_key, push_string};
use crate::Diagnostic;

pub(super) fn render(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let mut line = String::new();
    for d in diagnostics {
        line.clear();
        line.push('{');
        if !d.path.is_empty() {
            push_key(&mut line, "path");
            push_string(&mut line, &d.path);
            line.push(',');
        }
        let numbers = [
            ("start_line", d.start_line()),
            ("start_column", d.start_column()),
            ("end_line", d.end_line()),
            ("end_column", d.end_column()),
        ];
        for (i, (key, value)) in numbers.into_iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            push_key(&mut line, key);
            line.push_str(&value.max(1).to_string());
        }
        for (key, value) in [("type", &d.rule), ("message", &d.message)] {
            if !value.is_empty() {
                line.push(',');
                push_key(&mut line, key);
                push_string(&mut line, value);
            }
        }
        line.push_str("}\n");
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}
