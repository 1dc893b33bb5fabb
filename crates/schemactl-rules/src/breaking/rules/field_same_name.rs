use schemactl_compile::walk::tag;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_NAME",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_JSON_AND_UP,
    v1_categories: Some(Category::WIRE_JSON_AND_UP_V1),
    v1_exists: true,
    summary: "A field keeps its name (an extension its full name).",
    doc: r#"## What it catches

A field whose number is unchanged but whose name changed; for extensions,
a change of the full name (including a move to another scope).

## Why it matters

The binary encoding only uses numbers, so old and new binaries still talk.
But the JSON form uses the name (or the JSON name derived from it), text
format and field masks use it, and generated code renames the accessor, so
every caller stops compiling and stored JSON no longer maps to the field.

## Bad

```proto
message User {
  string mail = 2;    // before
  string email = 2;   // after
}
```

## Good

```proto
message User {
  string mail = 2 [deprecated = true];
  string email = 3;
}
```

## How to evolve safely

Add a field under the new name with a new number, write both during the
migration, then deprecate the old one and finally delete it while reserving
its number and name. If only the binary format matters to you, the WIRE
category does not include this rule.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (_, current, before, after) in cx.changed_fields(|f| f.display_name().to_owned()) {
        current.report(
            sink,
            &current.sub_path(&[tag::NAME]),
            format!(
                "{} changed name from \"{before}\" to \"{after}\".",
                current.description_with_name(None),
            ),
        );
    }
}
