use crate::breaking::helpers::field::{FieldCardinality, check_cardinality};
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
    kind: RuleKind::Breaking,
    categories: &[Category::WireJson, Category::Csr],
    v1_categories: Some(&[Category::WireJson]),
    v1_exists: true,
    summary: "A field's cardinality only changes in ways both binary and JSON encodings tolerate.",
    doc: r#"## What it catches

A field (or extension) whose cardinality changed between groups that the
binary or the JSON format treats differently:

- optional (explicit or implicit presence);
- `required`;
- `repeated`;
- `map`.

Adding or removing proto3 `optional` is fine.

## Why it matters

Besides the binary concerns of `FIELD_WIRE_COMPATIBLE_CARDINALITY`
(single versus many values, `required` checks at parse time), JSON writes a
repeated field as an array and a map as an object, so turning a repeated
entry message into a map (or back) breaks every JSON reader even though the
bytes are the same.

## Bad

```proto
message Labels {
  repeated Entry entries = 1;        // before: JSON array
  map<string, string> entries = 1;   // after: JSON object
}
```

## Good

```proto
message Labels {
  string owner = 1;            // before
  optional string owner = 1;   // after: same JSON and binary form
}
```

## How to evolve safely

Add a new field with the new cardinality, write both during a migration, and
retire the old field once no reader depends on it.
"#,
    check: Check::Breaking(check),
};

/// The binary groups, with maps apart: JSON writes a map as an object and a
/// repeated field as an array.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_cardinality(cx, sink, |c| match c {
        FieldCardinality::Map => 4,
        c => c.wire_group(),
    });
}
