use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_OBJC_CLASS_PREFIX",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `objc_class_prefix` option.",
    doc: r#"## What it catches

A change of the file option `objc_class_prefix`, including adding or
removing it.

## Why it matters

The wire format is untouched, but every generated Objective-C class is
renamed (`ACMUser` becomes `AUSUser`): all Objective-C and Swift code that
uses the classes stops compiling.

## Bad

```proto
// before
option objc_class_prefix = "ACM";
// after
option objc_class_prefix = "AUS";
```

## Good

```proto
option objc_class_prefix = "ACM";  // unchanged
```

## How to evolve safely

Keep the prefix. A new prefix belongs to a new package version.
"#,
    check: Check::Breaking(check),
};

/// `option objc_class_prefix` is field 36 of `FileOptions`: source path `[8, 36]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "objc_class_prefix", 36, |o| {
        o.objc_class_prefix().to_owned()
    });
}
