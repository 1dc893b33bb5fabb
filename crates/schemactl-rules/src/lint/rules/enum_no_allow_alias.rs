use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk;

/// `options` in `EnumDescriptorProto`, then `allow_alias` in `EnumOptions`.
const ALLOW_ALIAS: [i32; 2] = [3, 2];

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_NO_ALLOW_ALIAS",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Enums do not set `allow_alias`.",
    doc: r#"## What it catches

An enum with `option allow_alias = true;`, which lets two value names share
one number. (`option allow_alias = false;` does not compile: protoc refuses
it as having no effect.)

## Why it matters

On the wire only the number travels, so aliased names are indistinguishable
to a reader: a value written as `STATUS_DONE` may come back as
`STATUS_COMPLETED`. The JSON encoding uses names, and which alias it prints
depends on the language's implementation, so JSON round trips and string
comparisons break. Several generators (and `switch` exhaustiveness checks)
handle duplicate numbers poorly, and renaming a value through an alias makes
the old name live forever.

## Bad

```proto
enum Status {
  option allow_alias = true;
  STATUS_UNSPECIFIED = 0;
  STATUS_DONE = 1;
  STATUS_COMPLETED = 1;
}
```

## Good

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_COMPLETED = 1;
  reserved "STATUS_DONE";
}
```

## How to evolve safely

Removing an alias name breaks JSON readers that still send it and generated
code that references it. Move producers and consumers to the one name you
keep, then delete the alias, reserve its name, and drop the option.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for e in walk::enums(&cx.file) {
        let allows_alias = e
            .enum_descriptor_proto()
            .options
            .as_ref()
            .is_some_and(|o| o.allow_alias());
        if allows_alias {
            sink.report(
                cx.file.name(),
                e.path(),
                &walk::join(e.path(), &ALLOW_ALIAS),
                format!(
                    "Enum option \"allow_alias\" on enum \"{}\" must be false.",
                    e.name()
                ),
            );
        }
    }
}
