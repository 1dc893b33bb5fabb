use super::enum_value_no_delete::check_with;
use crate::breaking::deletion::Unless;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
    kind: RuleKind::Breaking,
    categories: &[Category::WireJson, Category::Csr],
    v1_categories: Some(&[Category::WireJson]),
    v1_exists: true,
    summary: "An enum value may only be deleted if its name is reserved.",
    doc: r#"## What it catches

A number that some value of an enum had before and no value has now, while
the current enum does not reserve the deleted name (with aliases,
`allow_alias`, every name the number had must be reserved). The finding is
placed on the current enum.

## Why it matters

JSON writes enum values by name. If the name of a deleted value is free, a
new value can take it with another number, and JSON written by old clients
(`"status": "STATUS_SUSPENDED"`) is then read as the new value; if no value
has the name, strict JSON parsers reject the whole message. Reserving the
name makes `protoc` and `buf` refuse any reuse.

## Bad

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  // STATUS_SUSPENDED = 2;  (deleted, name left free)
  reserved 2;
}
```

## Good

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  reserved 2;
  reserved "STATUS_SUSPENDED";
}
```

## How to evolve safely

When you delete an enum value, reserve both its number
(`ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED`) and its name in the same
change.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_with(cx, sink, Unless::NameReserved);
}
