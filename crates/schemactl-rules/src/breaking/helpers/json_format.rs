//! JSON format support of messages and enums (the resolved
//! `features.json_format`): the `*_SAME_JSON_FORMAT` rules.

use crate::features::JsonFormat;

/// `Some((before, after))` when the JSON format support went from `ALLOW`
/// to something else (Buf reports no other change).
pub fn json_format_dropped(
    before: JsonFormat,
    after: JsonFormat,
) -> Option<(&'static str, &'static str)> {
    (before == JsonFormat::Allow && after != JsonFormat::Allow)
        .then_some((before.as_str(), after.as_str()))
}
