use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_SWIFT_PREFIX",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `swift_prefix` option.",
    doc: r#"## What it catches

A change of the file option `swift_prefix`, including adding or removing it
(the default prefix is derived from the package).

## Why it matters

The wire format is untouched, but every generated Swift type is renamed
(`Acme_User` becomes `AU_User`): all Swift code that uses the types stops
compiling.

## Bad

```proto
// before
option swift_prefix = "Acme_";
// after
option swift_prefix = "AU_";
```

## Good

```proto
option swift_prefix = "Acme_";  // unchanged
```

## How to evolve safely

Keep the prefix. A new prefix belongs to a new package version.
"#,
    check: Check::Breaking(check),
};

/// `option swift_prefix` is field 39 of `FileOptions`: source path `[8, 39]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "swift_prefix", 39, |o| {
        o.swift_prefix().to_owned()
    });
}
