use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::naming::to_upper_snake_case;
use schemactl_compile::walk::{self, tag};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_VALUE_PREFIX",
    kind: RuleKind::Lint,
    categories: &[Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Enum value names start with the enum's name in UPPER_SNAKE_CASE.",
    doc: r#"## What it catches

An enum value whose name does not start with the enum's name converted to
`UPPER_SNAKE_CASE` plus `_`: in `enum PaymentState`, every value must start
with `PAYMENT_STATE_`. Capital runs split as in `UPPER_SNAKE_CASE`
(`HTTPStatus` gives `HTTP_STATUS_`).

## Why it matters

Protobuf enums follow C++ scoping: value names are siblings of the enum, not
children of it, so two enums in one package cannot both have an `UNKNOWN` or
`ACTIVE` value; the second definition fails to compile, possibly long after
the first was published. Prefixing every value with its enum's name avoids
the clash and keeps values readable in JSON, logs and generated constants.

## Bad

```proto
enum PaymentState {
  UNSPECIFIED = 0;
  SETTLED = 1;
}
```

## Good

```proto
enum PaymentState {
  PAYMENT_STATE_UNSPECIFIED = 0;
  PAYMENT_STATE_SETTLED = 1;
}
```

## How to evolve safely

Numbers are what the binary wire carries, but JSON carries value names, so
renaming a value breaks JSON peers (`ENUM_VALUE_SAME_NAME` under `breaking`).
Add the prefixed name as an alias with the same number
(`option allow_alias = true;`), switch writers to it once all readers know
it, then reserve the old name.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for e in walk::enums(&cx.file) {
        let prefix = format!("{}_", to_upper_snake_case(e.name()));
        for value in e.values() {
            let name = value.name();
            if !name.starts_with(&prefix) {
                let path = value.path();
                sink.report(
                    cx.file.name(),
                    path,
                    &walk::join(path, &[tag::NAME]),
                    format!("Enum value name \"{name}\" should be prefixed with \"{prefix}\"."),
                );
            }
        }
    }
}
