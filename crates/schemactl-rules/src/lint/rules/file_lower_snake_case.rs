use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::naming::to_lower_snake_case;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_LOWER_SNAKE_CASE",
    kind: RuleKind::Lint,
    categories: &[Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "File names are lower_snake_case.",
    doc: r#"## What it catches

A `.proto` file whose name (without its extension) is not
`lower_snake_case`: `InvoiceService.proto`, `invoice-service.proto`,
`invoice.service.proto`. Only the file name is checked; directories are
covered by `PACKAGE_LOWER_SNAKE_CASE` and `PACKAGE_DIRECTORY_MATCH`.

## Why it matters

Generated files are named after the `.proto` file (`invoice_service.pb.go`,
`invoice_service_pb2.py`). Python cannot import a module whose name contains
`-` or `.`, and mixed case collides on case-insensitive file systems (macOS,
Windows), where `Invoice.proto` and `invoice.proto` are the same file.

## Bad

```text
acme/billing/v1/InvoiceService.proto
acme/billing/v1/invoice-service.proto
```

## Good

```text
acme/billing/v1/invoice_service.proto
```

## How to evolve safely

A file's name is not on the wire, but it is its import path: renaming it
breaks every file that imports it, and generated code that imports the
generated counterpart (`FILE_NO_DELETE` under `breaking`). Move the
definitions to the new file in one change together with all importers, or
keep the old file as a thin `import public` shim for a release.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let path = cx.file.name();
    let base = path.rsplit('/').next().unwrap_or(path);
    // Like Go's `filepath.Ext`: from the last dot of the base name.
    let (stem, ext) = base.rfind('.').map_or((base, ""), |i| base.split_at(i));
    let expected = to_lower_snake_case(stem);
    if stem != expected {
        // Buf reports this on the file itself, with no position in it.
        sink.report(
            path,
            &[],
            &[],
            format!(
                "Filename \"{base}\" should be lower_snake_case{ext}, such as \"{expected}{ext}\"."
            ),
        );
    }
}
