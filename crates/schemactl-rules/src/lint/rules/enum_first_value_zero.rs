use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk::{self, tag};

/// `number` in `EnumValueDescriptorProto`.
const VALUE_NUMBER: i32 = 2;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_FIRST_VALUE_ZERO",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "The first value declared in an enum is 0.",
    doc: r#"## What it catches

An enum whose first declared value is not numbered `0`. Proto3 already
requires this, so in practice the rule catches proto2 enums (and closed
enums), such as `enum Level { LEVEL_LOW = 1; LEVEL_HIGH = 2; }`.

## Why it matters

The first declared value is the enum's default: it is what a reader sees
when the field is absent on the wire. When that default is a meaningful
value (`LEVEL_LOW = 1`), an unset field cannot be told apart from a
deliberate choice, and proto2 readers fall back to it for unknown numbers
too. A zero "unspecified" value first makes absence explicit, and it keeps
the enum usable if the file later moves to proto3 or editions with open
enums, where `0` must come first.

## Bad

```proto
syntax = "proto2";

enum Level {
  LEVEL_LOW = 1;
  LEVEL_HIGH = 2;
}
```

## Good

```proto
syntax = "proto2";

enum Level {
  LEVEL_UNSPECIFIED = 0;
  LEVEL_LOW = 1;
  LEVEL_HIGH = 2;
}
```

## How to evolve safely

Adding a new zero value *first* changes the enum's default: readers that see
the field unset now get `LEVEL_UNSPECIFIED` instead of `LEVEL_LOW`. Before
adding it, make sure producers always set the field explicitly, and update
consumers to treat the new zero value as "not set".
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for e in walk::enums(&cx.file) {
        // The first value as declared, not the lowest number.
        let Some(first) = e.enum_descriptor_proto().value.first() else {
            continue;
        };
        if first.number() != 0 {
            let path = walk::join(e.path(), &[tag::ENUM_VALUE, 0]);
            sink.report(
                cx.file.name(),
                &path,
                &walk::join(&path, &[VALUE_NUMBER]),
                format!(
                    "First enum value \"{}\" should have a numeric value of 0",
                    first.name()
                ),
            );
        }
    }
}
