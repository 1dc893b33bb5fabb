//! Reading rule messages (`buf.validate.*Rules` as dynamic messages), and
//! the checks every type family shares: `const` alone, and the
//! `len` / `min_len` / `max_len` triples.

use prost_reflect::{DynamicMessage, ReflectMessage, Value};

use super::adder::{Adder, quote};

/// Every field set in `rules`: `(name, number, value)`. Extensions (the
/// predefined rules) are left out, as Buf does (it reads the rules with
/// protovalidate's own descriptors, where they are unknown fields).
pub(super) fn set_fields(rules: &DynamicMessage) -> Vec<(String, i32, Value)> {
    rules
        .fields()
        .filter_map(|(f, v)| {
            Some((
                f.name().to_owned(),
                i32::try_from(f.number()).ok()?,
                v.clone(),
            ))
        })
        .collect()
}

fn get(rules: &DynamicMessage, name: &str) -> Option<Value> {
    rules
        .has_field_by_name(name)
        .then(|| rules.get_field_by_name(name).map(|v| v.into_owned()))
        .flatten()
}

pub(super) fn get_bool(rules: &DynamicMessage, name: &str) -> bool {
    get(rules, name).and_then(|v| v.as_bool()).unwrap_or(false)
}

/// A set optional bool: `Some(value)`.
pub(super) fn get_opt_bool(rules: &DynamicMessage, name: &str) -> Option<bool> {
    get(rules, name).and_then(|v| v.as_bool())
}

pub(super) fn get_enum(rules: &DynamicMessage, name: &str) -> i32 {
    get(rules, name)
        .and_then(|v| v.as_enum_number())
        .unwrap_or(0)
}

pub(super) fn get_u64(rules: &DynamicMessage, name: &str) -> Option<u64> {
    get(rules, name).and_then(|v| v.as_u64())
}

pub(super) fn get_str(rules: &DynamicMessage, name: &str) -> Option<String> {
    get(rules, name).and_then(|v| v.as_str().map(str::to_owned))
}

pub(super) fn get_bytes(rules: &DynamicMessage, name: &str) -> Option<Vec<u8>> {
    get(rules, name).and_then(|v| v.as_bytes().map(|b| b.to_vec()))
}

pub(super) fn get_message(rules: &DynamicMessage, name: &str) -> Option<DynamicMessage> {
    get(rules, name).and_then(|v| v.as_message().cloned())
}

/// The member of `FieldRules`' `type` oneof that is set: its number and
/// its rules.
pub(super) fn type_rules(rules: &DynamicMessage) -> Option<(i32, DynamicMessage)> {
    let oneof = rules.descriptor().oneofs().find(|o| o.name() == "type")?;
    oneof.fields().find_map(|f| {
        if !rules.has_field(&f) {
            return None;
        }
        let value = rules.get_field(&f);
        Some((i32::try_from(f.number()).ok()?, value.as_message()?.clone()))
    })
}

/// `const` makes every other rule of the same type pointless.
pub(super) fn check_const(adder: &Adder<'_>, rules: &DynamicMessage, rule: i32) {
    let fields = set_fields(rules);
    let Some((_, number, _)) = fields.iter().find(|(name, _, _)| name == "const") else {
        return;
    };
    if fields.len() > 1 {
        adder.add(
            &[rule, *number],
            format!(
                "Field {} has {}, therefore other rules in {} are not applied and should be removed.",
                quote(adder.field_name()),
                adder.rule_name(&[rule, *number]),
                adder.rule_name(&[rule]),
            ),
        );
    }
}

/// `len` with `min_len` or `max_len`, and `min_len` above or equal to
/// `max_len` (under other names for bytes: `len_bytes`, `min_bytes`,
/// `max_bytes`).
pub(super) fn check_len_rules(
    adder: &Adder<'_>,
    rules: &DynamicMessage,
    rule: i32,
    len_name: &str,
    min_name: &str,
    max_name: &str,
) {
    let mut len = None;
    let mut min = None;
    let mut max = None;
    for (name, number, value) in set_fields(rules) {
        let Some(v) = value.as_u64() else {
            continue;
        };
        if name == len_name {
            len = Some((v, number));
        } else if name == min_name {
            min = Some((v, number));
        } else if name == max_name {
            max = Some((v, number));
        }
    }
    let field = quote(adder.field_name());
    if let Some((_, len_number)) = len {
        for (_, number) in [min, max].into_iter().flatten() {
            adder.add(
                &[rule, number],
                format!(
                    "Field {field} has {} and therefore, {} is redundant and should be removed.",
                    adder.rule_name(&[rule, len_number]),
                    adder.rule_name(&[rule, number]),
                ),
            );
        }
    }
    let (Some((min, min_number)), Some((max, max_number))) = (min, max) else {
        return;
    };
    let (min_rule, max_rule) = (
        adder.rule_name(&[rule, min_number]),
        adder.rule_name(&[rule, max_number]),
    );
    if min > max {
        adder.add(
            &[rule, min_number],
            format!("Field {field} has value {min} for {min_rule}, which must be lower than value {max} for {max_rule}."),
        );
        adder.add(
            &[rule, max_number],
            format!("Field {field} has value {max} for {max_rule}, which must be higher than value {min} for {min_rule}."),
        );
    } else if min == max {
        adder.add_paths(
            &[&[rule, min_number], &[rule, max_number]],
            &format!(
                "Field {field} has equal {min_rule} and {max_name}, use {}.{len_name} instead.",
                adder.rule_name(&[rule]),
            ),
        );
    }
}
