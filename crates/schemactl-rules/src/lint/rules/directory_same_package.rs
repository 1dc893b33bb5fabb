use std::collections::BTreeMap;

use crate::lint::visit::tag;
use crate::lint::{LintCheck, ModuleCx, Sink};
use crate::registry::{RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "DIRECTORY_SAME_PACKAGE",
    kind: RuleKind::Lint,
    categories: &["MINIMAL", "BASIC", "STANDARD"],
    v1_categories: None,
    v1_exists: true,
    summary: "All files in a directory declare the same package.",
    doc: r#"## What it catches

Two files in the same directory that declare different packages.

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
    check: LintCheck::Module(check),
};

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    let mut by_dir: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (file, _) in &cx.files {
        let name = file.name();
        let dir = name.rfind('/').map_or(".", |i| &name[..i]);
        by_dir
            .entry(dir)
            .or_default()
            .push((name, file.package_name()));
    }
    for (dir, files) in by_dir {
        let mut packages: Vec<&str> = files.iter().map(|(_, p)| *p).collect();
        packages.sort_unstable();
        packages.dedup();
        if packages.len() < 2 {
            continue;
        }
        let list = packages
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(",");
        for (name, _) in files {
            sink.report(
                name,
                &[tag::PACKAGE],
                &[tag::PACKAGE],
                format!(
                    "Multiple packages \"{}\" detected within directory \"{dir}\".",
                    list.trim_matches('"').replace("\",\"", ",")
                ),
            );
        }
    }
}
