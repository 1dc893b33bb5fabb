use std::collections::{BTreeMap, BTreeSet};

use crate::lint::packages::dir;
use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk::tag;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "DIRECTORY_SAME_PACKAGE",
    kind: RuleKind::Lint,
    categories: &[Category::Minimal, Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "All files in a directory declare the same package.",
    doc: r#"## What it catches

Files in the same directory (relative to the module root) that declare
different packages. A file without a package counts as a package of its
own, so a directory mixing a packaged file and an unpackaged one is
reported too. Every file of the directory is reported, at its `package`
statement (or at the file when it has none).

## Why it matters

Most generators map a directory to one output package (a Go package, a
Python module). Mixing packages in a directory makes generated code collide
or split unpredictably, and makes it hard to find where a type lives.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
// acme/billing/v1/refund.proto
package acme.refunds.v1;
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
// acme/billing/v1/refund.proto
package acme.billing.v1;
```

## How to evolve safely

Move the file into a directory that matches its package (see
`PACKAGE_DIRECTORY_MATCH`); moving a file between directories does not change
the wire format, but it changes import paths for everyone who imports it.
"#,
    check: Check::Module(check),
};

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    let mut by_dir: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (file, _) in &cx.files {
        let name = file.name();
        by_dir
            .entry(dir(name))
            .or_default()
            .push((name, file.package_name()));
    }
    for (dir, files) in by_dir {
        // Sorted and deduplicated; a file without a package counts as the
        // package "" and is named separately in the message, as Buf does.
        let packages: BTreeSet<&str> = files.iter().map(|(_, p)| *p).collect();
        if packages.len() < 2 {
            continue;
        }
        let named: Vec<&str> = packages.iter().copied().filter(|p| !p.is_empty()).collect();
        let list = named.join(",");
        let prefix = match (packages.contains(""), named.len()) {
            (true, 1) => format!("Package \"{list}\" and file with no package"),
            (true, _) => format!("Multiple packages \"{list}\" and file with no package"),
            (false, _) => format!("Multiple packages \"{list}\""),
        };
        for (name, _) in files {
            // A file without a package statement has no location to point
            // at; Buf then reports the file itself.
            sink.report(
                name,
                &[tag::PACKAGE],
                &[tag::PACKAGE],
                format!("{prefix} detected within directory \"{dir}\"."),
            );
        }
    }
}
