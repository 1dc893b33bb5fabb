use crate::lint::packages::check_same_file_option;
use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_SAME_JAVA_PACKAGE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "All files of a package set `java_package` to the same value.",
    doc: r#"## What it catches

Files of one package that do not all set the file option `java_package` to
the same value, including a package where some files set it and others do
not. Every file of the package is reported, at its `java_package` option (or at
the file when it has none).

## Why it matters

The Java (and Kotlin) generators put each file's classes into its
`java_package`. Files of one Protobuf package with different values scatter
the package over several Java packages, so callers need several imports for
one API, and moving a message between files changes its Java name.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option java_package = "com.acme.billing.v1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option java_package = "com.acme.billing";
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option java_package = "com.acme.billing.v1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option java_package = "com.acme.billing.v1";
```

## How to evolve safely

`java_package` only affects generated Java code, never the wire format or
JSON. Pick the value most callers already use and set it in every file of
the package; callers of the types whose Java package changes need a
one-time update of their imports or names, so do it in one change and call
it out in the release notes.
"#,
    check: Check::Module(check),
};

/// `java_package` in `FileOptions`.
const FIELD: i32 = 1;

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    check_same_file_option(cx, sink, "java_package", FIELD, |o| o.java_package.clone());
}
