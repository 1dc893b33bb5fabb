//! Where each line of a text starts, built once per file, so turning byte
//! offsets into lines and columns (or finding a line) costs a binary search
//! rather than a scan from the top: many findings in one file stay linear.

use crate::Location;

/// Line starts of one text, and whether each line is pure ASCII (then a
/// character column is a byte offset and needs no scan of the line).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    ascii: Vec<bool>,
}

impl LineIndex {
    pub fn new(src: &str) -> Self {
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (i, b) in src.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
                ascii.push(line_ascii);
                line_ascii = true;
            } else if !b.is_ascii() {
                line_ascii = false;
            }
        }
        ascii.push(line_ascii);
        LineIndex { starts, ascii }
    }

    /// Line `number` (1-based) of `src` without its line ending, as
    /// `str::lines` yields it, and whether it is ASCII. `src` must be the
    /// text the index was built from.
    pub fn line<'s>(&self, src: &'s str, number: u32) -> Option<(&'s str, bool)> {
        let i = (number as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        // `str::lines` yields no empty line after a final newline.
        if start >= src.len() {
            return None;
        }
        let end = self.starts.get(i + 1).map_or(src.len(), |next| next - 1);
        let line = &src[start..end];
        Some((line.strip_suffix('\r').unwrap_or(line), self.ascii[i]))
    }

    /// The 1-based line and character column of byte `offset` (clamped to
    /// the text and to a character boundary).
    pub fn line_col(&self, src: &str, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(src.len());
        while !src.is_char_boundary(offset) {
            offset -= 1;
        }
        let i = self.starts.partition_point(|s| *s <= offset) - 1;
        let start = self.starts[i];
        let column = if self.ascii[i] {
            offset - start
        } else {
            src[start..offset].chars().count()
        };
        (saturating_u32(i + 1), saturating_u32(column + 1))
    }

    /// [`Location::from_byte_range`] through the index.
    pub fn location(&self, src: &str, start: usize, end: usize) -> Location {
        let (start_line, start_column) = self.line_col(src, start);
        let (end_line, end_column) = self.line_col(src, end.max(start));
        Location {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }
}

fn saturating_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index agrees with the scanning conversion at every offset,
    /// including inside multi-byte characters and at the end.
    #[test]
    fn agrees_with_scanning() {
        let src = "syntax = \"proto3\";\r\nmessage Ünï {\n\n  int32 é = 1; }\nlast";
        let index = LineIndex::new(src);
        for start in 0..=src.len() + 2 {
            for end in [start, start + 1, start + 7] {
                assert_eq!(
                    index.location(src, start, end),
                    Location::from_byte_range(src, start, end),
                    "{start}..{end}"
                );
            }
        }
        for (i, line) in src.lines().enumerate() {
            assert_eq!(index.line(src, i as u32 + 1).map(|l| l.0), Some(line));
        }
        assert_eq!(index.line(src, 6), None);
        assert_eq!(index.line(src, 0), None);
    }
}
