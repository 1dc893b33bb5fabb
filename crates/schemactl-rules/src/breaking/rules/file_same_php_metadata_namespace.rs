use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_PHP_METADATA_NAMESPACE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `php_metadata_namespace` option.",
    doc: r#"## What it catches

A change of the file option `php_metadata_namespace`, including adding or
removing it.

## Why it matters

The wire format is untouched, but the generated PHP metadata classes (which
register the descriptors) move: generated message classes from other files
that initialise this file's metadata by name fail at run time.

## Bad

```proto
// before
option php_metadata_namespace = "Acme\\Metadata\\User\\V1";
// after
option php_metadata_namespace = "Acme\\GPBMetadata\\User\\V1";
```

## Good

```proto
option php_metadata_namespace = "Acme\\Metadata\\User\\V1";  // unchanged
```

## How to evolve safely

Keep the metadata namespace. A new one belongs to a new package version.
"#,
    check: Check::Breaking(check),
};

/// `option php_metadata_namespace` is field 44 of `FileOptions`: source path `[8, 44]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "php_metadata_namespace", 44, |o| {
        o.php_metadata_namespace().to_owned()
    });
}
