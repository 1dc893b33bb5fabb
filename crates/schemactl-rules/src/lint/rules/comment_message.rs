use crate::lint::comments::require_doc_comment;
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "COMMENT_MESSAGE",
    kind: RuleKind::Lint,
    categories: &[Category::Comments],
    v1_categories: None,
    v1_exists: true,
    summary: "Every message, nested ones included, has a leading documentation comment.",
    doc: r#"## What it catches

A message (top-level or nested) with no leading comment, or whose leading
comment holds only blank lines and `buf:lint:ignore` directives. Trailing
comments (`message Foo {} // ...`) do not count. The entry messages that
`map<K, V>` fields generate are skipped: they have no source to comment.

## Why it matters

Leading comments are copied into generated code (Go doc comments, Javadoc,
TypeScript JSDoc) and into schema registries and API references. A message
without one is a type every consumer has to reverse-engineer from its fields.
Trailing comments are not carried into most generated code, which is why
only leading comments count.

## Bad

```proto
message Invoice {
  string id = 1;
}
```

## Good

```proto
// An invoice sent to a customer for one billing period.
message Invoice {
  string id = 1;
}
```

## How to evolve safely

Comments never change the wire format, JSON or generated APIs: adding them is
always safe. Enable the `COMMENTS` category once, then fix the findings in
one change or list the old files under `ignore_only` and shrink it over time.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for message in walk::messages(&cx.file) {
        require_doc_comment(cx, sink, message.path(), "Message", message.name());
    }
}
