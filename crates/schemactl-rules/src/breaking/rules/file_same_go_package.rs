use crate::breaking::helpers::file::check_file_option;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_GO_PACKAGE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A file keeps its `go_package` option.",
    doc: r#"## What it catches

A change of the file option `go_package`, including adding or removing it.

## Why it matters

The wire format and JSON are untouched, but the generated Go code moves to
another import path (or package name): every Go import of the old path stops
compiling, and two copies of the same message registered under different Go
packages cause a registration conflict panic at start-up.

## Bad

```proto
// before
option go_package = "github.com/acme/api/gen/user/v1;userv1";
// after
option go_package = "github.com/acme/api/gen/users/v1;usersv1";
```

## Good

```proto
option go_package = "github.com/acme/api/gen/user/v1;userv1";  // unchanged
```

## How to evolve safely

Keep `go_package` stable for the life of a package. If the Go layout has to
change, use managed mode (`buf generate` with `go_package_prefix`) so the
path is set at generation time, or introduce a new package version.
"#,
    check: Check::Breaking(check),
};

/// `option go_package` is field 11 of `FileOptions`: source path `[8, 11]`.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_option(cx, sink, "go_package", 11, |o| o.go_package().to_owned());
}
