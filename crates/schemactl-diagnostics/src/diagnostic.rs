use std::collections::HashMap;

/// How serious a finding is. `Warning` findings are printed but do not make the
/// command fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A range in a file, 1-based lines and columns, end inclusive of the last
/// character's column + 1 (the same convention Buf uses in its JSON output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Location {
    /// A location covering a single point.
    pub fn point(line: u32, column: u32) -> Self {
        Location {
            start_line: line,
            start_column: column,
            end_line: line,
            end_column: column,
        }
    }

    /// Build a location from a `SourceCodeInfo.Location.span` (0-based
    /// `[start_line, start_col, end_line, end_col]` or the 3-element form
    /// where the end line equals the start line).
    pub fn from_span(span: &[i32]) -> Option<Self> {
        let to = |v: i32| u32::try_from(v).ok().map(|v| v + 1);
        match *span {
            [sl, sc, ec] => Some(Location {
                start_line: to(sl)?,
                start_column: to(sc)?,
                end_line: to(sl)?,
                end_column: to(ec)?,
            }),
            [sl, sc, el, ec] => Some(Location {
                start_line: to(sl)?,
                start_column: to(sc)?,
                end_line: to(el)?,
                end_column: to(ec)?,
            }),
            _ => None,
        }
    }

    /// Compute a location from a byte range in `source`. Columns count
    /// characters (not bytes), like Buf. This scans `source` up to `end`:
    /// for many locations in one text, use a [`crate::LineIndex`].
    pub fn from_byte_range(source: &str, start: usize, end: usize) -> Self {
        let (start_line, start_column) = line_col(source, start);
        let (end_line, end_column) = line_col(source, end.max(start));
        Location {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }
}

fn line_col(source: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (saturating_u32(line), saturating_u32(column))
}

fn saturating_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A second location attached to a finding, such as where a moved message used
/// to be.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Related {
    pub path: String,
    pub location: Option<Location>,
    pub message: String,
}

/// One finding: a rule violation, a compile error or a configuration error.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// The path as the user should see it: the input directory as given,
    /// joined with the file's path inside it (Buf's convention).
    pub path: String,
    /// Where in the file; `None` for findings about a whole file (a deleted
    /// file, an unreadable file).
    pub location: Option<Location>,
    /// The rule ID (`FIELD_NO_DELETE`), or `COMPILE` / `CONFIG` for errors
    /// that are not rule violations. Buf calls this `type`.
    pub rule: String,
    pub message: String,
    pub severity: Severity,
    /// An optional `hint:` line saying what to do next.
    pub help: Option<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(
        rule: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            location: None,
            rule: rule.into(),
            message: message.into(),
            severity: Severity::Error,
            help: None,
            related: Vec::new(),
        }
    }

    #[must_use]
    pub fn with_location(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    #[must_use]
    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    /// The start line, or 0 when the finding has no location (Buf prints 0
    /// and omits the field).
    pub fn start_line(&self) -> u32 {
        self.location.map_or(0, |l| l.start_line)
    }

    pub fn start_column(&self) -> u32 {
        self.location.map_or(0, |l| l.start_column)
    }

    pub fn end_line(&self) -> u32 {
        self.location.map_or(0, |l| l.end_line)
    }

    pub fn end_column(&self) -> u32 {
        self.location.map_or(0, |l| l.end_column)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Buf's order of findings (`bufanalysis`'s file annotation sort): by
    /// path, start line, start column, then type (the rule ID) and message,
    /// and only then end line and end column, so two findings that start at
    /// one place are ordered by rule whatever their ends. A finding without
    /// a location sorts as line 0, column 0, as Buf prints it. The rest
    /// (severity, help, related) breaks the remaining ties, so the order is
    /// total and equal findings end up side by side for `dedup`.
    pub fn buf_order(&self, other: &Self) -> std::cmp::Ordering {
        fn key(d: &Diagnostic) -> (u32, u32, &str, &str, u32, u32) {
            (
                d.start_line(),
                d.start_column(),
                &d.rule,
                &d.message,
                d.end_line(),
                d.end_column(),
            )
        }
        self.path
            .cmp(&other.path)
            .then_with(|| key(self).cmp(&key(other)))
            .then_with(|| self.cmp(other))
    }
}

