use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "IMPORT_NO_PUBLIC",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "No `import public`.",
    doc: r#"## What it catches

An `import public "...";` statement.

## Why it matters

`import public` makes everything the imported file defines visible to every
file that imports this one, so dependencies stop being written where they
are used. Several generators do not support it at all or support it
differently (Go generates aliases for the re-exported types, others ignore
it), so code that compiles in one language fails in another, and removing
the public import later breaks importers that relied on it without knowing.

## Bad

```proto
import public "acme/common/v1/money.proto";
```

## Good

```proto
import "acme/common/v1/money.proto";
```

## How to evolve safely

Replace the public import with a plain import and add a direct import of the
re-exported file to every file that uses its types. Nothing changes on the
wire or in JSON; only import lists and generated imports change. If the
public import is a shim left behind after moving a file, keep it until
importers have switched to the new path, with an ignore comment explaining
why.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let proto = cx.file.file_descriptor_proto();
    for &index in &proto.public_dependency {
        let Some((index, import)) = usize::try_from(index)
            .ok()
            .and_then(|i| Some((i, proto.dependency.get(i)?)))
        else {
            continue;
        };
        sink.report_import(
            cx.file.name(),
            index,
            format!("Import \"{import}\" must not be public."),
        );
    }
}
