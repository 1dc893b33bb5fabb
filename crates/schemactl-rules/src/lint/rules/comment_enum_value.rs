use crate::lint::comments::require_doc_comment;
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk::{self, tag};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "COMMENT_ENUM_VALUE",
    kind: RuleKind::Lint,
    categories: &[Category::Comments],
    v1_categories: None,
    v1_exists: true,
    summary: "Every enum value has a leading documentation comment.",
    doc: r#"## What it catches

An enum value with no leading comment, or whose leading comment holds only
blank lines and `buf:lint:ignore` directives. A trailing comment on the same
line (`FOO = 1; // ...`) does not count.

## Why it matters

Generators copy a value's leading comment onto the generated constant. Enum
values are where meaning hides (`STATUS_HELD`: held by whom, until when?);
without a comment, producers and consumers interpret them differently, which
is a data bug no compatibility check can catch.

## Bad

```proto
// The state of a payment.
enum PaymentState {
  PAYMENT_STATE_UNSPECIFIED = 0;
  PAYMENT_STATE_HELD = 1; // held
}
```

## Good

```proto
// The state of a payment.
enum PaymentState {
  // Not set; never written by producers.
  PAYMENT_STATE_UNSPECIFIED = 0;
  // Authorised but not captured; released after 7 days.
  PAYMENT_STATE_HELD = 1;
}
```

## How to evolve safely

Comments do not affect the wire format, JSON or generated APIs: adding them
is always safe. Move trailing comments above the value.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for e in walk::enums(&cx.file) {
        // Declaration order, as written (the descriptor API sorts by number).
        for (i, value) in e.enum_descriptor_proto().value.iter().enumerate() {
            let Ok(i) = i32::try_from(i) else { break };
            let path = walk::join(e.path(), &[tag::ENUM_VALUE, i]);
            require_doc_comment(cx, sink, &path, "Enum value", value.name());
        }
    }
}
