use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_PHP_CLASS_PREFIX",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `php_class_prefix` option.",
    doc: r#"## What it catches

A change of the file option `php_class_prefix`, including adding or removing
it.

## Why it matters

The wire format is untouched, but every generated PHP class is renamed: PHP
code that references the classes fails at run time with a class-not-found
error.

## Bad

```proto
// before
option php_class_prefix = "Acme";
// after
option php_class_prefix = "Acm";
```

## Good

```proto
option php_class_prefix = "Acme";  // unchanged
```

## How to evolve safely

Keep the prefix. A new prefix belongs to a new package version.
"#,
    check: Check::Breaking(check),
};

/// `option php_class_prefix` is field 40 of `FileOptions`: source path `[8, 40]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "php_class_prefix", 40, |o| {
        o.php_class_prefix().to_owned()
    });
}
