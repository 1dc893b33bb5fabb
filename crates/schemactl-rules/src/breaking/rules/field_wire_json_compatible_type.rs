use prost_types::field_descriptor_proto::Type;

use crate::breaking::helpers::field::check_type_group;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
    kind: RuleKind::Breaking,
    categories: &[Category::WireJson, Category::Csr],
    v1_categories: Some(&[Category::WireJson]),
    v1_exists: true,
    summary: "A field's type only changes to one with the same binary and JSON encoding.",
    doc: r#"## What it catches

A field (or extension) whose type changed to one that is encoded
differently on the wire *or* in JSON. The types that may be swapped are:

- `int32` and `uint32` (JSON numbers);
- `int64` and `uint64` (JSON strings);
- `fixed32` and `sfixed32`;
- `fixed64` and `sfixed64`.

Every other type stands alone: `bool`, `sint32`, `sint64`, `string`,
`bytes`, `double`, `float`, messages, groups and enums. A message or group
field that now names a different message is reported, and so is an enum
field that now names a different enum, unless the new enum has the same
short name and still has every value of the old one with the same number.

## Why it matters

Compared with `FIELD_WIRE_COMPATIBLE_TYPE`, JSON adds constraints: `int64`
is written as a string and `int32` as a number, `bool` as `true`/`false`,
`bytes` as base64 — so `int32` to `int64`, `int32` to `bool` or `string` to
`bytes` are fine for binary readers but break JSON clients and any service
that stores or forwards JSON.

## Bad

```proto
message Counter {
  int32 value = 1;   // before: JSON 42
  int64 value = 1;   // after: JSON "42"
}
```

## Good

```proto
message Counter {
  int32 value = 1;    // before
  uint32 value = 1;   // after: same varint, same JSON number
}
```

## How to evolve safely

Stay within a group, or add a new field with the new type, migrate readers
and writers, then deprecate and reserve the old one.
"#,
    check: Check::Breaking(check),
};

/// Groups of types with both the same binary encoding and the same JSON
/// form (the intersection of the two compatibility tables).
fn wire_json_group(ty: Type) -> u8 {
    match ty {
        Type::Int32 | Type::Uint32 => 1,
        Type::Int64 | Type::Uint64 => 2,
        Type::Fixed32 | Type::Sfixed32 => 3,
        Type::Fixed64 | Type::Sfixed64 => 4,
        Type::Bool => 5,
        Type::Sint32 => 6,
        Type::Sint64 => 7,
        Type::String => 8,
        Type::Bytes => 9,
        Type::Double => 10,
        Type::Float => 11,
        Type::Group => 12,
        Type::Message => 13,
        Type::Enum => 14,
    }
}

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_type_group(cx, sink, wire_json_group, |_, _| {
        Some(" See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules and https://developers.google.com/protocol-buffers/docs/proto3#json for JSON compatibility rules.".to_owned())
    });
}
