use crate::breaking::deletion::{Element, report_deleted_from_packages};

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_EXTENSION_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::Package],
    v1_categories: Some(&[]),
    v1_exists: false,
    summary: "Extensions are not deleted from a package.",
    doc: r#"## What it catches

An extension field (top-level or declared inside a message) that existed in
a package and no longer exists anywhere in that package. Moving it between
files of the package is fine. The finding is placed on the innermost
enclosing message that still exists in the extension's former file, else on
that file, else (the file is gone too) nowhere, at 1:1. Like Buf, nothing is
reported for a package that has no extension left at all.

## Why it matters

Data written with the extension is kept only as unknown fields by new
readers, the extension number becomes free for a clashing reuse, generated
extension identifiers disappear (breaking every user), and JSON keys like
`"[pkg.v1.my_option]"` can no longer be parsed.

## Bad

```proto
// before: extend google.protobuf.FieldOptions { optional string column = 50001; }
// after: the extension exists in no file of the package
```

## Good

```proto
extend google.protobuf.FieldOptions {
  optional string column = 50001 [deprecated = true];
}
```

## How to evolve safely

Deprecate the extension and keep it until a new major version of the
package; never reuse its number.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    report_deleted_from_packages(cx, sink, Element::Extension);
}
