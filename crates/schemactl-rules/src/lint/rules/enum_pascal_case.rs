use crate::lint::naming::{Case, require_case};
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_PASCAL_CASE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Enum names are PascalCase.",
    doc: r#"## What it catches

An enum, top-level or nested in a message, whose name is not `PascalCase`:
`status_code`, `statusCode` or `Status_Code`. Runs of capitals are accepted
(`HTTPStatus`), as Buf accepts them.

## Why it matters

Enum names become type names in every generated language. Go, Java, C#,
Swift and TypeScript generators all expect `PascalCase`; other spellings are
mangled differently by each of them (`Status_Code` becomes `Status_Code` in
Java but `StatusCode` in C#), so the same enum ends up with different names
across clients.

## Bad

```proto
enum status_code {
  STATUS_CODE_UNSPECIFIED = 0;
}
```

## Good

```proto
enum StatusCode {
  STATUS_CODE_UNSPECIFIED = 0;
}
```

## How to evolve safely

The enum name is not on the wire (values are numbers), and JSON carries only
value names, so renaming an enum does not change payloads. It does change
its full name, which breaks generated code and any reference from other
files (`ENUM_NO_DELETE` under `breaking`): rename in a new major version of
the package, or together with every consumer.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for e in walk::enums(&cx.file) {
        require_case(cx, sink, e.path(), "Enum", e.name(), Case::Pascal);
    }
}
