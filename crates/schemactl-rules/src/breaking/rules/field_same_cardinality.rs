use super::field_same_type::{AnyField, FieldCardinality, field_pairs};
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

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
`optional`, message fields, oneof members), optional with implicit presence
(plain proto3 scalars), `required`, `repeated` and `map`. Adding or removing
proto3 `optional` counts as a change.

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

/// Report fields whose cardinality moved to another `group`. The fields of
/// map entries are skipped: they are generated, and their apparent presence
/// follows the file syntax without changing any behaviour.
pub(super) fn check_cardinality(
    cx: &PairCx<'_>,
    sink: &mut BreakingSink,
    group: impl Fn(FieldCardinality) -> u8,
) {
    for (previous, current) in field_pairs(cx) {
        if previous.in_map_entry() && current.in_map_entry() {
            continue;
        }
        let (before, after) = (previous.cardinality(), current.cardinality());
        if group(before) != group(after) {
            report(sink, &current, before, after);
        }
    }
}

fn report(
    sink: &mut BreakingSink,
    current: &AnyField,
    before: FieldCardinality,
    after: FieldCardinality,
) {
    current.report(
        sink,
        &current.path(),
        format!(
            "{} changed cardinality from \"{}\" to \"{}\".",
            current.description(),
            before.as_str(),
            after.as_str()
        ),
    );
}
