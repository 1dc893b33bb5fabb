//! The rules of one field: flags (`required`, `ignore`), the type rules
//! fitting the field's type, and the recursion into `repeated.items`,
//! `map.keys` and `map.values`.

use prost_reflect::{
    Cardinality, DynamicMessage, ExtensionDescriptor, FieldDescriptor, Kind, Value,
};

use super::adder::Adder;
use super::cel_check::{Env, Ty};
use super::{cel, example, numeric, rules, string};

/// Field numbers of `buf.validate.FieldRules`.
pub(super) mod n {
    pub const FLOAT: i32 = 1;
    pub const DOUBLE: i32 = 2;
    pub const INT32: i32 = 3;
    pub const INT64: i32 = 4;
    pub const UINT32: i32 = 5;
    pub const UINT64: i32 = 6;
    pub const SINT32: i32 = 7;
    pub const SINT64: i32 = 8;
    pub const FIXED32: i32 = 9;
    pub const FIXED64: i32 = 10;
    pub const SFIXED32: i32 = 11;
    pub const SFIXED64: i32 = 12;
    pub const BOOL: i32 = 13;
    pub const STRING: i32 = 14;
    pub const BYTES: i32 = 15;
    pub const ENUM: i32 = 16;
    pub const REPEATED: i32 = 18;
    pub const MAP: i32 = 19;
    pub const ANY: i32 = 20;
    pub const DURATION: i32 = 21;
    pub const TIMESTAMP: i32 = 22;
    pub const REQUIRED: i32 = 25;
    pub const IGNORE: i32 = 27;
    pub const FIELD_MASK: i32 = 28;
}

/// `buf.validate.Ignore` values.
const IGNORE_IF_ZERO_VALUE: i32 = 1;
const IGNORE_ALWAYS: i32 = 3;

/// What the checks need to know about the field the rules are on (a
/// message field, an extension, or the key or value of a map).
#[derive(Clone)]
pub(super) struct Target {
    pub kind: Kind,
    /// `repeated` (lists and maps).
    pub repeated: bool,
    pub is_list: bool,
    /// Key and value of a map field.
    pub map: Option<(FieldDescriptor, FieldDescriptor)>,
    /// The oneof the field is in, unless it is a proto3 `optional` field.
    pub oneof: Option<String>,
    pub has_presence: bool,
    pub is_extension: bool,
}

impl Target {
    pub(super) fn of_field(field: &FieldDescriptor) -> Self {
        let map = field.is_map().then(|| match field.kind() {
            Kind::Message(entry) => entry.map_entry_key_field(),
            _ => field.clone(),
        });
        let map = map.and_then(|key| {
            let Kind::Message(entry) = field.kind() else {
                return None;
            };
            Some((key, entry.map_entry_value_field()))
        });
        Target {
            kind: field.kind(),
            repeated: field.cardinality() == Cardinality::Repeated,
            is_list: field.is_list(),
            map,
            oneof: field
                .containing_oneof()
                .filter(|o| !o.is_synthetic())
                .map(|o| o.name().to_owned()),
            has_presence: field.supports_presence(),
            is_extension: false,
        }
    }

    pub(super) fn of_extension(extension: &ExtensionDescriptor) -> Self {
        Target {
            kind: extension.kind(),
            repeated: extension.cardinality() == Cardinality::Repeated,
            is_list: extension.is_list(),
            map: None,
            oneof: None,
            has_presence: extension.supports_presence(),
            is_extension: true,
        }
    }

    /// The key or value field of a map entry, as a field of its own.
    fn of_entry_field(field: &FieldDescriptor) -> Self {
        Target {
            oneof: None,
            ..Target::of_field(field)
        }
    }

    fn is_message(&self) -> bool {
        matches!(self.kind, Kind::Message(_))
    }

    fn message_name(&self) -> Option<&str> {
        match &self.kind {
            Kind::Message(m) => Some(m.full_name()),
            _ => None,
        }
    }
}

