use std::collections::{BTreeMap, BTreeSet};

use prost_reflect::FileDescriptor;

use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk::tag;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_SAME_DIRECTORY",
    kind: RuleKind::Lint,
    categories: &[Category::Minimal, Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "All files of a package are in one directory.",
    doc: r#"## What it catches

Files that declare the same package but sit in different directories.
Files without a package count as one package, so files without a package
in two directories are reported as well.

## Why it matters

Generators that map a directory to an output unit (a Go package, a Python
module) split one Protobuf package into several generated packages, so a
type moves between generated packages depending on the file it happens to be
in, and references between them may not compile. Readers also expect to
find a whole package in one place.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
// acme/billing/invoice_v1/refund.proto
package acme.billing.v1;
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
// acme/billing/v1/refund.proto
package acme.billing.v1;
```

## How to evolve safely

Move the stray files into the package's directory. Types keep their full
names, so the wire format and JSON do not change; import paths do, so update
every importer in the same change (or leave an `import public` shim at the
old path for a release).
"#,
    check: Check::Module(check),
};

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    for (package, files) in by_package(cx) {
        let dirs: BTreeSet<&str> = files.iter().map(|f| dir(f.name())).collect();
        if dirs.len() < 2 {
            continue;
        }
        let list = dirs.into_iter().collect::<Vec<_>>().join(",");
        for file in &files {
            sink.report(
                file.name(),
                &[tag::PACKAGE],
                &[tag::PACKAGE],
                format!(
                    "Multiple directories \"{list}\" contain files with package \"{package}\"."
                ),
            );
        }
    }
}

/// The module's files grouped by package (`""` for files without one), in
/// file order.
pub(super) fn by_package<'a>(cx: &'a ModuleCx<'_>) -> BTreeMap<&'a str, Vec<&'a FileDescriptor>> {
    let mut out: BTreeMap<&str, Vec<&FileDescriptor>> = BTreeMap::new();
    for (file, _) in &cx.files {
        out.entry(file.package_name()).or_default().push(file);
    }
    out
}

/// The directory of a file path, `.` at the root.
fn dir(name: &str) -> &str {
    name.rfind('/').map_or(".", |i| &name[..i])
}

/// The shared check of the `PACKAGE_SAME_<OPTION>` rules: within each
/// package, every file sets the file option `option` (field `number` of
/// `FileOptions`) to the same value, where `value` returns `None` or `""`
/// for a file that does not set it. Findings point at the option, or at the
/// file when it has none.
pub(super) fn check_same_file_option(
    cx: &ModuleCx<'_>,
    sink: &mut Sink,
    option: &str,
    number: i32,
    value: fn(&prost_types::FileOptions) -> Option<String>,
) {
    for (package, files) in by_package(cx) {
        let values: Vec<String> = files
            .iter()
            .map(|f| {
                f.file_descriptor_proto()
                    .options
                    .as_ref()
                    .and_then(value)
                    .unwrap_or_default()
            })
            .collect();
        let distinct: BTreeSet<&str> = values.iter().map(String::as_str).collect();
        if distinct.len() < 2 {
            continue;
        }
        let unset = distinct.contains("");
        let list = distinct
            .iter()
            .copied()
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join(",");
        let message = if unset {
            format!(
                "Files in package \"{package}\" have both values \"{list}\" and no value for \
                 option \"{option}\" and all values must be equal."
            )
        } else {
            format!(
                "Files in package \"{package}\" have multiple values \"{list}\" for option \
                 \"{option}\" and all values must be equal."
            )
        };
        let path = [tag::OPTIONS, number];
        for file in files {
            sink.report(file.name(), &path, &path, message.clone());
        }
    }
}
