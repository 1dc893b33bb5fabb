use crate::lint::naming::{Case, require_case};
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "MESSAGE_PASCAL_CASE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Message names are PascalCase.",
    doc: r#"## What it catches

A message whose name is not `PascalCase` (starts with an upper-case letter,
no underscores), such as `user_created` or `userCreated`.

## Why it matters

Every code generator turns message names into type names. Generators for Go,
Java, C#, Swift and TypeScript expect `PascalCase` and mangle anything else
differently, so a schema that does not follow the convention produces types
whose names differ between languages and surprise readers.

## Bad

```proto
message user_created {}
```

## Good

```proto
message UserCreated {}
```

## How to evolve safely

Renaming a message changes its full name, which breaks JSON `Any` payloads
and generated code (`MESSAGE_NO_DELETE` under `breaking`): add the new message
beside the old one, move producers over, then delete the old one in a major
version.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for message in walk::messages(&cx.file) {
        require_case(
            cx,
            sink,
            message.path(),
            "Message",
            message.name(),
            Case::Pascal,
        );
    }
}