/// The field's type as Buf prints it in messages.
pub(super) fn pretty_type(field: &FieldDescriptor) -> String {
    match field.kind() {
        Kind::Message(m) if field.is_map() => format!(
            "map<{}, {}>",
            pretty_type(&m.map_entry_key_field()),
            pretty_type(&m.map_entry_value_field())
        ),
        kind => kind_name(&kind).to_owned(),
    }
}

/// Go's `protoreflect.Kind` names, and the full name for messages.
pub(super) fn kind_name(kind: &Kind) -> &str {
    match kind {
        Kind::Double => "double",
        Kind::Float => "float",
        Kind::Int64 => "int64",
        Kind::Uint64 => "uint64",
        Kind::Int32 => "int32",
        Kind::Fixed64 => "fixed64",
        Kind::Fixed32 => "fixed32",
        Kind::Bool => "bool",
        Kind::String => "string",
        Kind::Bytes => "bytes",
        Kind::Uint32 => "uint32",
        Kind::Sfixed32 => "sfixed32",
        Kind::Sfixed64 => "sfixed64",
        Kind::Sint32 => "sint32",
        Kind::Sint64 => "sint64",
        Kind::Enum(_) => "enum",
        Kind::Message(m) => m.full_name(),
    }
}

/// The scalar kind a type rule applies to, and the message it applies to.
fn allowed(rule: i32, kind: &Kind, message: Option<&str>) -> bool {
    let scalar = match rule {
        n::FLOAT => matches!(kind, Kind::Float),
        n::DOUBLE => matches!(kind, Kind::Double),
        n::INT32 => matches!(kind, Kind::Int32),
        n::INT64 => matches!(kind, Kind::Int64),
        n::UINT32 => matches!(kind, Kind::Uint32),
        n::UINT64 => matches!(kind, Kind::Uint64),
        n::SINT32 => matches!(kind, Kind::Sint32),
        n::SINT64 => matches!(kind, Kind::Sint64),
        n::FIXED32 => matches!(kind, Kind::Fixed32),
        n::FIXED64 => matches!(kind, Kind::Fixed64),
        n::SFIXED32 => matches!(kind, Kind::Sfixed32),
        n::SFIXED64 => matches!(kind, Kind::Sfixed64),
        n::BOOL => matches!(kind, Kind::Bool),
        n::STRING => matches!(kind, Kind::String),
        n::BYTES => matches!(kind, Kind::Bytes),
        n::ENUM => matches!(kind, Kind::Enum(_)),
        _ => false,
    };
    let wanted = match rule {
        n::FLOAT => "google.protobuf.FloatValue",
        n::DOUBLE => "google.protobuf.DoubleValue",
        n::INT32 => "google.protobuf.Int32Value",
        n::INT64 => "google.protobuf.Int64Value",
        n::UINT32 => "google.protobuf.UInt32Value",
        n::UINT64 => "google.protobuf.UInt64Value",
        n::BOOL => "google.protobuf.BoolValue",
        n::STRING => "google.protobuf.StringValue",
        n::BYTES => "google.protobuf.BytesValue",
        n::ANY => "google.protobuf.Any",
        n::DURATION => "google.protobuf.Duration",
        n::TIMESTAMP => "google.protobuf.Timestamp",
        n::FIELD_MASK => "google.protobuf.FieldMask",
        _ => "",
    };
    scalar || (!wanted.is_empty() && message == Some(wanted))
}

pub(super) const WRAPPERS: [&str; 9] = [
    "google.protobuf.FloatValue",
    "google.protobuf.DoubleValue",
    "google.protobuf.Int32Value",
    "google.protobuf.Int64Value",
    "google.protobuf.UInt32Value",
    "google.protobuf.UInt64Value",
    "google.protobuf.BoolValue",
    "google.protobuf.StringValue",
    "google.protobuf.BytesValue",
];

