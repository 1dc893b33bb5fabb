use crate::breaking::deletion::{Element, report_deleted_from_packages};

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_MESSAGE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "Messages are not deleted from a package.",
    doc: r#"## What it catches

A message (top-level, nested, or the entry message of a `map<>` field) that
existed in a package and no longer exists anywhere in that package. Moving a
message between files of the package is fine. The finding is placed on the
innermost enclosing message that still exists, else on the file the message
was in, else (the file is gone too) nowhere, at 1:1. Like Buf, nothing is
reported for a package that has no message left at all: the package is
either gone (`PACKAGE_NO_DELETE`) or emptied on purpose.

## Why it matters

Code generated for the package loses the type, so every producer and
consumer that names it stops compiling; `Any` payloads and JSON carrying the
type URL (`type.googleapis.com/pkg.Message`) can no longer be decoded.

## Bad

```proto
// before: pkg.v1.Invoice in billing.proto
// after: Invoice exists in no file of pkg.v1
```

## Good

```proto
// moving Invoice from billing.proto to invoice.proto (same package) is fine
message Invoice {
  option deprecated = true;
  string id = 1;
}
```

## How to evolve safely

Deprecate the message, stop using it, and remove it in a new major version of
the package.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    report_deleted_from_packages(cx, sink, Element::Message);
}
