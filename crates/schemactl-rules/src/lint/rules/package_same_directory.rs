use std::collections::BTreeSet;

use crate::lint::packages::{by_package, dir};
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