/// Check a `FieldRules` message for the field `target`.
pub(super) fn check_rules(
    adder: &Adder<'_>,
    rules: &DynamicMessage,
    target: &Target,
    expect_repeated_rule: bool,
) {
    if target.is_extension {
        check_extension(adder, rules);
    }
    let required = rules::get_bool(rules, "required");
    if let (Some(oneof), true) = (&target.oneof, required) {
        let name = adder.rule_name(&[n::REQUIRED]);
        adder.add(
            &[n::REQUIRED],
            format!(
                "Field {} has {name} but is in a oneof ({oneof}). Oneof fields must not have {name}.",
                quote(adder.field_name()),
            ),
        );
    }
    check_flags(adder, rules, target);
    check_cel_rules(adder, rules, target, !expect_repeated_rule);
    let Some((type_number, type_rules)) = rules::type_rules(rules) else {
        return;
    };
    match type_number {
        n::MAP => return check_map(adder, &type_rules, target),
        n::REPEATED => return check_repeated(adder, &type_rules, target),
        _ => {}
    }
    if !types_match(adder, target, type_number, expect_repeated_rule) {
        return;
    }
    example::check_examples(adder, rules, type_number, &type_rules, target);
    match type_number {
        n::FLOAT | n::DOUBLE => {
            numeric::check_numbers(adder, type_number, &type_rules);
            numeric::check_nan(adder, type_number, &type_rules);
        }
        n::INT32..=n::SFIXED64 => numeric::check_numbers(adder, type_number, &type_rules),
        n::STRING => string::check_string(adder, &type_rules),
        n::BYTES => string::check_bytes(adder, &type_rules),
        n::ENUM | n::ANY => rules::check_const(adder, &type_rules, type_number),
        n::DURATION => numeric::check_durations(adder, &type_rules),
        n::TIMESTAMP => numeric::check_timestamps(adder, &type_rules),
        n::FIELD_MASK => check_field_mask(adder, &type_rules),
        _ => {}
    }
}

fn quote(s: &str) -> String {
    super::adder::quote(s)
}

fn check_flags(adder: &Adder<'_>, rules: &DynamicMessage, target: &Target) {
    let count = rules::set_fields(rules).len();
    let ignore = rules::get_enum(rules, "ignore");
    if ignore == IGNORE_ALWAYS && count > 1 {
        adder.add(
            &[n::IGNORE],
            format!(
                "Field {} has {}=IGNORE_ALWAYS and therefore other rules in {} are not applied and should be removed.",
                quote(adder.field_name()),
                adder.rule_name(&[n::IGNORE]),
                adder.rule_name(&[]),
            ),
        );
    }
    if rules::get_bool(rules, "required") && ignore == IGNORE_IF_ZERO_VALUE {
        adder.add_paths(
            &[&[n::REQUIRED], &[n::IGNORE]],
            &format!(
                "Field {} has both {} and {}=IGNORE_IF_ZERO_VALUE. A field cannot be empty if it is required.",
                quote(adder.field_name()),
                adder.rule_name(&[n::REQUIRED]),
                adder.rule_name(&[n::IGNORE]),
            ),
        );
    }
    if ignore == IGNORE_IF_ZERO_VALUE && target.has_presence && !target.is_extension {
        adder.add(
            &[n::IGNORE],
            format!(
                "Field {} has {}=IGNORE_IF_ZERO_VALUE and tracks presence. This is the same as the default and the ignore option can be removed.",
                quote(adder.field_name()),
                adder.rule_name(&[n::IGNORE]),
            ),
        );
    }
}

/// `cel` and `cel_expression` in `FieldRules`.
const CEL: i32 = 23;
const CEL_EXPRESSION: i32 = 29;

