use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_ONEOF",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_AND_UP,
    v1_categories: Some(Category::WIRE_AND_UP_V1),
    v1_exists: true,
    summary: "A field stays in (or out of) the same oneof.",
    doc: r#"## What it catches

A message field that moved into a oneof, out of a oneof, or from one oneof
to another. The synthetic oneofs of proto3 `optional` fields do not count:
adding or removing `optional` is a cardinality change
(`FIELD_SAME_CARDINALITY`).

## Why it matters

Members of a oneof clear each other: a reader with the new schema that
receives several former siblings keeps only the last one, so data is lost
silently. Generated code changes shape too (a `case` enum and a union type
in most languages), so callers stop compiling. Moving a field between oneofs
changes which other fields it clears.

## Bad

```proto
message Payment {
  string card_token = 1;   // before
  oneof method {           // after
    string card_token = 1;
    string iban = 2;
  }
}
```

## Good

```proto
message Payment {
  string card_token = 1;
  oneof method {
    string iban = 2;       // new fields may go in a new oneof
  }
}
```

## How to evolve safely

Put new fields in a oneof from the start. To group existing fields, add new
fields inside a new oneof, migrate writers, then deprecate the old fields.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.field_pairs() {
        if previous.is_extension() {
            continue;
        }
        let message = match (previous.oneof_name(), current.oneof_name()) {
            (None, None) => continue,
            (Some(before), Some(after)) if before == after => continue,
            (Some(before), Some(after)) => format!(
                "{} moved from oneof \"{before}\" to oneof \"{after}\".",
                current.description()
            ),
            (Some(_), None) => format!(
                "{} moved from inside to outside a oneof.",
                current.description()
            ),
            (None, Some(_)) => format!(
                "{} moved from outside to inside a oneof.",
                current.description()
            ),
        };
        current.report(sink, &current.path(), message);
    }
}
