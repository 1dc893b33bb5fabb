//! JUnit XML in the exact shape of `buf lint --error-format junit`, so CI
//! test-report widgets set up for Buf keep showing the same suites and cases.
//!
//! One `<testsuite>` per file, in order of first appearance, named after the
//! path without `.proto`; one `<testcase>` per finding, named
//! `RULE_line_column`, holding a `<failure>` whose message is Buf's
//! `path:line:column:message` line. Every case fails (`tests` equals
//! `failures`), warnings included: a report that showed them as passing tests
//! would hide them. With no findings Buf prints nothing at all, and so do we.

use std::io::{self, Write};

use crate::Diagnostic;

pub(super) fn render(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    let mut xml = String::from("<testsuites>\n");
    for (path, group) in group_by_path(diagnostics) {
        let suite = path.strip_suffix(".proto").unwrap_or(path);
        xml.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{n}\" errors=\"0\">\n",
            escape(suite),
            n = group.len(),
        ));
        for d in group {
            let rule = &d.rule;
            let name = match (d.start_line(), d.start_column()) {
                (line, column) if column != 0 => format!("{rule}_{line}_{column}"),
                (line, _) if line != 0 => format!("{rule}_{line}"),
                _ => rule.clone(),
            };
            xml.push_str(&format!("    <testcase name=\"{}\">\n", escape(&name)));
            xml.push_str(&format!(
                "      <failure message=\"{}\" type=\"{}\"></failure>\n",
                escape(&buf_line(path, d)),
                escape(rule),
            ));
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

/// Buf's display path: findings with no file are attributed to `<input>`.
fn display_path(d: &Diagnostic) -> &str {
    if d.path.is_empty() {
        "<input>"
    } else {
        &d.path
    }
}

fn group_by_path(diagnostics: &[Diagnostic]) -> Vec<(&str, Vec<&Diagnostic>)> {
    let mut groups: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in diagnostics {
        let path = display_path(d);
        match groups.iter_mut().find(|(p, _)| *p == path) {
            Some((_, group)) => group.push(d),
            None => groups.push((path, vec![d])),
        }
    }
    groups
}

/// Buf's text line for a finding (`path:line:column:message`), which it uses
/// as the failure message; positions below 1 are shown as 1.
fn buf_line(path: &str, d: &Diagnostic) -> String {
    let message = match (d.message.as_str(), d.rule.as_str()) {
        ("", "") => "FAILURE",
        ("", rule) => rule,
        (message, _) => message,
    };
    format!(
        "{path}:{}:{}:{message}",
        d.start_line().max(1),
        d.start_column().max(1)
    )
}

/// Escape an attribute value as Go's `encoding/xml` does, so the bytes match
/// Buf's: quotes and tabs/newlines become character references (a raw newline
/// in an attribute would be normalised to a space by any XML parser), and
/// characters XML cannot carry become U+FFFD.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// The `Char` production of XML 1.0.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}
