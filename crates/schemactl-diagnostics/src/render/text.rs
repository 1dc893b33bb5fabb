//! rustc-style text: a header with the severity and rule ID, the location, a
//! snippet of the offending line(s) with carets, related locations and a
//! `hint:` line.

use std::collections::HashMap;
use std::io::{self, Write};

use super::RenderOptions;
use crate::{Diagnostic, LineIndex, Location, Severity, SourceLookup};

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
    shown: &[Diagnostic],
    sources: &dyn SourceLookup,
    options: &RenderOptions,
) -> io::Result<()> {
    let style = Style {
        color: options.color,
    };
    // One line index per file, built on first use: tens of thousands of
    // findings in one file must not each scan it from the top.
    let mut indexes: HashMap<&str, FileIndex> = HashMap::new();
    for (i, (d, shown)) in diagnostics.iter().zip(shown).enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let source = d.location.and_then(|_| sources.source(&d.path)).map(|src| {
            let index = indexes
                .entry(d.path.as_str())
                .or_insert_with(|| FileIndex::new(src));
            (src, index)
        });
        render_one(out, d, shown, source, &style)?;
    }
    Ok(())
}

fn render_one(
    out: &mut dyn Write,
    d: &Diagnostic,
    shown: &Diagnostic,
    source: Option<(&str, &mut FileIndex)>,
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
        position(&d.path, shown.location)
    )?;
    if let (Some(loc), Some((src, index))) = (d.location, source) {
        snippet(out, src, index, loc, width, style)?;
    }
    for r in &shown.related {
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

/// A file's line index, and the byte offset of every character of the
/// last non-ASCII line asked for (findings come sorted, so many in a row
/// share a line): a long line is scanned once, not once per finding.
struct FileIndex {
    lines: LineIndex,
    chars: Option<(u32, Vec<usize>)>,
}

impl FileIndex {
    fn new(src: &str) -> Self {
        FileIndex {
            lines: LineIndex::new(src),
            chars: None,
        }
    }

    /// The byte offsets of the characters of non-ASCII `line` (line
    /// `number`).
    fn offsets(&mut self, line: &str, number: u32) -> &[usize] {
        if self.chars.as_ref().is_none_or(|(n, _)| *n != number) {
            self.chars = Some((number, line.char_indices().map(|(b, _)| b).collect()));
        }
        self.chars.as_ref().map_or(&[], |(_, offsets)| offsets)
    }

    /// How many characters `line` (line `number`) has.
    fn char_len(&mut self, line: &str, number: u32, ascii: bool) -> usize {
        if ascii {
            line.len()
        } else {
            self.offsets(line, number).len()
        }
    }

    /// The byte offset of character `char_index` of `line` (line `number`),
    /// or the line's length past its end.
    fn byte_at(&mut self, line: &str, number: u32, ascii: bool, char_index: usize) -> usize {
        if ascii {
            return char_index.min(line.len());
        }
        self.offsets(line, number)
            .get(char_index)
            .copied()
            .unwrap_or(line.len())
    }
}

/// The widest part of a line a snippet shows, in characters. Longer lines
/// are clipped around the span with `...` on the cut sides, so the output
/// per finding is bounded whatever the line length (minified or generated
/// files put thousands of findings on one line).
const SNIPPET_WIDTH: usize = 120;

/// How far past the end of a line a caret may be drawn: a column beyond the
/// line (an error at end of file) is shown just after it, never as
/// gigabytes of padding for a bogus column.
const MAX_OVERHANG: usize = 8;

const ELLIPSIS: &str = "...";

/// Print the first line of `loc` (clipped to [`SNIPPET_WIDTH`] characters)
/// with carets under the range; longer spans show the first line.
fn snippet(
    out: &mut dyn Write,
    src: &str,
    index: &mut FileIndex,
    loc: Location,
    width: usize,
    style: &Style,
) -> io::Result<()> {
    let Some((line, ascii)) = index.lines.line(src, loc.start_line) else {
        return Ok(());
    };
    // Columns are 1-based character positions.
    let len = index.char_len(line, loc.start_line, ascii);
    let start = (loc.start_column.max(1) - 1) as usize;
    let end = if loc.end_line == loc.start_line {
        ((loc.end_column.max(1) - 1) as usize).max(start + 1)
    } else {
        len.max(start + 1)
    };
    let overhang = start.saturating_sub(len).min(MAX_OVERHANG);
    let start = start.min(len);
    let end = end.min(len).max(start);
    // The window of characters shown: the whole line when it fits, else
    // SNIPPET_WIDTH characters centred on the span (its start when the span
    // itself is wider).
    let (from, to) = if len <= SNIPPET_WIDTH {
        (0, len)
    } else {
        let span = end - start;
        let from = if span >= SNIPPET_WIDTH {
            start.saturating_sub(SNIPPET_WIDTH / 8)
        } else {
            start.saturating_sub((SNIPPET_WIDTH - span) / 2)
        };
        let from = from.min(len - SNIPPET_WIDTH);
        (from, from + SNIPPET_WIDTH)
    };
    let mut byte_at = |char_index: usize| index.byte_at(line, loc.start_line, ascii, char_index);
    let (from_byte, start_byte, end_byte, to_byte) =
        (byte_at(from), byte_at(start), byte_at(end), byte_at(to));
    // Tabs are shown as four spaces; measure with the same widths.
    let visual = |s: &str| -> usize { s.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum() };
    let (before, after) = (
        if from > 0 { ELLIPSIS } else { "" },
        if to < len { ELLIPSIS } else { "" },
    );
    let shown = line[from_byte..to_byte].replace('\t', "    ");
    let pad = " ".repeat(width);
    writeln!(out, "{pad} {}", style.gutter("|"))?;
    let number = format!("{:>width$}", loc.start_line);
    writeln!(
        out,
        "{} {before}{shown}{after}",
        style.gutter(&format!("{number} |"))
    )?;
    let lead = before.len() + visual(&line[from_byte..start_byte]) + overhang;
    let carets = visual(&line[start_byte..end_byte.min(to_byte)]).max(1);
    writeln!(
        out,
        "{pad} {} {}{}",
        style.gutter("|"),
        " ".repeat(lead),
        style.paint("1;31", &"^".repeat(carets))
    )?;
    Ok(())
}
