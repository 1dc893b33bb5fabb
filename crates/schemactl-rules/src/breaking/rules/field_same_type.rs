use prost_types::field_descriptor_proto::Type;

use crate::breaking::helpers::field::{report_changed_kind, report_changed_type_name};

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_TYPE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package, Category::Csr],
    v1_categories: Some(&[Category::File, Category::Package]),
    v1_exists: true,
    summary: "A field keeps its exact type: same scalar type, same message or enum.",
    doc: r#"## What it catches

A field (or extension) whose declared type changed: one scalar type for
another (`int32` to `int64`, `string` to `bytes`), a scalar for a message or
an enum, a group for a message, or a reference to a different message or
enum, even one with the same shape. A message field with
`features.message_encoding = DELIMITED` (editions) is encoded as a group:
a proto2 group becoming a delimited message field is no change, and a
message field becoming delimited (`message (delimited encoding)`) is one. Fields are matched by number within a
message of the same full name, wherever that message now lives.

## Why it matters

Some type changes happen to keep the wire format (`int32` and `int64` are
both varints), but almost none keep the generated code: accessors change
their return types, so every caller stops compiling or, worse, silently
truncates. The JSON form changes too (`int64` is a string in JSON, `int32` a
number), and a different message type means old payloads are decoded with the
wrong schema.

## Bad

```proto
message Order {
  int32 quantity = 1;   // before
  int64 quantity = 1;   // after
}
```

## Good

```proto
message Order {
  int32 quantity = 1 [deprecated = true];
  int64 quantity_v2 = 2;
}
```

## How to evolve safely

Add a new field with the new type, write both during the migration, move
readers to the new field, then deprecate and finally reserve the old one. If
only the wire format matters to you, the WIRE and WIRE_JSON categories use
`FIELD_WIRE_COMPATIBLE_TYPE` and `FIELD_WIRE_JSON_COMPATIBLE_TYPE`, which
allow the encoding-compatible changes.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.field_pairs() {
        if previous.encoded_type() != current.encoded_type() {
            report_changed_kind(sink, &previous, &current, "");
        } else if matches!(current.ty(), Type::Enum | Type::Group | Type::Message)
            && previous.type_full_name() != current.type_full_name()
        {
            report_changed_type_name(sink, &previous, &current);
        }
    }
}
