use std::collections::BTreeMap;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

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

/// When a deleted enum value is acceptable, for this rule and its
/// `_UNLESS_NUMBER_RESERVED` / `_UNLESS_NAME_RESERVED` variants.
#[derive(Clone, Copy)]
pub(super) enum Unless {
    Never,
    NumberReserved,
    NameReserved,
}

/// Report every number of a previous enum that no value of the current enum
/// of the same full name has any more, at the current enum, unless `unless`
/// allows it. Aliases share a number: the number is what is deleted, and
/// with `NameReserved` every one of its names must be reserved.
pub(super) fn check_with(cx: &PairCx<'_>, sink: &mut BreakingSink, unless: Unless) {
    for (previous, current) in cx.enum_pairs_in_package() {
        let Some(current) = current else { continue };
        let mut names_by_number: BTreeMap<i32, Vec<String>> = BTreeMap::new();
        for value in previous.values() {
            names_by_number
                .entry(value.number())
                .or_default()
                .push(value.name().to_owned());
        }
        for (number, mut names) in names_by_number {
            if current.get_value(number).is_some() {
                continue;
            }
            names.sort();
            let suffix = match unless {
                Unless::Never => String::new(),
                Unless::NumberReserved => {
                    if current.reserved_ranges().any(|r| r.contains(&number)) {
                        continue;
                    }
                    format!(" without reserving the number \"{number}\"")
                }
                Unless::NameReserved => {
                    if names
                        .iter()
                        .all(|n| current.reserved_names().any(|r| r == n))
                    {
                        continue;
                    }
                    let plural = if names.len() > 1 { "s" } else { "" };
                    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                    format!(" without reserving the name{plural} {}", quoted.join(", "))
                }
            };
            sink.report(
                current.parent_file().name(),
                current.path(),
                current.path(),
                format!(
                    "Previously present enum value \"{number}\" on enum \"{}\" was deleted{suffix}.",
                    current.name()
                ),
            );
        }
    }
}
