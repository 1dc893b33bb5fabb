use crate::lint::comments::require_doc_comment;
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "COMMENT_ONEOF",
    kind: RuleKind::Lint,
    categories: &[Category::Comments],
    v1_categories: None,
    v1_exists: true,
    summary: "Every oneof has a leading documentation comment.",
    doc: r#"## What it catches

A `oneof` with no leading comment, or whose leading comment holds only blank
lines and `buf:lint:ignore` directives. The hidden oneofs that proto3
`optional` fields create are skipped.

## Why it matters

A oneof is a choice, and readers need to know what the choice is about and
what it means when no member is set. Generators turn oneofs into sum types
(Rust enums, Go interfaces, TypeScript unions) that carry the comment.

## Bad

```proto
// How a customer pays.
message PaymentMethod {
  oneof method {
    Card card = 1;
    BankAccount bank_account = 2;
  }
}
```

## Good

```proto
// How a customer pays.
message PaymentMethod {
  // The instrument charged; unset for invoices paid by transfer.
  oneof method {
    Card card = 1;
    BankAccount bank_account = 2;
  }
}
```

## How to evolve safely

Comments do not affect the wire format, JSON or generated APIs: adding them
is always safe.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for oneof in walk::oneofs(&cx.file) {
        require_doc_comment(cx, sink, oneof.path(), "Oneof", oneof.name());
    }
}
