use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "Packages are not deleted.",
    doc: r#"## What it catches

A package that had at least one file before and has none now: every file of
it was deleted, or moved to another package (a version bump from `foo.v1` to
`foo.v2` without keeping `foo.v1`). The finding has no place in the current
files, so it is reported without a path, at 1:1.

## Why it matters

Every fully qualified name in the package (`foo.v1.User`) disappears at once:
generated code for the whole package is gone, `Any` payloads and gRPC routes
(`/foo.v1.UserService/GetUser`) that name it stop resolving, and every
consumer schema importing it stops compiling.

## Bad

```proto
// before: foo/v1/user.proto with `package foo.v1;`
// after: only foo/v2/user.proto with `package foo.v2;`
```

## Good

```proto
// keep foo/v1/*.proto (deprecated) next to the new foo/v2/*.proto until
// every consumer has moved
```

## How to evolve safely

Publish the new version as a new package beside the old one, migrate
consumers, and delete the old package only when nothing uses it (with
`ignore_unstable_packages`, alpha and beta packages may be dropped freely).
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for package in cx.deleted_packages() {
        sink.report_unlocated(format!(
            "Previously present package \"{package}\" was deleted."
        ));
    }
}
