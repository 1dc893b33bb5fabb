use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_JAVA_PACKAGE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `java_package` option.",
    doc: r#"## What it catches

A change of the file option `java_package`, including adding or removing it
(the default is derived from the proto package).

## Why it matters

The wire format is untouched, but the generated Java and Kotlin classes move
to another package: every import stops compiling, and two builds that mix
the old and new jars carry the same message under two class names.

## Bad

```proto
// before
option java_package = "com.acme.user.v1";
// after
option java_package = "com.acme.users.v1";
```

## Good

```proto
option java_package = "com.acme.user.v1";  // unchanged
```

## How to evolve safely

Keep `java_package` stable for the life of a package, or let managed mode
set it at generation time. A new Java package belongs to a new proto package
version.
"#,
    check: Check::Breaking(check),
};

/// `option java_package` is field 1 of `FileOptions`: source path `[8, 1]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "java_package", 1, |o| o.java_package().to_owned());
}
