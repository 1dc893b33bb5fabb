use crate::breaking::{BreakingSink, PairCx};
use crate::lint::Check;
use crate::registry::{RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &["FILE", "PACKAGE", "CSR"],
    v1_categories: Some(&["FILE", "PACKAGE"]),
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
    for (previous, current) in cx.message_pairs_in_package() {
        let Some(current) = current else { continue };
        let current_file = current.parent_file();
        if cx.current_file(current_file.name()).is_none() {
            continue;
        }
        for field in previous.fields() {
            if current.get_field(field.number()).is_none() {
                let message = previous
                    .full_name()
                    .strip_prefix(&format!("{}.", previous.package_name()))
                    .unwrap_or(previous.full_name());
                sink.report(
                    current_file.name(),
                    current.path(),
                    current.path(),
                    format!(
                        "Previously present field \"{}\" with name \"{}\" on message \"{message}\" was deleted.",
                        field.number(),
                        field.name()
                    ),
                );
            }
        }
    }
}
