use crate::breaking::deletion::Unless;
use crate::breaking::helpers::ranges::Reserved;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package, Category::Csr],
    v1_categories: Some(&[Category::File, Category::Package]),
    v1_exists: true,
    summary: "Fields are not deleted from messages.",
    doc: r#"## What it catches

A field number that existed in a message and is gone.

## Why it matters

Old producers keep sending the field; new consumers silently drop it. Worse,
the number is now free: someone will reuse it with a different type, and old
and new code will then misread each other's data. Generated code loses the
accessor, so every user of the field stops compiling, and JSON payloads that
carry the field name are rejected by strict parsers.

## Bad

```proto
message User {
  string id = 1;
  // string email = 2;  (deleted)
}
```

## Good

```proto
message User {
  string id = 1;
  reserved 2;
  reserved "email";
}
```

## How to evolve safely

Deprecate the field (`[deprecated = true]`), stop writing it, and when it is
finally removed reserve both its number and its name. The WIRE and WIRE_JSON
categories accept a deletion whose number (and name) are reserved
(`FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED`,
`FIELD_NO_DELETE_UNLESS_NAME_RESERVED`).
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_with(cx, sink, Unless::Never);
}

/// Report every field number of a previous message that is gone from the
/// current message of the same full name (anywhere in the current files),
/// at the current message, unless `unless` allows the deletion. Shared
/// with the `_UNLESS_NUMBER_RESERVED` / `_UNLESS_NAME_RESERVED` variants.
pub(super) fn check_with(cx: &PairCx<'_>, sink: &mut BreakingSink, unless: Unless) {
    for (previous, current, field) in cx.deleted_fields() {
        let Some(suffix) = unless.suffix(
            i64::from(field.number()),
            &[field.name().to_owned()],
            &Reserved::of_message(&current),
        ) else {
            continue;
        };
        sink.report_on(&current, format!(
                "Previously present field \"{}\" with name \"{}\" on message \"{}\" was deleted{suffix}.",
                field.number(),
                field.name(),
                previous.name(),
            ),
        );
    }
}
