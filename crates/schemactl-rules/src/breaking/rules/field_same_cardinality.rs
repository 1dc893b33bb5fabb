use crate::breaking::helpers::field::check_cardinality;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_CARDINALITY",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A field keeps its cardinality: presence, required, repeated or map.",
    doc: r#"## What it catches

A field (or extension) whose cardinality changed. Five cardinalities are
told apart: optional with explicit presence (proto2 `optional`, proto3
`optional`, message fields, oneof members, editions' default), optional with
implicit presence (plain proto3 scalars, editions'
`features.field_presence = IMPLICIT`), `required` (editions:
`LEGACY_REQUIRED`), `repeated` and `map`. Adding or removing proto3
`optional`, or a proto3 → editions migration that does not keep
`IMPLICIT`, counts as a change.

## Why it matters

Generated code differs for every cardinality: `has_x()` accessors appear or
disappear with explicit presence, a repeated field becomes a list, a map a
dictionary, so callers stop compiling. Semantics change too: with implicit
presence a zero value is never written, so "unset" and "zero" can no longer
be told apart; `required` fields make parsing fail when missing.

## Bad

```proto
message Profile {
  string nickname = 1;            // before
  optional string nickname = 1;   // after: now has presence, new accessors
}
```

## Good

```proto
message Profile {
  string nickname = 1;
  optional string display_name = 2;  // a new field with the new cardinality
}
```

## How to evolve safely

Add a new field with the cardinality you need and migrate to it. If you only
care about the wire format, the WIRE and WIRE_JSON categories use
`FIELD_WIRE_COMPATIBLE_CARDINALITY` and
`FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY`, which allow the changes that keep
the encoding.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_cardinality(cx, sink, |c| c as u8);
}
