use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_RUBY_PACKAGE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `ruby_package` option.",
    doc: r#"## What it catches

A change of the file option `ruby_package`, including adding or removing it
(the default is derived from the package).

## Why it matters

The wire format is untouched, but the generated Ruby classes move to another
module: Ruby code that references them fails with a `NameError` at run time.

## Bad

```proto
// before
option ruby_package = "Acme::User::V1";
// after
option ruby_package = "Acme::Users::V1";
```

## Good

```proto
option ruby_package = "Acme::User::V1";  // unchanged
```

## How to evolve safely

Keep the Ruby module. A new one belongs to a new package version.
"#,
    check: Check::Breaking(check),
};

/// `option ruby_package` is field 45 of `FileOptions`: source path `[8, 45]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "ruby_package", 45, |o| {
        o.ruby_package().to_owned()
    });
}
