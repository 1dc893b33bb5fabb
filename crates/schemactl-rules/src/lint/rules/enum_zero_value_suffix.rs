use crate::lint::naming::require_suffix;
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_ZERO_VALUE_SUFFIX",
    kind: RuleKind::Lint,
    categories: &[Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "The zero value of every enum ends with a configurable suffix (`_UNSPECIFIED`).",
    doc: r#"## What it catches

An enum value with number `0` whose name does not end with the configured
suffix, `_UNSPECIFIED` by default: `STATUS_ACTIVE = 0`, `STATUS_UNKNOWN = 0`.
Every value numbered `0` is checked, aliases included.

## Why it matters

Zero is what a reader sees when the field is unset: proto3 does not put a
zero value on the wire at all, so "set to zero" and "never set" look the
same. If zero means something real (`STATUS_ACTIVE`), a client that forgot
to set the field, or an old message without it, reads as "active". A
dedicated, clearly named zero value makes "unspecified" explicit in code,
JSON and logs.

## Bad

```proto
enum Status {
  STATUS_ACTIVE = 0;
  STATUS_DELETED = 1;
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

## Options

`enum_zero_value_suffix` (in the `lint` section of `buf.yaml`) sets the
required suffix; the default is `_UNSPECIFIED`. For example
`enum_zero_value_suffix: _NONE` requires `STATUS_NONE = 0`.

## How to evolve safely

Renumbering values breaks the binary wire, and renaming breaks JSON
(`ENUM_VALUE_SAME_NAME` under `breaking`). For an existing enum, add an alias
with number `0` and the suffixed name (`option allow_alias = true;`), or
leave the enum alone with a `// buf:lint:ignore ENUM_ZERO_VALUE_SUFFIX`
comment and follow the convention in new enums.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let suffix = cx.config.enum_zero_value_suffix.as_str();
    for e in walk::enums(&cx.file) {
        for value in e.values().filter(|v| v.number() == 0) {
            let name = value.name();
            require_suffix(cx, sink, value.path(), "Enum zero value", name, suffix);
        }
    }
}
