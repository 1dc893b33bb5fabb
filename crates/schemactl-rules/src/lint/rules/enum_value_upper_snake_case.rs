use crate::lint::naming::{Case, require_case};
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_VALUE_UPPER_SNAKE_CASE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Enum value names are UPPER_SNAKE_CASE.",
    doc: r#"## What it catches

An enum value whose name is not `UPPER_SNAKE_CASE`: lower-case letters
(`Active`, `STATUS_active`), leading or trailing underscores, or doubled
underscores (`STATUS__ACTIVE`). Digits may follow letters directly
(`HTTP2_ENABLED`).

## Why it matters

Enum value names are what JSON carries: `{"status": "STATUS_ACTIVE"}`. The
Protobuf style guide and every generator assume `UPPER_SNAKE_CASE`; C++ and
Python expose the values as constants, where other spellings read as types
or variables, and mixed conventions make JSON payloads inconsistent.

## Bad

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  Status_Active = 1;
  STATUS__DELETED = 2;
}
```

## Good

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_ACTIVE = 1;
  STATUS_DELETED = 2;
}
```

## How to evolve safely

The binary wire format carries only numbers, but JSON carries names: a
renamed value is unreadable by peers that still use the old name
(`ENUM_VALUE_SAME_NAME` under `breaking`). Add the new name as an alias
(`option allow_alias = true;` with the same number), move readers and
writers to it, then reserve the old name.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for e in walk::enums(&cx.file) {
        for value in e.values() {
            let name = value.name();
            require_case(cx, sink, value.path(), "Enum value", name, Case::UpperSnake);
        }
    }
}
