use crate::breaking::helpers::ranges::{MESSAGE_MAX, Reserved, unreserved};
use crate::breaking::pair::MapEntries;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RESERVED_MESSAGE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_AND_UP,
    v1_categories: Some(Category::WIRE_AND_UP_V1),
    v1_exists: true,
    summary: "Reserved field numbers and names stay reserved in messages.",
    doc: r#"## What it catches

A message that reserved field numbers or names and no longer reserves all of
them: a `reserved` range that was removed or narrowed, or a reserved name
that was dropped. Ranges are compared as sets of numbers, so rewriting,
splitting, merging or widening ranges is fine (`reserved 5 to 10;` becoming
`reserved 1 to 20;` reserves more, not less). The finding is placed on the
current message and lists the numbers that are no longer reserved.

## Why it matters

A number or name is reserved because a field used to have it and old data
or old clients may still carry it. Dropping the reservation lets someone add
a new field on that number (binary data from old writers is then misread,
silently) or with that name (JSON from old writers lands in the new field).
The reservation is the only thing that stops `protoc` from accepting the
reuse.

## Bad

```proto
message User {
  // before: reserved 2 to 4; reserved "email";
  reserved 2;
}
```

## Good

```proto
message User {
  reserved 2 to 4, 9;  // widening or adding is fine
  reserved "email";
}
```

## How to evolve safely

Treat reservations as permanent: only ever add to them. If a number really
must be reused, do it in a new message (or a new major version of the
package), never in place.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.message_pairs(MapEntries::Exclude) {
        let (before, after) = (
            Reserved::of_message(&previous),
            Reserved::of_message(&current),
        );
        for text in unreserved("message", current.name(), MESSAGE_MAX, &before, &after) {
            sink.report_on(&current, text);
        }
    }
}