/// `for_items`: the rules apply to each item (or the field is not
/// repeated), so `this` is an item, not the list or map.
fn check_cel_rules(adder: &Adder<'_>, rules: &DynamicMessage, target: &Target, for_items: bool) {
    let this = match &target.map {
        Some((key, value)) if !for_items => Ty::Map(
            Box::new(Ty::of_field(key, true)),
            Box::new(Ty::of_field(value, true)),
        ),
        _ if target.is_list && !for_items => Ty::List(Box::new(Ty::of_kind(&target.kind))),
        _ => Ty::of_kind(&target.kind),
    };
    let env = Env::with_this(this, adder.cx.field_rules.parent_pool());
    let parent = format!("field {}", quote(adder.field_name()));
    let parent_capitalized = format!("Field {}", quote(adder.field_name()));
    for (field_name, number, is_expression) in [
        ("cel", CEL, false),
        ("cel_expression", CEL_EXPRESSION, true),
    ] {
        let cel_name = adder.rule_name(&[number]);
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
            &mut |i, message| adder.add(&[number, i], message),
        );
    }
}

fn check_extension(adder: &Adder<'_>, rules: &DynamicMessage) {
    if rules::get_bool(rules, "required") {
        adder.add(
            &[n::REQUIRED],
            format!(
                "Field {} is an extension field and cannot have {}.",
                quote(adder.field_name()),
                adder.rule_name(&[n::REQUIRED]),
            ),
        );
    }
    if rules::get_enum(rules, "ignore") == IGNORE_IF_ZERO_VALUE {
        adder.add(
            &[n::IGNORE],
            format!(
                "Field {} is an extension field and cannot have {}=IGNORE_IF_ZERO_VALUE.",
                quote(adder.field_name()),
                adder.rule_name(&[n::IGNORE]),
            ),
        );
    }
}

/// Whether a type rule (not map or repeated) fits the field; reports when
/// it does not.
fn types_match(adder: &Adder<'_>, target: &Target, rule: i32, expect_repeated_rule: bool) -> bool {
    let name = adder.rule_name(&[rule]);
    if expect_repeated_rule {
        adder.add(
            &[rule],
            format!(
                "Field {} is of type repeated {} but has {name} rules.",
                quote(adder.field_name()),
                adder.pretty_type(),
            ),
        );
        return false;
    }
    if allowed(rule, &target.kind, target.message_name()) {
        return true;
    }
    adder.add(
        &[rule],
        format!(
            "Field {} is of type {} but has {name} rules.",
            quote(adder.field_name()),
            adder.pretty_type(),
        ),
    );
    false
}

/// Field numbers of `buf.validate.RepeatedRules` and `MapRules`.
const MIN_ITEMS: i32 = 1;
const MAX_ITEMS: i32 = 2;
const UNIQUE: i32 = 3;
const ITEMS: i32 = 4;
const MIN_PAIRS: i32 = 1;
const MAX_PAIRS: i32 = 2;
const KEYS: i32 = 4;
const VALUES: i32 = 5;

