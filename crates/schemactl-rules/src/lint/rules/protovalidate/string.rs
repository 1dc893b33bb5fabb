//! `string` and `bytes` rules: lengths, substrings that cannot fit,
//! patterns that do not compile, `strict` without a well-known format.

use prost_reflect::DynamicMessage;

use super::adder::{Adder, quote};
use super::field::n;
use super::regex::go_compile_error;
use super::rules::{
    check_const, check_len_rules, get_bytes, get_opt_bool, get_str, get_u64, set_fields,
};

/// Field numbers of `buf.validate.StringRules`.
mod s {
    pub const MIN_LEN: i32 = 2;
    pub const MAX_LEN: i32 = 3;
    pub const MIN_BYTES: i32 = 4;
    pub const MAX_BYTES: i32 = 5;
    pub const PATTERN: i32 = 6;
    pub const PREFIX: i32 = 7;
    pub const SUFFIX: i32 = 8;
    pub const CONTAINS: i32 = 9;
    pub const WELL_KNOWN_REGEX: i32 = 24;
    pub const STRICT: i32 = 25;
}

/// Field numbers of `buf.validate.BytesRules`.
mod b {
    pub const PATTERN: i32 = 4;
    pub const PREFIX: i32 = 5;
    pub const SUFFIX: i32 = 6;
    pub const CONTAINS: i32 = 7;
}

pub(super) fn check_string(adder: &Adder<'_>, rules: &DynamicMessage) {
    let rule = n::STRING;
    check_const(adder, rules, rule);
    check_len_rules(adder, rules, rule, "len", "min_len", "max_len");
    check_len_rules(adder, rules, rule, "len_bytes", "min_bytes", "max_bytes");
    let field = quote(adder.field_name());
    let name = |number: i32| adder.rule_name(&[rule, number]);
    let min_len = get_u64(rules, "min_len");
    let max_len = get_u64(rules, "max_len");
    let min_bytes = get_u64(rules, "min_bytes");
    let max_bytes = get_u64(rules, "max_bytes");
    if let (Some(min_len), Some(max_bytes)) = (min_len, max_bytes)
        && max_bytes < min_len
    {
        let (a, b) = (name(s::MIN_LEN), name(s::MAX_BYTES));
        adder.add(
            &[rule, s::MIN_LEN],
            format!("Field {field} has value {min_len} for {a}, which must be lower than value {max_bytes} for {b}. A string with {min_len} UTF-8 characters has at least {min_len} bytes, which is higher than {max_bytes} bytes."),
        );
        adder.add(
            &[rule, s::MAX_BYTES],
            format!("Field {field} has value {max_bytes} for {b}, which must be higher than value {min_len} for {a}. A string with {min_len} UTF-8 characters has at least {min_len} bytes, which is higher than {max_bytes} bytes."),
        );
    }
    if let (Some(max_len), Some(min_bytes)) = (max_len, min_bytes)
        && max_len.wrapping_mul(4) < min_bytes
    {
        let (a, b) = (name(s::MIN_BYTES), name(s::MAX_LEN));
        let most = max_len.wrapping_mul(4);
        adder.add(
            &[rule, s::MIN_BYTES],
            format!("Field {field} has value {min_bytes} for {a} but {max_len} for {b}. A string with {max_len} UTF-8 characters has at most {most} bytes."),
        );
        adder.add(
            &[rule, s::MAX_LEN],
            format!("Field {field} has value {max_len} for {b} but {min_bytes} for {a}. A string with {max_len} UTF-8 characters has at most {most} bytes."),
        );
    }
    let not_contains = get_str(rules, "not_contains");
    for (part, number) in [
        ("prefix", s::PREFIX),
        ("suffix", s::SUFFIX),
        ("contains", s::CONTAINS),
    ] {
        let Some(sub) = get_str(rules, part) else {
            continue;
        };
        let part_name = name(number);
        let chars = sub.chars().count() as u64;
        if let Some(max_len) = max_len
            && chars > max_len
        {
            adder.add(
                &[rule, number],
                format!(
                    "Field {field} has a {part_name} of length {chars}, exceeding its max_len ({max_len}). It is impossible for a string to contain {} while having less than or equal to {chars} UTF-8 characters.",
                    quote(&sub)
                ),
            );
        }
        let bytes = sub.len() as u64;
        if let Some(max_bytes) = max_bytes
            && bytes > max_bytes
        {
            adder.add(
                &[rule, number],
                format!(
                    "Field {field} has a {part_name} of {bytes} bytes, exceeding its max_bytes ({max_bytes}). It is impossible for a string to contain {} while having less than or equal to {bytes} bytes.",
                    quote(&sub)
                ),
            );
        }
        if let Some(not_contains) = &not_contains
            && sub.contains(not_contains.as_str())
        {
            adder.add(
                &[rule, number],
                format!(
                    "Field {field} has a {part_name} ({}) containing its not_contains ({}). It is impossible for a string to contain {} without containing {}.",
                    quote(&sub),
                    quote(not_contains),
                    quote(&sub),
                    quote(not_contains),
                ),
            );
        }
    }
    if let Some(pattern) = get_str(rules, "pattern")
        && let Some(error) = go_compile_error(&pattern)
    {
        adder.add(
            &[rule, s::PATTERN],
            format!(
                "Field {field} has a {} that fails to compile: {error}.",
                name(s::PATTERN)
            ),
        );
    }
    let well_known_regex = set_fields(rules)
        .iter()
        .any(|(f, _, v)| f == "well_known_regex" && v.as_enum_number().is_some_and(|e| e != 0));
    if get_opt_bool(rules, "strict") == Some(false) && !well_known_regex {
        let (strict, regex) = (name(s::STRICT), name(s::WELL_KNOWN_REGEX));
        adder.add(
            &[rule, s::STRICT],
            format!("Field {field} has {strict} without {regex}. {strict} only applies to {regex} and is invalid without it."),
        );
    }
}

pub(super) fn check_bytes(adder: &Adder<'_>, rules: &DynamicMessage) {
    let rule = n::BYTES;
    check_const(adder, rules, rule);
    check_len_rules(adder, rules, rule, "len", "min_len", "max_len");
    let field = quote(adder.field_name());
    let max_len = get_u64(rules, "max_len");
    for (part, number) in [
        ("prefix", b::PREFIX),
        ("suffix", b::SUFFIX),
        ("contains", b::CONTAINS),
    ] {
        let value = get_bytes(rules, part).unwrap_or_default();
        if let Some(max_len) = max_len
            && value.len() as u64 > max_len
        {
            adder.add(
                &[rule, number],
                format!(
                    "Field {field} has a {} of {} bytes, exceeding its max_len ({max_len}). It is impossible to contain {} while having less than or equal to {max_len} bytes.",
                    adder.rule_name(&[rule, number]),
                    value.len(),
                    quote_bytes(&value),
                ),
            );
        }
    }
    if let Some(pattern) = get_str(rules, "pattern")
        && let Some(error) = go_compile_error(&pattern)
    {
        adder.add(
            &[rule, b::PATTERN],
            format!(
                "Field {field} has a {} that fails to compile: {error}.",
                adder.rule_name(&[rule, b::PATTERN])
            ),
        );
    }
}

/// Go's `%q` for a byte slice: valid UTF-8 as a string, other bytes as
/// `\x` escapes.
fn quote_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => quote(s),
        Err(_) => {
            let mut out = String::from("\"");
            for chunk in bytes.utf8_chunks() {
                let valid = quote(chunk.valid());
                out.push_str(&valid[1..valid.len() - 1]);
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            out.push('"');
            out
        }
    }
}
