use super::enum_value_no_delete::check_with;
use crate::breaking::deletion::Unless;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
    kind: RuleKind::Breaking,
    categories: &[Category::WireJson, Category::Wire, Category::Csr],
    v1_categories: Some(&[Category::WireJson, Category::Wire]),
    v1_exists: true,
    summary: "An enum value may only be deleted if its number is reserved.",
    doc: r#"## What it catches

A number that some value of an enum had before, that no value has now, and
that the current enum does not reserve (`reserved 3;` or a range covering
it). The finding is placed on the current enum.

## Why it matters

On the wire an enum value is only its number. Deleting a value is tolerable
for binary data as long as the number is never given to a new value: if it
is, data written by old clients is read as the new value, a silent change of
meaning. Reserving the number makes `protoc` and `buf` reject any reuse.

## Bad

```proto
enum Plan {
  PLAN_UNSPECIFIED = 0;
  PLAN_FREE = 1;
  // PLAN_TRIAL = 2;  (deleted, number left free)
}
```

## Good

```proto
enum Plan {
  PLAN_UNSPECIFIED = 0;
  PLAN_FREE = 1;
  reserved 2;
  reserved "PLAN_TRIAL";
}
```

## How to evolve safely

Delete the value and reserve its number in the same change; reserve the name
as well if JSON matters (`ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED`).
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_with(cx, sink, Unless::NumberReserved);
}
