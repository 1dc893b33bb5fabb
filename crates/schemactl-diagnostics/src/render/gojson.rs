//! JSON strings escaped the way Go's `encoding/json` escapes them.
//!
//! The `json` and `gitlab-code-quality` formats promise Buf's bytes, not just
//! Buf's shape: scripts diff them, and GitLab fingerprints are a hash of the
//! JSON text. Go escapes `<`, `>`, `&`, U+2028 and U+2029 (serde_json does
//! not), so those formats are written by hand with this instead of serde.

/// Append `s` to `out` as a quoted JSON string.
pub(super) fn push_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\0'..='\u{1f}' => {
                let code = u32::from(c);
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(char::from(HEX[((code >> shift) & 0xf) as usize]));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Append `"key":` to `out`.
pub(super) fn push_key(out: &mut String, key: &str) {
    push_string(out, key);
    out.push(':');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(s: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, s);
        out
    }

    #[test]
    fn escapes_like_go() {
        assert_eq!(quoted("a<b>&c"), r#""a\u003cb\u003e\u0026c""#);
        assert_eq!(quoted("q\"\\"), r#""q\"\\""#);
        assert_eq!(quoted("\n\r\t\u{8}\u{c}\u{1}"), r#""\n\r\t\b\f\u0001""#);
        assert_eq!(quoted("\u{2028}\u{2029}é%,:|"), "\"\\u2028\\u2029é%,:|\"");
    }

    #[test]
    fn output_is_valid_json() {
        let s = "x<y & \"z\"\n\u{2028}\u{7f}";
        let parsed: String = serde_json::from_str(&quoted(s)).expect("valid JSON");
        assert_eq!(parsed, s);
    }
}
