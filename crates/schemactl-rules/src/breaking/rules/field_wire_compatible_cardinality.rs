use crate::breaking::helpers::field::{FieldCardinality, check_cardinality};
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_WIRE_COMPATIBLE_CARDINALITY",
    kind: RuleKind::Breaking,
    categories: &[Category::Wire],
    v1_categories: None,
    v1_exists: true,
    summary: "A field's cardinality only changes in ways the binary encoding tolerates.",
    doc: r#"## What it catches

A field (or extension) whose cardinality changed between groups that the
binary format does not treat alike:

- optional (explicit or implicit presence);
- `required`;
- `repeated` and `map` (a map is a repeated entry message on the wire).

Adding or removing proto3 `optional` is fine here, and so is turning a
repeated message field into a map with the same entry shape.

## Why it matters

Going from optional to repeated or back changes how many values a reader
keeps (the last one, or all of them) and, for packed scalars, how they are
encoded. Adding or removing `required` makes parsers reject messages that
lack the field.

## Bad

```proto
message Batch {
  string id = 1;            // before
  repeated string id = 1;   // after
}
```

## Good

```proto
message Batch {
  string id = 1;            // before
  optional string id = 1;   // after: same encoding
}
```

## How to evolve safely

Add a new field with the new cardinality and migrate readers and writers to
it before retiring the old one.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_cardinality(cx, sink, FieldCardinality::wire_group);
}