fn check_repeated(adder: &Adder<'_>, rules: &DynamicMessage, target: &Target) {
    let field = quote(adder.field_name());
    if !target.is_list {
        adder.add(
            &[n::REPEATED],
            format!(
                "Field {field} is not repeated but has {} rules.",
                adder.rule_name(&[n::REPEATED]),
            ),
        );
        return;
    }
    if rules::get_bool(rules, "unique") && target.is_message() {
        let wrapper = target.message_name().is_some_and(|m| WRAPPERS.contains(&m));
        if !wrapper {
            adder.add(
                &[n::REPEATED, UNIQUE],
                format!(
                    "Field {field} is of type {} but has {} set to true, which is only allowed for scalar types and wrapper types.",
                    adder.pretty_type(),
                    adder.rule_name(&[n::REPEATED, UNIQUE]),
                ),
            );
        }
    }
    if let (Some(min), Some(max)) = (
        rules::get_u64(rules, "min_items"),
        rules::get_u64(rules, "max_items"),
    ) && min > max
    {
        let (min_name, max_name) = (
            adder.rule_name(&[n::REPEATED, MIN_ITEMS]),
            adder.rule_name(&[n::REPEATED, MAX_ITEMS]),
        );
        adder.add(
            &[n::REPEATED, MIN_ITEMS],
            format!("Field {field} has value {min} for {min_name}, which must be lower than value {max} for {max_name}."),
        );
        adder.add(
            &[n::REPEATED, MAX_ITEMS],
            format!("Field {field} has value {max} for {max_name}, which must be higher than value {min} for {min_name}."),
        );
    }
    let items_adder = adder.with_base(&[n::REPEATED, ITEMS]);
    let Some(items) = rules::get_message(rules, "items") else {
        return;
    };
    if rules::get_bool(&items, "required") {
        let name = items_adder.rule_name(&[n::REQUIRED]);
        items_adder.add(
            &[n::REQUIRED],
            format!("Field {field} has {name} on repeated item rules, which is unenforceable. The {name} constraint cannot be applied to individual items in a repeated field."),
        );
    }
    // The items are checked against the same field (Buf does too: `items`
    // with `repeated` rules of their own pass the "is repeated" check).
    check_rules(&items_adder, &items, target, false);
}

fn check_map(adder: &Adder<'_>, rules: &DynamicMessage, target: &Target) {
    let field = quote(adder.field_name());
    let Some((key, value)) = &target.map else {
        adder.add(
            &[n::MAP],
            format!(
                "Field {field} is not a map but has {}.",
                adder.rule_name(&[n::MAP]),
            ),
        );
        return;
    };
    if let (Some(min), Some(max)) = (
        rules::get_u64(rules, "min_pairs"),
        rules::get_u64(rules, "max_pairs"),
    ) && min > max
    {
        let (min_name, max_name) = (
            adder.rule_name(&[n::MAP, MIN_PAIRS]),
            adder.rule_name(&[n::MAP, MAX_PAIRS]),
        );
        adder.add(
            &[n::MAP, MIN_PAIRS],
            format!("Field {field} has value {min} for {min_name}, which must be lower than value {max} for {max_name}."),
        );
        adder.add(
            &[n::MAP, MAX_PAIRS],
            format!("Field {field} has value {max} for {max_name}, which must be higher than value {min} for {min_name}."),
        );
    }
    for (number, part, entry_field, what) in [
        (KEYS, "keys", key, "keys"),
        (VALUES, "values", value, "values"),
    ] {
        let part_adder = adder.with_base(&[n::MAP, number]);
        let Some(part_rules) = rules::get_message(rules, part) else {
            continue;
        };
        if rules::get_bool(&part_rules, "required") {
            let name = part_adder.rule_name(&[n::REQUIRED]);
            let singular = &what[..what.len() - 1];
            part_adder.add(
                &[n::REQUIRED],
                format!("Field {field} has {name} on map {singular} rules, which is unenforceable. The {name} constraint cannot be applied to map {what}."),
            );
        }
        check_rules(
            &part_adder,
            &part_rules,
            &Target::of_entry_field(entry_field),
            false,
        );
    }
}

/// `in` of `buf.validate.FieldMaskRules`.
const FIELD_MASK_IN: i32 = 2;

fn check_field_mask(adder: &Adder<'_>, rules: &DynamicMessage) {
    rules::check_const(adder, rules, n::FIELD_MASK);
    let strings = |name: &str| -> Vec<String> {
        match rules.get_field_by_name(name).as_deref() {
            Some(Value::List(list)) => list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let (ins, not_ins) = (strings("in"), strings("not_in"));
    for path in &ins {
        if not_ins.contains(path) {
            adder.add(
                &[n::FIELD_MASK, FIELD_MASK_IN],
                format!(
                    "Field {} has path {} in both in and not_in rules.",
                    quote(adder.field_name()),
                    quote(path),
                ),
            );
        }
    }
}
