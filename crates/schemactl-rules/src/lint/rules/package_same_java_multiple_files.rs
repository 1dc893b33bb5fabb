use crate::lint::packages::check_same_file_option;
use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_SAME_JAVA_MULTIPLE_FILES",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "All files of a package set `java_multiple_files` to the same value.",
    doc: r#"## What it catches

Files of one package that do not all set the file option `java_multiple_files` to
the same value, including a package where some files set it and others do
not. Every file of the package is reported, at its `java_multiple_files` option (or at
the file when it has none).

## Why it matters

`java_multiple_files` decides whether the Java generator emits each
message as a top-level class or nests all of a file's messages in one outer
class. Mixing the two within a package means Java code refers to some types
of the package as `Invoice` and to others as `RefundOuterClass.Refund`, and
moving a message between files changes its Java name. Setting the option
in some files and leaving it unset in others counts as a difference.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option java_multiple_files = true;
// acme/billing/v1/refund.proto
package acme.billing.v1;
option java_multiple_files = false;
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option java_multiple_files = true;
// acme/billing/v1/refund.proto
package acme.billing.v1;
option java_multiple_files = true;
```

## How to evolve safely

`java_multiple_files` only affects generated Java code, never the wire format or
JSON. Pick the value most callers already use and set it in every file of
the package; callers of the types whose Java layout changes need a
one-time update of their imports or names, so do it in one change and call
it out in the release notes.
"#,
    check: Check::Module(check),
};

/// `java_multiple_files` in `FileOptions`.
const FIELD: i32 = 10;

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    check_same_file_option(cx, sink, "java_multiple_files", FIELD, |o| {
        o.java_multiple_files.map(|v| v.to_string())
    });
}
