use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_CC_ENABLE_ARENAS",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `cc_enable_arenas` option.",
    doc: r#"## What it catches

A change of the file option `cc_enable_arenas`, including adding it with a
value other than the default (`true`) or removing it when it was `false`.

## Why it matters

The wire format is untouched, but the C++ generated code changes: arena
support alters the generated classes and the ownership rules of
`set_allocated_*`/`release_*`, and code written for one setting can leak or
double-free with the other. Code built against the old headers no longer
links with the new generated code.

## Bad

```proto
// before
option cc_enable_arenas = false;
// after
// option removed: arenas are now on (the default)
```

## Good

```proto
option cc_enable_arenas = false;  // unchanged
```

## How to evolve safely

Keep the option as it is. If C++ users need the other setting, generate the
change into a new package version and migrate callers explicitly.
"#,
    check: Check::Breaking(check),
};

/// `option cc_enable_arenas` is field 31 of `FileOptions`: source path `[8, 31]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "cc_enable_arenas", 31, |o| {
        o.cc_enable_arenas().to_string()
    });
}
