use super::field_no_delete::check_with;
use crate::breaking::deletion::Unless;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
    kind: RuleKind::Breaking,
    categories: &[Category::WireJson, Category::Wire, Category::Csr],
    v1_categories: Some(&[Category::WireJson, Category::Wire]),
    v1_exists: true,
    summary: "A field may only be deleted if its number is reserved.",
    doc: r#"## What it catches

A field number that existed in a message and is gone, while the current
message does not reserve that number (`reserved 4;` or a range covering it).
The finding is placed on the current message.

## Why it matters

On the wire a field is only its number. Deleting a field is safe for binary
data as long as nobody ever reuses the number: old writers keep sending it
and new readers skip it as unknown. Once the number is free, someone adds a
new field on it with another type or meaning, and old and new binaries
silently misread each other's data. Reserving the number makes `protoc` and
`buf` reject any reuse.

## Bad

```proto
message Order {
  string id = 1;
  // int64 legacy_total = 2;  (deleted, number left free)
}
```

## Good

```proto
message Order {
  string id = 1;
  reserved 2;
  reserved "legacy_total";
}
```

## How to evolve safely

Stop writing the field, deploy, then delete it and add `reserved N;` in the
same change. Reserve the name as well if JSON matters
(`FIELD_NO_DELETE_UNLESS_NAME_RESERVED`).
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_with(cx, sink, Unless::NumberReserved);
}
