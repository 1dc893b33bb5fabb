use crate::breaking::helpers::ranges::{ENUM_MAX, Reserved, unreserved};

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RESERVED_ENUM_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_AND_UP,
    v1_categories: Some(Category::WIRE_AND_UP_V1),
    v1_exists: true,
    summary: "Reserved enum numbers and names stay reserved.",
    doc: r#"## What it catches

An enum that reserved value numbers or names and no longer reserves all of
them: a `reserved` range that was removed or narrowed, or a reserved name
that was dropped. Ranges are compared as sets of numbers, so rewriting,
splitting, merging or widening ranges is fine (`reserved 5 to 10;` becoming
`reserved 1 to 20;` reserves more, not less). The finding is placed on the
current enum and lists the numbers that are no longer reserved.

## Why it matters

A number or name is reserved because a value used to have it, and stored
data or old clients may still send it. Without the reservation someone can
give the number to a new value (old binary data then silently means the new
value) or reuse the name with another number (old JSON then decodes to the
wrong value).

## Bad

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  // before: reserved 2, 3; reserved "STATUS_OLD";
  reserved 2;
}
```

## Good

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  reserved 2 to 5;  // widening is fine
  reserved "STATUS_OLD";
}
```

## How to evolve safely

Treat reservations as permanent: only ever add to them. Reuse a number only
in a new enum or a new major version of the package.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.enum_pairs() {
        let (before, after) = (Reserved::of_enum(&previous), Reserved::of_enum(&current));
        for text in unreserved("enum", current.name(), ENUM_MAX, &before, &after) {
            sink.report_on(&current, text);
        }
    }
}
