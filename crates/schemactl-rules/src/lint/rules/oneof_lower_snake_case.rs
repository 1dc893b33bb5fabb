use crate::lint::naming::{Case, require_case};
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ONEOF_LOWER_SNAKE_CASE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Oneof names are lower_snake_case.",
    doc: r#"## What it catches

A `oneof` whose name is not `lower_snake_case` (`paymentMethod`,
`Payment_Method`, `payment__method`). The hidden oneofs the compiler makes
for proto3 `optional` fields are not checked: their names come from the
field.

## Why it matters

Generators name the oneof's case enum and accessors after it: `payment_method`
becomes `PaymentMethodCase` and `getPaymentMethodCase()` in Java, the
`isUser_PaymentMethod` interface in Go, `paymentMethod` in TypeScript. Those
conversions assume `lower_snake_case`; other spellings give names that differ
per language or collide with field accessors.

## Bad

```proto
message Payment {
  oneof PaymentMethod {
    string card = 1;
    string iban = 2;
  }
}
```

## Good

```proto
message Payment {
  oneof payment_method {
    string card = 1;
    string iban = 2;
  }
}
```

## How to evolve safely

A oneof's name is on neither the binary wire nor JSON, only in generated
code, so renaming it breaks code that switches on the case (`breaking`
reports it as `ONEOF_NO_DELETE`). Rename it together with its consumers, or
in a new major version if the package is published.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for oneof in walk::oneofs(&cx.file) {
        require_case(
            cx,
            sink,
            oneof.path(),
            "Oneof",
            oneof.name(),
            Case::LowerSnake,
        );
    }
}
