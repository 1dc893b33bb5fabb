use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_JAVA_GENERIC_SERVICES",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `java_generic_services` option.",
    doc: r#"## What it catches

A change of the file option `java_generic_services` (default `false`).

## Why it matters

Nothing changes on the wire, but the Java generic service classes appear or
disappear from the generated code: Java code that implements or calls them
stops compiling.

## Bad

```proto
// before
option java_generic_services = true;
// after
// option removed
```

## Good

```proto
option java_generic_services = true;  // unchanged
```

## How to evolve safely

Leave the option as it is. Generic services are deprecated in favour of gRPC
stubs; migrate Java callers first, then drop the option in a new package
version.
"#,
    check: Check::Breaking(check),
};

/// `option java_generic_services` is field 17 of `FileOptions`: source path `[8, 17]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "java_generic_services", 17, |o| {
        o.java_generic_services().to_string()
    });
}
