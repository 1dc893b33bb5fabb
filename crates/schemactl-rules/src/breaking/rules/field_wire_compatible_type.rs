use prost_types::field_descriptor_proto::Type;

use crate::breaking::helpers::field::check_type_group;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_WIRE_COMPATIBLE_TYPE",
    kind: RuleKind::Breaking,
    categories: &[Category::Wire],
    v1_categories: None,
    v1_exists: true,
    summary: "A field's type only changes to one with the same binary encoding.",
    doc: r#"## What it catches

A field (or extension) whose type changed to one that is encoded
differently on the wire. Types in one group share an encoding and may be
swapped:

- `int32`, `uint32`, `int64`, `uint64`, `bool` (varints);
- `sint32`, `sint64` (zigzag varints);
- `fixed32`, `sfixed32`;
- `fixed64`, `sfixed64`;
- `string` may become `bytes` (not the reverse: bytes need not be UTF-8).

Every other type is alone in its group (`double`, `float`, messages, groups,
enums). A message or group field that now names a different message is
reported, and so is an enum field that now names a different enum, unless
the new enum has the same short name and still has every value of the old
one with the same number.

## Why it matters

A reader that expects a different encoding misreads the bytes: a zigzag
`sint32` read as `int32` turns `-1` into `4294967295`, a `fixed32` read as a
varint fails to parse, and a message read as another message silently drops
or misinterprets fields. Values can also be truncated within a group (an
`int64` read as `int32`), which this rule accepts since the encoding stays
valid.

## Bad

```proto
message Reading {
  int32 delta = 1;    // before
  sint32 delta = 1;   // after: zigzag encoding, old readers get garbage
}
```

## Good

```proto
message Reading {
  int32 delta = 1;    // before
  int64 delta = 1;    // after: same varint encoding
}
```

## How to evolve safely

Stay within a wire group, or add a new field with the new type and migrate
readers and writers before retiring the old one.
"#,
    check: Check::Breaking(check),
};

/// Binary encoding groups, after the protobuf language guide's "Updating a
/// message type". `string` and `bytes` are apart so that only the
/// string-to-bytes direction is allowed.
fn wire_group(ty: Type) -> u8 {
    match ty {
        Type::Int32 | Type::Int64 | Type::Uint32 | Type::Uint64 | Type::Bool => 1,
        Type::Sint32 | Type::Sint64 => 2,
        Type::String => 3,
        Type::Bytes => 4,
        Type::Fixed32 | Type::Sfixed32 => 5,
        Type::Fixed64 | Type::Sfixed64 => 6,
        Type::Double => 7,
        Type::Float => 8,
        Type::Group => 9,
        Type::Message => 10,
        Type::Enum => 11,
    }
}

const WIRE_RULES: &str = " See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules.";

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_type_group(cx, sink, wire_group, |before, after| {
        match (before, after) {
            (Type::String, Type::Bytes) => None,
            (Type::Bytes, Type::String) => Some(format!(
                "{WIRE_RULES} Note that while string and bytes are compatible if the data is valid UTF-8, there is no way to enforce that a bytes field is UTF-8, so these fields may be incompatible."
            )),
            _ => Some(WIRE_RULES.to_owned()),
        }
    });
}
