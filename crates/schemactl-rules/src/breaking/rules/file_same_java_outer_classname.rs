use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_JAVA_OUTER_CLASSNAME",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `java_outer_classname` option.",
    doc: r#"## What it catches

A change of the file option `java_outer_classname`, including adding or
removing it (the default is derived from the file name).

## Why it matters

The wire format is untouched, but the outer Java class is renamed: every
reference to it (and, without `java_multiple_files`, to every type nested in
it) stops compiling.

## Bad

```proto
// before
option java_outer_classname = "UserProto";
// after
option java_outer_classname = "UserProtos";
```

## Good

```proto
option java_outer_classname = "UserProto";  // unchanged
```

## How to evolve safely

Keep the outer class name. If you must rename it, do it together with a new
package version.
"#,
    check: Check::Breaking(check),
};

/// `option java_outer_classname` is field 8 of `FileOptions`: source path `[8, 8]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "java_outer_classname", 8, |o| {
        o.java_outer_classname().to_owned()
    });
}
