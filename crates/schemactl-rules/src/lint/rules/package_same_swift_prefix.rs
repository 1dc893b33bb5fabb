use crate::lint::packages::check_same_file_option;
use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_SAME_SWIFT_PREFIX",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "All files of a package set `swift_prefix` to the same value.",
    doc: r#"## What it catches

Files of one package that do not all set the file option `swift_prefix` to
the same value, including a package where some files set it and others do
not. Every file of the package is reported, at its `swift_prefix` option (or at
the file when it has none).

## Why it matters

The Swift generator names each type of a file with the file's
`swift_prefix` in front (`ABV1Invoice`). Files of one Protobuf package with
different values give types of one package different prefixes, so Swift
code cannot guess a type's name from the schema, and moving a message
between files renames its Swift type.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option swift_prefix = "ABV1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option swift_prefix = "AB";
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option swift_prefix = "ABV1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option swift_prefix = "ABV1";
```

## How to evolve safely

`swift_prefix` only affects generated Swift code, never the wire format or
JSON. Pick the value most callers already use and set it in every file of
the package; callers of the types whose Swift prefix changes need a
one-time update of their imports or names, so do it in one change and call
it out in the release notes.
"#,
    check: Check::Module(check),
};

/// `swift_prefix` in `FileOptions`.
const FIELD: i32 = 39;

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    check_same_file_option(cx, sink, "swift_prefix", FIELD, |o| o.swift_prefix.clone());
}
