//! `(buf.validate.message)` rules: CEL rules (on the message's type) and
//! the entries of `oneof` (fields named once, existing, in one entry only).

use std::collections::BTreeMap;

use prost_reflect::{DynamicMessage, MessageDescriptor, Value};
use schemactl_diagnostics::Location;

use super::adder::quote;
use super::locate::OptionLocations;
use super::{cel, cel_check};

/// `oneof` in `buf.validate.MessageRules`, `fields` in `MessageOneofRule`.
const ONEOF: i32 = 4;
const FIELDS: i32 = 1;
/// `cel` and `cel_expression` in `buf.validate.MessageRules`.
const CEL: i32 = 3;
const CEL_EXPRESSION: i32 = 5;

/// Findings on the message rules of `message`, whose
/// `(buf.validate.message)` option is at `extension_path`.
pub(super) fn check_message(
    message: &MessageDescriptor,
    rules: &DynamicMessage,
    extension_path: &[i32],
    locations: &OptionLocations,
) -> Vec<(Option<Location>, String)> {
    let mut found = Vec::new();
    let at = |suffix: &[i32]| {
        let mut path = extension_path.to_vec();
        path.extend_from_slice(suffix);
        locations.find(&path, extension_path.len())
    };
    let env = cel_check::Env::with_this(
        cel_check::Ty::Message(message.clone()),
        message.parent_pool(),
    );
    let parent = format!("message {}", quote(message.name()));
    let parent_capitalized = format!("Message {}", quote(message.name()));
    for (field_name, number, is_expression) in [
        ("cel", CEL, false),
        ("cel_expression", CEL_EXPRESSION, true),
    ] {
        let cel_name = format!("(buf.validate.message).{field_name}");
        let names = cel::CelNames {
            parent: &parent,
            parent_capitalized: &parent_capitalized,
            cel_name: &cel_name,
            is_expression,
        };
        cel::check_cel(
            &cel::rules_of(rules, field_name),
            &env,
            &names,
            &mut |i, text| found.push((at(&[number, i]), text)),
        );
    }
    let Some(Value::List(entries)) = rules
        .has_field_by_name("oneof")
        .then(|| rules.get_field_by_name("oneof").map(|v| v.into_owned()))
        .flatten()
    else {
        return found;
    };
    let name = quote(message.name());
    let mut entries_of: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let Ok(i) = i32::try_from(i) else { break };
        let Some(entry) = entry.as_message() else {
            continue;
        };
        let fields: Vec<String> = match entry.get_field_by_name("fields").as_deref() {
            Some(Value::List(list)) => list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        if fields.is_empty() {
            found.push((
                at(&[ONEOF, i]),
                format!("Message {name} has a (buf.validate.message).oneof entry with no fields. Each oneof entry must specify at least one field."),
            ));
            continue;
        }
        let mut seen: Vec<&str> = Vec::new();
        for (j, field) in fields.iter().enumerate() {
            let Ok(j) = i32::try_from(j) else { break };
            let location = at(&[ONEOF, i, FIELDS, j]);
            if seen.contains(&field.as_str()) {
                found.push((
                    location,
                    format!("Message {name} has a (buf.validate.message).oneof entry that references field {} more than once. Duplicate field names are not permitted.", quote(field)),
                ));
                continue;
            }
            seen.push(field);
            if message.get_field_by_name(field).is_none() {
                found.push((
                    location,
                    format!("Message {name} has a (buf.validate.message).oneof entry that references field {}, which is not defined in the message.", quote(field)),
                ));
                continue;
            }
            entries_of.entry(field.clone()).or_default().push(i);
        }
    }
    for (field, indices) in entries_of {
        if indices.len() < 2 {
            continue;
        }
        let mut seen = Vec::new();
        for i in indices {
            let location = at(&[ONEOF, i]);
            if seen.contains(&location) {
                continue;
            }
            seen.push(location);
            found.push((
                location,
                format!("Message {name} references field {} in more than one (buf.validate.message).oneof entry. A field may only appear in one oneof entry.", quote(&field)),
            ));
        }
    }
    found
}
