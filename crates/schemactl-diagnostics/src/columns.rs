//! Buf's columns. Internally a column counts characters (the text renderer
//! draws carets with it, and the PROTOVALIDATE locator produces it); Buf
//! counts UTF-16 code units and moves a tab to the next multiple of 4
//! (`\tstring\tName` puts `Name` at column 13, not 9). Every renderer
//! prints Buf's column, converted here from the line's text, once, so the
//! findings themselves never change. Compile errors are the exception:
//! Buf counts their columns in bytes with a tab as one column, which is
//! what the compiler gives schemactl too, so they are printed unchanged.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::{Diagnostic, LineIndex, Location, SourceLookup};

/// Buf's compile errors count bytes and a tab as one column, as the
/// compiler's own columns do: they are printed as they are.
const COMPILE: &str = "COMPILE";

/// Buf's tab stops: a tab moves to the next multiple of this many columns.
const TAB_WIDTH: u64 = 4;

/// Buf's 1-based column for the 1-based character `column` of `line` (the
/// line's text without its line ending). A column past the end of the line
/// keeps its distance from the end.
pub fn buf_column(line: &str, column: u32) -> u32 {
    let Some(before) = column.checked_sub(1) else {
        return column;
    };
    if line.is_ascii() && !line.as_bytes().contains(&b'\t') {
        return column;
    }
    let mut chars = line.chars();
    let mut buf: u64 = 0;
    let mut seen: u32 = 0;
    while seen < before {
        let Some(c) = chars.next() else {
            // Past the end of the line: one column per character.
            buf += u64::from(before - seen);
            break;
        };
        buf = if c == '\t' {
            (buf / TAB_WIDTH + 1) * TAB_WIDTH
        } else {
            buf + c.len_utf16() as u64
        };
        seen += 1;
    }
    u32::try_from(buf + 1).unwrap_or(u32::MAX)
}

/// `diagnostics` with every location (their own and their related ones') in
/// Buf's columns, from the source lines `sources` knows. Borrowed as they
/// are when no column changes (ASCII sources without tabs, no sources).
pub fn with_buf_columns<'d, 's>(
    diagnostics: &'d [Diagnostic],
    sources: &'s dyn SourceLookup,
) -> Cow<'d, [Diagnostic]> {
    let mut files: HashMap<&'d str, Option<(&'s str, LineIndex)>> = HashMap::new();
    let mut convert = |path: &'d str, location: Location| -> Location {
        let file = files
            .entry(path)
            .or_insert_with(|| sources.source(path).map(|src| (src, LineIndex::new(src))));
        let Some((src, index)) = file else {
            return location;
        };
        let column = |line: u32, column: u32| {
            index
                .line(src, line)
                .map_or(column, |(text, _)| buf_column(text, column))
        };
        Location {
            start_column: column(location.start_line, location.start_column),
            end_column: column(location.end_line, location.end_column),
            ..location
        }
    };
    let mut out: Option<Vec<Diagnostic>> = None;
    for (i, d) in diagnostics.iter().enumerate() {
        if d.rule == COMPILE {
            if let Some(out) = out.as_mut() {
                out.push(d.clone());
            }
            continue;
        }
        let location = d.location.map(|l| convert(&d.path, l));
        let related: Vec<Option<Location>> = d
            .related
            .iter()
            .map(|r| r.location.map(|l| convert(&r.path, l)))
            .collect();
        let changed = location != d.location
            || related
                .iter()
                .zip(&d.related)
                .any(|(l, r)| *l != r.location);
        if changed {
            let out = out.get_or_insert_with(|| diagnostics[..i].to_vec());
            let mut d = d.clone();
            d.location = location;
            for (r, l) in d.related.iter_mut().zip(related) {
                r.location = l;
            }
            out.push(d);
        } else if let Some(out) = out.as_mut() {
            out.push(d.clone());
        }
    }
    out.map_or(Cow::Borrowed(diagnostics), Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::buf_column;

    #[test]
    fn tabs_move_to_the_next_multiple_of_four() {
        let line = "\tstring\tBadName = 1;";
        assert_eq!(buf_column(line, 1), 1);
        assert_eq!(buf_column(line, 2), 5);
        assert_eq!(buf_column(line, 9), 13);
        assert_eq!(buf_column("  \t x", 5), 6);
    }

    #[test]
    fn characters_count_as_utf16_units() {
        assert_eq!(buf_column("\"é\" x", 5), 5);
        assert_eq!(buf_column("\"😀\" x", 5), 6);
        assert_eq!(buf_column("😀\tx", 3), 5);
    }

    #[test]
    fn columns_past_the_end_keep_their_distance() {
        assert_eq!(buf_column("\tab", 6), 9);
        assert_eq!(buf_column("", 3), 3);
        assert_eq!(buf_column("\t", 0), 0);
    }
}
