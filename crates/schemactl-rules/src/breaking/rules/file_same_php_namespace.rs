use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_PHP_NAMESPACE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `php_namespace` option.",
    doc: r#"## What it catches

A change of the file option `php_namespace`, including adding or removing it
(the default is derived from the package).

## Why it matters

The wire format is untouched, but the generated PHP classes move to another
namespace: every `use` statement and fully qualified class name in PHP code
fails at run time.

## Bad

```proto
// before
option php_namespace = "Acme\\User\\V1";
// after
option php_namespace = "Acme\\Users\\V1";
```

## Good

```proto
option php_namespace = "Acme\\User\\V1";  // unchanged
```

## How to evolve safely

Keep the namespace. A new namespace belongs to a new package version.
"#,
    check: Check::Breaking(check),
};

/// `option php_namespace` is field 41 of `FileOptions`: source path `[8, 41]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "php_namespace", 41, |o| {
        o.php_namespace().to_owned()
    });
}
