//! Whether a `pattern` compiles, with the error Go's `regexp` (RE2 syntax,
//! what protovalidate and Buf use) gives for it.
//!
//! The pattern is parsed with `regex-syntax`, whose syntax is close to
//! RE2's; its errors are mapped to Go's wording (`error parsing regexp:
//! missing closing ): `a(b``). Where the two syntaxes differ (Go reads
//! `a{` as a literal, Rust rejects it), Go's answer wins where known; other
//! rare errors keep `regex-syntax`'s description.

use regex_syntax::ast::ErrorKind;
use regex_syntax::ast::parse::ParserBuilder;

/// The most a pattern may nest; deeper patterns are reported, not parsed
/// (the parser has its own limit too).
const NEST_LIMIT: u32 = 250;

/// Go's compile error for `pattern`, or `None` when it compiles.
pub(super) fn go_compile_error(pattern: &str) -> Option<String> {
    let error = ParserBuilder::new()
        .nest_limit(NEST_LIMIT)
        .build()
        .parse(pattern)
        .err()?;
    let span = error.span();
    let at = pattern
        .get(span.start.offset..span.end.offset)
        .unwrap_or_default();
    let (code, expr) = match error.kind() {
        // Go reads an unclosed or empty `{` as a literal.
        ErrorKind::RepetitionCountUnclosed | ErrorKind::RepetitionCountDecimalEmpty => {
            return None;
        }
        ErrorKind::GroupUnclosed => ("missing closing )", pattern.to_owned()),
        ErrorKind::GroupUnopened => ("unexpected )", pattern.to_owned()),
        ErrorKind::ClassUnclosed => (
            "missing closing ]",
            pattern
                .get(span.start.offset..)
                .unwrap_or_default()
                .to_owned(),
        ),
        ErrorKind::RepetitionMissing => (
            "missing argument to repetition operator",
            if at.is_empty() {
                pattern
                    .get(span.start.offset..)
                    .and_then(|rest| rest.chars().next())
                    .map(String::from)
                    .unwrap_or_default()
            } else {
                at.to_owned()
            },
        ),
        ErrorKind::RepetitionCountInvalid => ("invalid repeat count", at.to_owned()),
        ErrorKind::EscapeUnrecognized | ErrorKind::UnsupportedBackreference => {
            ("invalid escape sequence", at.to_owned())
        }
        ErrorKind::EscapeUnexpectedEof => {
            ("trailing backslash at end of expression", String::new())
        }
        ErrorKind::UnsupportedLookAround => (
            "invalid or unsupported Perl syntax",
            at.chars().take(3).collect(),
        ),
        ErrorKind::ClassRangeInvalid => ("invalid character class range", at.to_owned()),
        _ => return Some(format!("error parsing regexp: {}", error.kind())),
    };
    Some(if expr.is_empty() {
        format!("error parsing regexp: {code}: ``")
    } else {
        format!("error parsing regexp: {code}: `{expr}`")
    })
}
