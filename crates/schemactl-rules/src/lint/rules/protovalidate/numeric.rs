//! Rules with bounds: the number types, `duration` and `timestamp`:
//! `const` with other rules, equal lower and upper bounds, NaN in float
//! rules, invalid durations and timestamps.

use prost_reflect::{DynamicMessage, Value};

use super::adder::{Adder, quote};
use super::field::n;
use super::rules::{get_bool, get_message, set_fields};

/// A bound's value, compared as Buf compares them (exactly; NaN equals
/// nothing).
#[derive(Clone, Copy, PartialEq)]
enum Bound {
    Int(i64),
    Uint(u64),
    Float(f64),
    /// Seconds and nanos of a duration or timestamp.
    Time(i64, i32),
}

fn number(value: &Value) -> Option<Bound> {
    Some(match value {
        Value::I32(v) => Bound::Int(i64::from(*v)),
        Value::I64(v) => Bound::Int(*v),
        Value::U32(v) => Bound::Uint(u64::from(*v)),
        Value::U64(v) => Bound::Uint(*v),
        Value::F32(v) => Bound::Float(f64::from(*v)),
        Value::F64(v) => Bound::Float(*v),
        _ => return None,
    })
}

fn seconds_nanos(value: &Value) -> Option<(i64, i32)> {
    let m = value.as_message()?;
    let seconds = m.get_field_by_name("seconds").and_then(|v| v.as_i64())?;
    let nanos = m.get_field_by_name("nanos").and_then(|v| v.as_i32())?;
    Some((seconds, nanos))
}

/// A duration or timestamp as Go's `%v` prints it (`seconds:5 nanos:3`).
fn text_of(seconds: i64, nanos: i32) -> String {
    let mut parts = Vec::new();
    if seconds != 0 {
        parts.push(format!("seconds:{seconds}"));
    }
    if nanos != 0 {
        parts.push(format!("nanos:{nanos}"));
    }
    parts.join(" ")
}

/// Go's check of a duration protovalidate can use; the reason when it
/// cannot.
fn duration_error(seconds: i64, nanos: i32) -> Option<String> {
    const MAX_NANOS: i128 = 9_223_372_036_854_775_428;
    let text = text_of(seconds, nanos);
    if nanos <= -1_000_000_000 || nanos >= 1_000_000_000 {
        return Some(format!(
            "duration ({text}) must have nanos in the range 0 to 999999999"
        ));
    }
    if (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0) {
        return Some(format!(
            "duration ({text}) has seconds and nanos with different signs"
        ));
    }
    let total = i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
    if !(-MAX_NANOS..=MAX_NANOS).contains(&total) {
        return Some(format!(
            "duration ({text}) must be in the range {} to {}",
            text_of(-9_223_372_036, -854_775_428),
            text_of(9_223_372_036, 854_775_428)
        ));
    }
    None
}

/// Go's `timestamppb.CheckValid`, with the `proto:` prefix (and the
/// no-break space) of the Go protobuf runtime's errors.
fn timestamp_error(seconds: i64, nanos: i32) -> Option<String> {
    let text = text_of(seconds, nanos);
    if seconds < -62_135_596_800 {
        Some(format!("proto:\u{a0}timestamp ({text}) before 0001-01-01"))
    } else if seconds > 253_402_300_799 {
        Some(format!("proto:\u{a0}timestamp ({text}) after 9999-12-31"))
    } else if !(0..1_000_000_000).contains(&nanos) {
        Some(format!(
            "proto:\u{a0}timestamp ({text}) has out-of-range nanos"
        ))
    } else {
        None
    }
}

/// Which family a bound check is for.
#[derive(Clone, Copy)]
enum Family {
    Number,
    Duration,
    Timestamp,
}

pub(super) fn check_numbers(adder: &Adder<'_>, rule: i32, rules: &DynamicMessage) {
    check_bounds(adder, rule, rules, Family::Number);
}

pub(super) fn check_durations(adder: &Adder<'_>, rules: &DynamicMessage) {
    check_bounds(adder, n::DURATION, rules, Family::Duration);
}

/// Field numbers of `buf.validate.TimestampRules`.
const LT_NOW: i32 = 7;
const GT_NOW: i32 = 8;
const WITHIN: i32 = 9;

