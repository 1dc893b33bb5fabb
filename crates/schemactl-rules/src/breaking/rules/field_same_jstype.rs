use crate::breaking::helpers::field::AnyField;
use prost_types::field_descriptor_proto::Type;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_JSTYPE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A 64-bit integer field keeps its jstype option.",
    doc: r#"## What it catches

A 64-bit integer field (`int64`, `uint64`, `sint64`, `fixed64`,
`sfixed64`) whose `jstype` option changed, including adding or removing it
(unset means `JS_NORMAL`). Fields that are not 64-bit integers on both sides
are left to the type rules.

## Why it matters

`jstype` does not touch the wire or JSON, but it decides the JavaScript type
of the generated accessor: `JS_STRING` gives strings, `JS_NUMBER` gives
numbers (and loses precision above 2^53), `JS_NORMAL` leaves it to the
generator (often a bigint or a Long object). Changing it changes the type
every JavaScript and TypeScript caller sees.

## Bad

```proto
message Account {
  int64 balance = 1 [jstype = JS_STRING];   // before
  int64 balance = 1;                        // after
}
```

## Good

```proto
message Account {
  int64 balance = 1 [jstype = JS_STRING];
}
```

## How to evolve safely

Pick the `jstype` when adding the field. To change it, add a new field with
the new option, migrate JavaScript callers, then retire the old one.
"#,
    check: Check::Breaking(check),
};

/// `options.jstype` in `FieldDescriptorProto`.
const JSTYPE: [i32; 2] = [8, 6];

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current, before, after) in cx.changed_fields(jstype) {
        if !is_64bit_integer(previous.ty()) || !is_64bit_integer(current.ty()) {
            continue;
        }
        current.report(
            sink,
            &current.sub_path(&JSTYPE),
            format!(
                "{} changed option \"jstype\" from \"{}\" to \"{}\".",
                current.description(),
                jstype_name(before),
                jstype_name(after)
            ),
        );
    }
}

fn jstype(field: &AnyField) -> i32 {
    field
        .proto()
        .options
        .as_ref()
        .map_or(0, |o| o.jstype.unwrap_or(0))
}

fn is_64bit_integer(ty: Type) -> bool {
    matches!(
        ty,
        Type::Int64 | Type::Uint64 | Type::Sint64 | Type::Fixed64 | Type::Sfixed64
    )
}

fn jstype_name(value: i32) -> String {
    match value {
        0 => "JS_NORMAL".to_owned(),
        1 => "JS_STRING".to_owned(),
        2 => "JS_NUMBER".to_owned(),
        n => n.to_string(),
    }
}
