//! A markdown report for pull-request comments: a bold summary line, then one
//! table row per finding. No heading, because the comment that embeds it
//! brings its own.
//!
//! Cells are escaped so that nothing in a message can break the table or
//! vanish from it: `|` would end the cell, a newline would end the row, and
//! GitHub drops anything that looks like an HTML tag (`<input>`), so `<`,
//! `>` and `&` become entities. Hints and related locations go into the
//! message cell after a `<br>`, the only line break a table cell allows.

use std::io::{self, Write};

use crate::{Diagnostic, Location, Severity};

pub(super) fn render(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    if diagnostics.is_empty() {
        return writeln!(out, "No findings.");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut counts = Vec::new();
    if errors > 0 {
        counts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        counts.push(plural(warnings, "warning"));
    }
    writeln!(out, "**{}**", counts.join(", "))?;
    writeln!(out)?;
    writeln!(out, "| Severity | Rule | Location | Message |")?;
    writeln!(out, "|---|---|---|---|")?;
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = text(&d.message);
        for r in &d.related {
            message.push_str(&format!(
                "<br>note: {} ({})",
                text(&r.message),
                code(&position(&r.path, r.location))
            ));
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("<br>hint: {}", text(help)));
        }
        writeln!(
            out,
            "| {severity} | {} | {} | {message} |",
            code(&d.rule),
            code(&position(&d.path, d.location)),
        )?;
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn position(path: &str, location: Option<Location>) -> String {
    let path = if path.is_empty() { "<input>" } else { path };
    match location {
        Some(l) => format!("{path}:{}:{}", l.start_line, l.start_column),
        None => path.to_owned(),
    }
}

/// Escape free text for a table cell.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let s = s.trim();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // Backslash first, so the `\|` below cannot be undone by one in
            // the message.
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// A code span for a table cell. Inside code spans entities are not decoded,
/// so only what would break the table is changed: `|` is escaped (GitHub
/// strips the backslash inside tables), newlines become spaces, and the
/// fence is made longer than any run of backticks in the content.
fn code(s: &str) -> String {
    let content = s.replace(['\r', '\n'], " ").replace('|', "\\|");
    let longest_run = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // A space keeps a leading or trailing backtick from joining the fence.
    let pad = if content.starts_with('`') || content.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{content}{pad}{fence}")
}
