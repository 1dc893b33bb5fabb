//! JSON format support of messages and enums, which follows the syntax of
//! their file: the `*_SAME_JSON_FORMAT` rules.

use prost_reflect::{FileDescriptor, Syntax};

/// `Some((before, after))` when the JSON format support went from `ALLOW`
/// (proto3) to `LEGACY_BEST_EFFORT` between the two files.
pub fn json_format_dropped(
    previous: &FileDescriptor,
    current: &FileDescriptor,
) -> Option<(&'static str, &'static str)> {
    let format = |syntax: Syntax| {
        if syntax == Syntax::Proto3 {
            "ALLOW"
        } else {
            "LEGACY_BEST_EFFORT"
        }
    };
    let (before, after) = (format(previous.syntax()), format(current.syntax()));
    (before == "ALLOW" && after != "ALLOW").then_some((before, after))
}
