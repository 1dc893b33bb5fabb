//! rustc-style text: a header with the severity and rule ID, the location, a
//! snippet of the offending line(s) with carets, related locations and a
//! `hint:` line.

use std::io::{self, Write};

use super::RenderOptions;
use crate::{Diagnostic, Location, Severity, SourceLookup};

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn severity(&self, severity: Severity) -> String {
        match severity {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
        }
    }
    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

pub(super) fn render(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    sources: &dyn SourceLookup,
    options: &RenderOptions,
) -> io::Result<()> {
    let style = Style {
        color: options.color,
    };
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        render_one(out, d, sources, &style)?;
    }
    Ok(())
}

fn render_one(
    out: &mut dyn Write,
    d: &Diagnostic,
    sources: &dyn SourceLookup,
    style: &Style,
) -> io::Result<()> {
    let header = format!("[{}]: {}", d.rule, d.message);
    writeln!(out, "{}{}", style.severity(d.severity), style.bold(&header))?;
    let width = d
        .location
        .map_or(1, |l| l.end_line.max(l.start_line).to_string().len());
    let pad = " ".repeat(width);
    writeln!(
        out,
        "{pad}{} {}",
        style.gutter("-->"),
        position(&d.path, d.location)
    )?;
    if let (Some(loc), Some(src)) = (d.location, sources.source(&d.path)) {
        snippet(out, src, loc, width, style)?;
    }
    for r in &d.related {
        writeln!(
            out,
            "{pad} {} note: {} ({})",
            style.gutter("="),
            r.message,
            position(&r.path, r.location)
        )?;
    }
    if let Some(help) = &d.help {
        writeln!(out, "{pad} {} hint: {help}", style.gutter("="))?;
    }
    Ok(())
}

fn position(path: &str, location: Option<Location>) -> String {
    // Buf's name for a finding that belongs to no file (an empty input).
    let path = if path.is_empty() { "<input>" } else { path };
    match location {
        Some(l) => format!("{path}:{}:{}", l.start_line, l.start_column),
        None => path.to_owned(),
    }
}

/// Print the lines of `loc` (at most three; longer spans show the first line)
/// with carets under the range.
fn snippet(
    out: &mut dyn Write,
    src: &str,
    loc: Location,
    width: usize,
    style: &Style,
) -> io::Result<()> {
    let Some(line) = src.lines().nth(loc.start_line.saturating_sub(1) as usize) else {
        return Ok(());
    };
    let pad = " ".repeat(width);
    writeln!(out, "{pad} {}", style.gutter("|"))?;
    let number = format!("{:>width$}", loc.start_line);
    let shown = line.replace('\t', "    ");
    writeln!(out, "{} {}", style.gutter(&format!("{number} |")), shown)?;
    // Columns are 1-based character positions; tabs widen to four columns in
    // the shown line, so measure the prefix the same way.
    let chars: Vec<char> = line.chars().collect();
    let start = (loc.start_column.max(1) - 1) as usize;
    let end = if loc.end_line == loc.start_line {
        ((loc.end_column.max(1) - 1) as usize).max(start + 1)
    } else {
        chars.len().max(start + 1)
    };
    let visual = |upto: usize| -> usize {
        chars
            .iter()
            .take(upto)
            .map(|c| if *c == '\t' { 4 } else { 1 })
            .sum()
    };
    let lead = visual(start.min(chars.len())) + start.saturating_sub(chars.len());
    let carets = visual(end.min(chars.len()))
        .saturating_sub(visual(start.min(chars.len())))
        .max(1);
    writeln!(
        out,
        "{pad} {} {}{}",
        style.gutter("|"),
        " ".repeat(lead),
        style.paint("1;31", &"^".repeat(carets))
    )?;
    Ok(())
}
