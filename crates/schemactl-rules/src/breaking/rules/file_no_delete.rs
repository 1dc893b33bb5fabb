use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Csr],
    v1_categories: Some(&[Category::File]),
    v1_exists: true,
    summary: "Proto files are not deleted or renamed.",
    doc: r#"## What it catches

A `.proto` file of the module that existed before and is gone now, whether it
was deleted, renamed or moved to another directory. The finding has no place
in the current files, so it is reported without a path, at 1:1.

## Why it matters

The wire format does not know about files, but everything built from them
does: generated code is laid out per file (Go packages and import paths,
Java outer classes, Python modules `foo_pb2`), and every `import "x.proto"`
in a consumer's schema stops resolving. Consumers that vendor or depend on
the module fail to build even if no message changed.

## Bad

```proto
// before: billing/v1/invoice.proto
// after: the file was renamed to billing/v1/invoices.proto
```

## Good

```proto
// keep billing/v1/invoice.proto; add new definitions in a new file and
// leave the old one in place (possibly deprecated)
```

## How to evolve safely

Keep the file. If its content has to move, leave the old file in place until
a new major version of the package. When only the package matters to your
consumers (no per-file imports), the `PACKAGE` category allows moving types
between files of the same package.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for previous in cx.deleted_files() {
        sink.report_unlocated(format!(
            "Previously present file \"{}\" was deleted.",
            previous.name()
        ));
    }
}
