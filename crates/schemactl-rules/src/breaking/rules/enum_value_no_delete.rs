use crate::breaking::deletion::Unless;
use crate::breaking::helpers::ranges::Reserved;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_VALUE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package, Category::Csr],
    v1_categories: Some(&[Category::File, Category::Package]),
    v1_exists: true,
    summary: "Enum values are not deleted from enums.",
    doc: r#"## What it catches

A number that some value of an enum had before and no value of the enum has
now (values are matched by number; renaming a value is
`ENUM_VALUE_SAME_NAME`). The finding is placed on the current enum.

## Why it matters

Old writers keep sending the number. Readers built from the new schema treat
it as unknown: proto3 (open) enums keep the raw number but generated code
has no constant for it, proto2 (closed) enums move it to unknown fields so
the field reads as its default. JSON is worse: the value is written by name,
and a parser that does not know the name rejects the whole message. Generated
code loses the constant, so users of it stop compiling.

## Bad

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_ACTIVE = 1;
  // STATUS_SUSPENDED = 2;  (deleted)
}
```

## Good

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_ACTIVE = 1;
  STATUS_SUSPENDED = 2 [deprecated = true];
}
```

## How to evolve safely

Deprecate the value and keep it. If it really has to go, reserve both the
number and the name (`reserved 2; reserved "STATUS_SUSPENDED";`); the WIRE
and WIRE_JSON categories then accept the deletion
(`ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED`,
`ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED`).
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_with(cx, sink, Unless::Never);
}

/// Report every number of a previous enum that no value of the current enum
/// of the same full name has any more, at the current enum, unless `unless`
/// allows it. With `NameReserved` every name the number had (aliases) must
/// be reserved. Shared with the `_UNLESS_NUMBER_RESERVED` /
/// `_UNLESS_NAME_RESERVED` variants.
pub(super) fn check_with(cx: &PairCx<'_>, sink: &mut BreakingSink, unless: Unless) {
    for (current, number, names) in cx.deleted_enum_values() {
        let Some(suffix) = unless.suffix(i64::from(number), &names, &Reserved::of_enum(&current))
        else {
            continue;
        };
        sink.report_on(
            &current,
            format!(
                "Previously present enum value \"{number}\" on enum \"{}\" was deleted{suffix}.",
                current.name()
            ),
        );
    }
}
