//! Case conventions shared by the naming rules.
//!
//! Buf does not define the conventions by a grammar: a name is `PascalCase`
//! when converting it to `PascalCase` leaves it unchanged, and the converted
//! name is the suggestion in the message. The conversions below reproduce
//! Buf's, quirks included, so that the same names are accepted and the same
//! suggestions are printed:
//!
//! - `PascalCase` keeps upper-case letters as they are (`HTTPServer` is
//!   fine), upper-cases the first letter and every letter after a
//!   delimiter, and lower-cases the rest.
//! - `snake_case` trims delimiters at both ends, turns each delimiter into
//!   `_` (collapsing runs), and starts a new word before an upper-case letter
//!   that follows a lower-case one or begins a lower-case run
//!   (`HTTPServer` → `http_server`). Digits never start a word (`foo1Bar` →
//!   `foo1_bar`, but `foo_1` stays).

/// Characters Buf treats as word separators.
fn is_delimiter(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | ' ' | '\t' | '\n' | '\r')
}

/// `PascalCase`, as Buf defines it: unchanged by [`to_pascal_case`].
pub fn is_pascal_case(name: &str) -> bool {
    name == to_pascal_case(name)
}

/// `lower_snake_case`, as Buf defines it: unchanged by
/// [`to_lower_snake_case`] (so no leading, trailing or doubled `_`).
pub fn is_lower_snake_case(name: &str) -> bool {
    name == to_lower_snake_case(name)
}

/// `UPPER_SNAKE_CASE`, as Buf defines it: unchanged by
/// [`to_upper_snake_case`].
pub fn is_upper_snake_case(name: &str) -> bool {
    name == to_upper_snake_case(name)
}

/// The `PascalCase` spelling Buf suggests: delimiters dropped, the first
/// letter and each letter after a delimiter upper-cased, other upper-case
/// letters kept, lower-case letters kept lower-case.
pub fn to_pascal_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut previous: Option<char> = None;
    for (i, c) in name.trim().char_indices() {
        if !is_delimiter(c) {
            if i == 0 || previous.is_some_and(is_delimiter) || c.is_uppercase() {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
        previous = Some(c);
    }
    out
}

/// The `lower_snake_case` spelling Buf suggests.
pub fn to_lower_snake_case(name: &str) -> String {
    snake_case(name).to_lowercase()
}

/// The `UPPER_SNAKE_CASE` spelling Buf suggests.
pub fn to_upper_snake_case(name: &str) -> String {
    snake_case(name).to_uppercase()
}

/// Words joined by single `_`, case untouched.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.trim_matches(is_delimiter).chars().collect();
    let mut out = String::with_capacity(chars.len() + 4);
    for (i, &original) in chars.iter().enumerate() {
        let c = if is_delimiter(original) {
            '_'
        } else {
            original
        };
        if i == 0 {
            out.push(c);
            continue;
        }
        let after_underscore = out.ends_with('_');
        // An upper-case letter starts a word when a lower-case run follows
        // it (the `S` of `HTTPServer`) or a lower-case letter precedes it
        // (the `B` of `fooBar`).
        let lower_run_follows = chars
            .get(i + 1)
            .is_some_and(|&n| !n.is_uppercase() && !n.is_ascii_digit() && !is_delimiter(n));
        let lower_precedes = chars[i - 1].is_lowercase();
        if c.is_uppercase() && !after_underscore && (lower_run_follows || lower_precedes) {
            out.push('_');
            out.push(c);
        } else if !(c == '_' && after_underscore) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case_keeps_capitals_and_joins_words() {
        assert_eq!(to_pascal_case("foo_bar"), "FooBar");
        assert_eq!(to_pascal_case("fooBar"), "FooBar");
        assert_eq!(to_pascal_case("HTTPServer"), "HTTPServer");
        assert_eq!(to_pascal_case("FOO_bar"), "FOOBar");
        assert_eq!(to_pascal_case("_foo__bar_"), "FooBar");
        assert_eq!(to_pascal_case("foo1bar"), "Foo1bar");
        assert_eq!(to_pascal_case("foo_1bar"), "Foo1bar");
        assert!(is_pascal_case("HTTPServer"));
        assert!(is_pascal_case("V1"));
        assert!(!is_pascal_case("Foo_Bar"));
        assert!(!is_pascal_case("fooBar"));
    }

    #[test]
    fn snake_case_splits_like_buf() {
        assert_eq!(to_lower_snake_case("fooBar"), "foo_bar");
        assert_eq!(to_lower_snake_case("FooBar"), "foo_bar");
        assert_eq!(to_lower_snake_case("HTTPServer"), "http_server");
        assert_eq!(to_lower_snake_case("fooBAR"), "foo_bar");
        assert_eq!(to_lower_snake_case("foo1Bar"), "foo1_bar");
        assert_eq!(to_lower_snake_case("foo__bar"), "foo_bar");
        assert_eq!(to_lower_snake_case("_foo_"), "foo");
        assert_eq!(to_lower_snake_case("foo.bar-baz"), "foo_bar_baz");
        assert_eq!(to_lower_snake_case("foo_Bar"), "foo_bar");
        assert_eq!(to_lower_snake_case("ABc"), "a_bc");
        assert_eq!(to_upper_snake_case("fooBar"), "FOO_BAR");
        assert_eq!(to_upper_snake_case("HTTPStatus"), "HTTP_STATUS");
        assert_eq!(to_upper_snake_case("V2Thing"), "V2_THING");
        assert!(is_lower_snake_case("foo_1"));
        assert!(is_lower_snake_case("foo1bar"));
        assert!(!is_lower_snake_case("foo__bar"));
        assert!(!is_lower_snake_case("_foo"));
        assert!(is_upper_snake_case("FOO_1BAR"));
        assert!(!is_upper_snake_case("FOO__BAR"));
    }
}