/// Where renderers get the text of a file to show a snippet. Keyed by the
/// display path of [`Diagnostic::path`].
pub trait SourceLookup {
    fn source(&self, path: &str) -> Option<&str>;
}

impl SourceLookup for HashMap<String, String> {
    fn source(&self, path: &str) -> Option<&str> {
        self.get(path).map(String::as_str)
    }
}

/// A lookup that knows no sources: renderers fall back to `path:line:col`.
impl SourceLookup for () {
    fn source(&self, _path: &str) -> Option<&str> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_range_to_location_counts_chars() {
        let src = "syntax = \"proto3\";\nmessage Ünï { }\n";
        let start = src.find("{").expect("brace");
        let loc = Location::from_byte_range(src, start, start + 1);
        assert_eq!(
            loc,
            Location {
                start_line: 2,
                start_column: 13,
                end_line: 2,
                end_column: 14
            }
        );
    }

    #[test]
    fn span_forms() {
        assert_eq!(
            Location::from_span(&[0, 1, 4]),
            Some(Location {
                start_line: 1,
                start_column: 2,
                end_line: 1,
                end_column: 5
            })
        );
        assert_eq!(
            Location::from_span(&[1, 2, 3, 4]),
            Some(Location {
                start_line: 2,
                start_column: 3,
                end_line: 4,
                end_column: 5
            })
        );
        assert_eq!(Location::from_span(&[1]), None);
        assert_eq!(Location::from_span(&[-1, 0, 0]), None);
    }

    #[test]
    fn buf_order_puts_rule_and_message_before_the_end() {
        let at = |rule: &str, message: &str, start: (u32, u32), end: (u32, u32)| {
            Diagnostic::new(rule, "a.proto", message).with_location(Location {
                start_line: start.0,
                start_column: start.1,
                end_line: end.0,
                end_column: end.1,
            })
        };
        let mut findings = [
            at("ENUM_VALUE_PREFIX", "b", (4, 14), (4, 17)),
            at("COMMENT_ENUM_VALUE", "x", (4, 14), (4, 22)),
            at("ENUM_VALUE_PREFIX", "a", (4, 14), (4, 30)),
            at("ENUM_PASCAL_CASE", "x", (4, 6), (4, 11)),
            Diagnostic::new("FILE_NO_DELETE", "a.proto", "gone"),
            at("ENUM_PASCAL_CASE", "x", (1, 1), (1, 2)).with_severity(Severity::Warning),
            at("ENUM_PASCAL_CASE", "x", (1, 1), (1, 2)),
        ];
        findings.sort_by(Diagnostic::buf_order);
        let order: Vec<(&str, &str, u32, u32, Severity)> = findings
            .iter()
            .map(|d| {
                (
                    d.rule.as_str(),
                    d.message.as_str(),
                    d.start_column(),
                    d.end_column(),
                    d.severity,
                )
            })
            .collect();
        assert_eq!(
            order,
            [
                // No location: line 0, first.
                ("FILE_NO_DELETE", "gone", 0, 0, Severity::Error),
                // All else equal, the rest of the finding breaks the tie.
                ("ENUM_PASCAL_CASE", "x", 1, 2, Severity::Error),
                ("ENUM_PASCAL_CASE", "x", 1, 2, Severity::Warning),
                ("ENUM_PASCAL_CASE", "x", 6, 11, Severity::Error),
                // One start: by rule, then message, then end.
                ("COMMENT_ENUM_VALUE", "x", 14, 22, Severity::Error),
                ("ENUM_VALUE_PREFIX", "a", 14, 30, Severity::Error),
                ("ENUM_VALUE_PREFIX", "b", 14, 17, Severity::Error),
            ]
        );
    }
}
