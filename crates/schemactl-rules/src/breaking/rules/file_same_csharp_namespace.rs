use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_CSHARP_NAMESPACE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `csharp_namespace` option.",
    doc: r#"## What it catches

A change of the file option `csharp_namespace`, including adding or removing
it (the default namespace is derived from the package).

## Why it matters

The wire format and JSON are untouched, but the generated C# types move to
another namespace: every `using` directive and fully qualified reference in
C# code stops compiling.

## Bad

```proto
// before
option csharp_namespace = "Acme.User.V1";
// after
option csharp_namespace = "Acme.Users.V1";
```

## Good

```proto
option csharp_namespace = "Acme.User.V1";  // unchanged
```

## How to evolve safely

Keep the namespace. A new namespace belongs to a new package version,
introduced next to the old one.
"#,
    check: Check::Breaking(check),
};

/// `option csharp_namespace` is field 37 of `FileOptions`: source path `[8, 37]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "csharp_namespace", 37, |o| {
        o.csharp_namespace().to_owned()
    });
}
