use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_JAVA_MULTIPLE_FILES",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `java_multiple_files` option.",
    doc: r#"## What it catches

A change of the file option `java_multiple_files` (default `false`). Setting
it explicitly to `false` where it was absent is not a change.

## Why it matters

The wire format is untouched, but the Java generated code is reorganised:
with the option each message, enum and service is a top-level class; without
it they are nested in the outer class. Every Java import and reference
(`UserProto.User` versus `User`) stops compiling.

## Bad

```proto
// before
option java_multiple_files = true;
// after
option java_multiple_files = false;
```

## Good

```proto
option java_multiple_files = true;  // unchanged
```

## How to evolve safely

Decide once, when the file is created (most style guides say `true`), and
keep it. A change belongs in a new package version.
"#,
    check: Check::Breaking(check),
};

/// `option java_multiple_files` is field 10 of `FileOptions`: source path `[8, 10]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "java_multiple_files", 10, |o| {
        o.java_multiple_files().to_string()
    });
}
