use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_PY_GENERIC_SERVICES",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `py_generic_services` option.",
    doc: r#"## What it catches

A change of the file option `py_generic_services` (default `false`).

## Why it matters

Nothing changes on the wire, but the Python generic service classes appear
or disappear from the generated module: Python code that uses them fails
with an `AttributeError` at run time.

## Bad

```proto
// before
option py_generic_services = true;
// after
option py_generic_services = false;
```

## Good

```proto
option py_generic_services = true;  // unchanged
```

## How to evolve safely

Leave the option as it is. Generic services are deprecated in favour of gRPC
stubs; migrate Python callers first, then drop the option in a new package
version.
"#,
    check: Check::Breaking(check),
};

/// `option py_generic_services` is field 18 of `FileOptions`: source path `[8, 18]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "py_generic_services", 18, |o| {
        o.py_generic_services().to_string()
    });
}