pub(super) fn check_timestamps(adder: &Adder<'_>, rules: &DynamicMessage) {
    check_bounds(adder, n::TIMESTAMP, rules, Family::Timestamp);
    let field = quote(adder.field_name());
    if get_bool(rules, "lt_now") && get_bool(rules, "gt_now") {
        adder.add_paths(
            &[&[n::TIMESTAMP, GT_NOW], &[n::TIMESTAMP, LT_NOW]],
            &format!(
                "Field {field} has both {} and {}. A timestamp cannot be both before and after validation time.",
                adder.rule_name(&[n::TIMESTAMP, GT_NOW]),
                adder.rule_name(&[n::TIMESTAMP, LT_NOW]),
            ),
        );
    }
    let Some(within) = get_message(rules, "within") else {
        return;
    };
    let Some((seconds, nanos)) = seconds_nanos(&Value::Message(within)) else {
        return;
    };
    let name = adder.rule_name(&[n::TIMESTAMP, WITHIN]);
    if let Some(error) = duration_error(seconds, nanos) {
        adder.add(
            &[n::TIMESTAMP, WITHIN],
            format!("Field {field} has an invalid {name}: {error}."),
        );
    } else if seconds <= 0 && nanos <= 0 {
        adder.add(
            &[n::TIMESTAMP, WITHIN],
            format!(
                "Field {field} must have a positive {name} ({}).",
                text_of(seconds, nanos)
            ),
        );
    }
}

fn check_bounds(adder: &Adder<'_>, rule: i32, rules: &DynamicMessage, family: Family) {
    let field = quote(adder.field_name());
    let fields = set_fields(rules);
    let mut constant = None;
    let mut lower: Option<(Bound, i32, bool)> = None;
    let mut upper: Option<(Bound, i32, bool)> = None;
    for (name, number, value) in &fields {
        if !matches!(name.as_str(), "const" | "gt" | "gte" | "lt" | "lte") {
            continue;
        }
        let bound = match family {
            Family::Number => number_or_skip(value),
            Family::Duration | Family::Timestamp => {
                let Some((seconds, nanos)) = seconds_nanos(value) else {
                    continue;
                };
                let error = match family {
                    Family::Duration => duration_error(seconds, nanos),
                    _ => timestamp_error(seconds, nanos),
                };
                if let Some(error) = error {
                    adder.add(
                        &[rule, *number],
                        format!(
                            "Field {field} has an invalid {}: {error}.",
                            adder.rule_name(&[rule, *number])
                        ),
                    );
                    None
                } else {
                    Some(Bound::Time(seconds, nanos))
                }
            }
        };
        match name.as_str() {
            "const" => constant = Some((bound, *number)),
            "gt" => lower = bound.map(|b| (b, *number, false)),
            "gte" => lower = bound.map(|b| (b, *number, true)),
            "lt" => upper = bound.map(|b| (b, *number, false)),
            _ => upper = bound.map(|b| (b, *number, true)),
        }
    }
    if let Some((Some(_), number)) = constant
        && fields.len() > 1
    {
        adder.add(
            &[rule, number],
            format!(
                "Field {field} has {}, therefore other rules in {} are not applied and should be removed.",
                adder.rule_name(&[rule, number]),
                adder.rule_name(&[rule]),
            ),
        );
    }
    let (Some((low, low_number, low_inclusive)), Some((high, high_number, high_inclusive))) =
        (lower, upper)
    else {
        return;
    };
    if low != high {
        return;
    }
    let (low_name, high_name) = (
        adder.rule_name(&[rule, low_number]),
        adder.rule_name(&[rule, high_number]),
    );
    let paths: [&[i32]; 2] = [&[rule, low_number], &[rule, high_number]];
    if low_inclusive && high_inclusive {
        adder.add_paths(
            &paths,
            &format!(
                "Field {field} has equal {low_name} and {high_name}, use {}.const instead.",
                adder.rule_name(&[rule]),
            ),
        );
    } else {
        adder.add_paths(
            &paths,
            &format!(
                "Field {field} has equal {low_name} and {high_name}. All values are rejected by these checks."
            ),
        );
    }
}

fn number_or_skip(value: &Value) -> Option<Bound> {
    number(value)
}

/// NaN in the bounds or lists of float and double rules.
pub(super) fn check_nan(adder: &Adder<'_>, rule: i32, rules: &DynamicMessage) {
    let field = quote(adder.field_name());
    let is_nan = |v: &Value| matches!(number(v), Some(Bound::Float(f)) if f.is_nan());
    for (name, number, value) in set_fields(rules) {
        match name.as_str() {
            "const" | "lt" | "lte" | "gt" | "gte" if is_nan(&value) => {
                adder.add(
                    &[rule, number],
                    format!(
                        "Field {field} has {} set to NaN. Comparisons with NaN are always false, so this rule can never be satisfied.",
                        adder.rule_name(&[rule, number]),
                    ),
                );
            }
            "in" | "not_in" => {
                let Value::List(list) = &value else { continue };
                let effect = if name == "not_in" {
                    "has no effect"
                } else {
                    "can never match"
                };
                for (i, element) in list.iter().enumerate() {
                    if !is_nan(element) {
                        continue;
                    }
                    let Ok(i) = i32::try_from(i) else { break };
                    adder.add(
                        &[rule, number, i],
                        format!(
                            "Field {field} has NaN in {}. Comparisons with NaN are always false, so this entry {effect}.",
                            adder.rule_name(&[rule, number]),
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}
