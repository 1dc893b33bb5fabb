use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk::tag;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_DIRECTORY_MATCH",
    kind: RuleKind::Lint,
    categories: &[Category::Minimal, Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "A file's directory, relative to the module root, spells its package.",
    doc: r#"## What it catches

A file whose directory (relative to the module root) is not its package
with `.` replaced by `/`: a file with `package acme.billing.v1;` must be in
`acme/billing/v1/`. Files without a package are left to `PACKAGE_DEFINED`.

## Why it matters

Import paths and package names are two namespaces that readers, tools and
generators (Go import paths, Python modules, Java directories) expect to
line up. When they drift apart, nobody can tell from an import where a type
lives or from a type where to import it, and two files can claim the same
package from unrelated places.

## Bad

```proto
// billing/invoice.proto
syntax = "proto3";

package acme.billing.v1;
```

## Good

```proto
// acme/billing/v1/invoice.proto
syntax = "proto3";

package acme.billing.v1;
```

## How to evolve safely

Moving a file does not change the wire format or JSON, but it changes its
import path, so every importer has to be updated in the same change
(`FILE_NO_DELETE` under `breaking` reports the old path as deleted). For
published modules, leave a file at the old path that only does
`import public "<new path>";` for a release.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let package = cx.file.package_name();
    if package.is_empty() {
        return;
    }
    let expected = package.replace('.', "/");
    let name = cx.file.name();
    let dir = name.rfind('/').map_or(".", |i| &name[..i]);
    if dir != expected {
        sink.report(
            name,
            &[tag::PACKAGE],
            &[tag::PACKAGE],
            format!(
                "Files with package \"{package}\" must be within a directory \"{expected}\" \
                 relative to root but were in directory \"{dir}\"."
            ),
        );
    }
}
