use prost_reflect::FileDescriptor;
use prost_types::FileOptions;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_PACKAGE",
    kind: RuleKind::Breaking,
    categories: &[
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Wire,
        Category::Csr,
    ],
    v1_categories: Some(&[
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Wire,
    ]),
    v1_exists: true,
    summary: "A file keeps its package.",
    doc: r#"## What it catches

A file whose `package` statement changed, was added or was removed.

## Why it matters

The package is part of every full name in the file: `acme.user.v1.User`
becomes a different type when the package changes. On the wire the field
numbers still line up, but everything that names types breaks: `Any`
payloads carry the old type URL, gRPC routes requests to
`/acme.user.v1.UserService/...` and returns `UNIMPLEMENTED` once the service
lives under another package, JSON and text-format tooling resolve types by
full name, and generated code moves to another namespace or module, so every
import stops compiling.

## Bad

```proto
// before
package acme.user.v1;
// after
package acme.users.v1;
```

## Good

```proto
// keep the package; put new types in a new versioned package instead
package acme.user.v1;
```

## How to evolve safely

Never rename a package in place. Create the new package (`acme.user.v2`) in
new files next to the old one, migrate producers and consumers, and delete
the old files once nothing uses them (a deliberate `FILE_NO_DELETE` break).
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_value(cx, sink, &[2], "package", |f| f.package_name().to_owned());
}

/// The check shared by the `FILE_SAME_*` rules: compare a per-file value
/// of each previous file with the current file of the same path, and report
/// `File {what} changed from "a" to "b".` at `at` (the statement's source
/// path, such as `[8, 11]` for `option go_package`). When the statement is
/// gone from the current file the path has no span and the finding lands on
/// the whole file at 1:1, as in Buf.
///
/// Values are effective values, so an option set to its default is the same
/// as no option at all (`java_multiple_files = false` is unset).
pub(super) fn check_file_value(
    cx: &PairCx<'_>,
    sink: &mut BreakingSink,
    at: &[i32],
    what: &str,
    value: impl Fn(&FileDescriptor) -> String,
) {
    for (previous, current) in cx.file_pairs() {
        let Some(current) = current else { continue };
        let (before, after) = (value(&previous), value(&current));
        if before != after {
            sink.report(
                current.name(),
                at,
                at,
                format!("File {what} changed from {before:?} to {after:?}."),
            );
        }
    }
}

/// A file option read through `get`, with the option's declared default
/// when the file has no options at all.
pub(super) fn file_option<T>(file: &FileDescriptor, get: impl Fn(&FileOptions) -> T) -> T {
    match &file.file_descriptor_proto().options {
        Some(options) => get(options),
        None => get(&FileOptions::default()),
    }
}
