use super::field_no_delete::check_with;
use crate::breaking::deletion::Unless;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
    kind: RuleKind::Breaking,
    categories: &[Category::WireJson, Category::Csr],
    v1_categories: Some(&[Category::WireJson]),
    v1_exists: true,
    summary: "A field may only be deleted if its name is reserved.",
    doc: r#"## What it catches

A field number that existed in a message and is gone, while the current
message does not reserve the deleted field's name (`reserved "email";`).
The finding is placed on the current message.

## Why it matters

JSON identifies fields by name, not number. If the name of a deleted field
becomes free, a new field can take it with another type, and JSON written by
old clients (`{"email": "…"}`) is then parsed into the new field, or rejected
by strict parsers. Reserving the name makes `protoc` and `buf` refuse any
reuse of it.

## Bad

```proto
message User {
  string id = 1;
  // string email = 2;  (deleted, name left free)
  reserved 2;
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

When you delete a field, reserve both its number
(`FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED`) and its name in the same change.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_with(cx, sink, Unless::NameReserved);
}
