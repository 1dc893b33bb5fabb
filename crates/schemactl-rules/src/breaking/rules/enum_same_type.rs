use crate::breaking::{BreakingSink, PairCx};
use crate::features::{is_closed, paths};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_SAME_TYPE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "An enum stays open or closed.",
    doc: r#"## What it catches

An enum that changed between open and closed: the resolved
`features.enum_type` (`OPEN` or `CLOSED`, inherited from the file in
editions, `OPEN` by default since edition 2023). proto2 enums are closed,
proto3 enums open, so migrating a proto2 file to editions without
`features.enum_type = CLOSED` is reported, as is changing a file's syntax or
moving an enum to a file that resolves differently. The finding points at
the enum's own `features.enum_type` option when it has one.

## Why it matters

An open enum field keeps unknown numbers as they are. A closed enum field
treats an unknown number as an unknown field: the value is moved to the
unknown field set and the field reads as its default. After the change, old
and new readers disagree on what a message with a newer enum value contains,
and generated code differs (for example, Java's `UNRECOGNIZED` value and
`getXValue()` accessors exist only for open enums).

## Bad

```proto
// before: status.proto
syntax = "proto3";
enum Status { STATUS_UNSPECIFIED = 0; STATUS_ACTIVE = 1; }
// after: status.proto
syntax = "proto2";
enum Status { STATUS_UNSPECIFIED = 0; STATUS_ACTIVE = 1; }
```

## Good

```proto
// keep the syntax of the file that declares the enum
syntax = "proto3";
enum Status { STATUS_UNSPECIFIED = 0; STATUS_ACTIVE = 1; }
```

## How to evolve safely

Keep enums in files of the same syntax. A new enum with the behaviour you
want, used by new fields, avoids changing the meaning of existing data.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.enum_pairs() {
        let (before, after) = (is_closed(&previous), is_closed(&current));
        if before == after {
            continue;
        }
        let state = |closed: bool| if closed { "closed" } else { "open" };
        // At `features.enum_type` when the enum sets it itself.
        let file = current.parent_file();
        let at = [current.path(), &paths::ENUM_TYPE].concat();
        let at = cx
            .first_located(file.name(), &[&at])
            .unwrap_or_else(|| current.path().to_vec());
        sink.report(
            file.name(),
            current.path(),
            &at,
            format!(
                "Enum \"{}\" changed from {} to {}.",
                current.name(),
                state(before),
                state(after)
            ),
        );
    }
}
