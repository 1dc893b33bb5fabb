use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{RuleKind, RuleSpec};
use schemactl_compile::walk;
use schemactl_compile::walk::tag;

/// Buf v1beta1 only: its categories there are in [`crate::v1beta1`]; v1
/// and v2 configurations do not have the rule.
pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_NO_DESCRIPTOR",
    kind: RuleKind::Lint,
    categories: &[],
    v1_categories: Some(&[]),
    v1_exists: false,
    summary: "Field names are not `descriptor` in any capitalization, with any underscores around it (Buf v1beta1 only).",
    doc: r#"## What it catches

A field or an extension field (top-level or nested in a message) named
`descriptor` in any capitalization and with any number of leading or
trailing underscores: `descriptor`, `Descriptor`, `_descriptor`,
`descriptor__`.

The rule exists only under a `buf.yaml` with `version: v1beta1`, where it is
in `MINIMAL`, `BASIC`, `STANDARD` and `SENSIBLE`, so on by default.

## Why it matters

Some generators add a `descriptor` member of their own to every generated
message (older Python and Ruby code did), and a field of the same name, once
the generator has turned it into an identifier, collides with it.

## Bad

```proto
message Schema {
  string descriptor = 1;
}
```

## Good

```proto
message Schema {
  string schema_descriptor = 1;
}
```

## How to evolve safely

Add a field with another name and a new number, write both during a
transition, then reserve the old number and name.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let fields = walk::fields_and_extensions(&cx.file);
    for (name, path) in fields {
        if name.trim_matches('_').eq_ignore_ascii_case("descriptor") {
            sink.report(
                cx.file.name(),
                &path,
                &walk::join(&path, &[tag::NAME]),
                format!(
                    "Field name \"{name}\" cannot be any capitalization of \"descriptor\" with any number of prefix or suffix underscores."
                ),
            );
        }
    }
}
