use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_CC_GENERIC_SERVICES",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `cc_generic_services` option.",
    doc: r#"## What it catches

A change of the file option `cc_generic_services` (default `false`).

## Why it matters

Nothing changes on the wire or in JSON, but C++ service stubs appear or
disappear from the generated code: C++ code that subclasses or calls the
generic service classes stops compiling when they are turned off.

## Bad

```proto
// before
option cc_generic_services = true;
// after
option cc_generic_services = false;
```

## Good

```proto
option cc_generic_services = true;  // unchanged
```

## How to evolve safely

Leave the option as it is. Generic services are deprecated in favour of
plugin-generated stubs (gRPC); move C++ callers to those first, then drop
the option in a new package version.
"#,
    check: Check::Breaking(check),
};

/// `option cc_generic_services` is field 16 of `FileOptions`: source path `[8, 16]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "cc_generic_services", 16, |o| {
        o.cc_generic_services().to_string()
    });
}
