use crate::lint::comments::require_doc_comment;
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "COMMENT_ENUM",
    kind: RuleKind::Lint,
    categories: &[Category::Comments],
    v1_categories: None,
    v1_exists: true,
    summary: "Every enum, nested ones included, has a leading documentation comment.",
    doc: r#"## What it catches

An enum (top-level or nested in a message) with no leading comment, or whose
leading comment holds only blank lines and `buf:lint:ignore` directives.
Trailing comments do not count.

## Why it matters

Generators copy an enum's leading comment onto the generated type. An enum
without one leaves every consumer guessing what the set of values means and
which value to use when none applies.

## Bad

```proto
enum Currency {
  CURRENCY_UNSPECIFIED = 0;
  CURRENCY_EUR = 1;
}
```

## Good

```proto
// An ISO 4217 currency accepted for payment.
enum Currency {
  CURRENCY_UNSPECIFIED = 0;
  CURRENCY_EUR = 1;
}
```

## How to evolve safely

Comments do not affect the wire format, JSON or generated APIs: adding them
is always safe.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for e in walk::enums(&cx.file) {
        require_doc_comment(cx, sink, e.path(), "Enum", e.name());
    }
}
