use crate::features::{Presence, presence};
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk::{self, tag};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_NOT_REQUIRED",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: Some(&[]),
    v1_exists: false,
    summary: "Fields are not `required`.",
    doc: r#"## What it catches

A proto2 `required` field, or an editions field with
`features.field_presence = LEGACY_REQUIRED` (in any message, nested and
group messages included). The rule exists only with a `version: v2` `buf.yaml`: Buf v1
configurations, and inputs without any configuration, do not have it.

## Why it matters

A required field can never be removed or made optional again: every reader
built with the old schema rejects messages without it, so the field is
stuck for the lifetime of the data (Kafka topics, stored blobs). Parsers
fail the whole message when it is missing, which turns one absent value into
an outage. Proto3 dropped `required` for these reasons.

## Bad

```proto
syntax = "proto2";

message Payment {
  required string id = 1;
}
```

## Good

```proto
syntax = "proto2";

message Payment {
  // Always set by producers; validated by the service.
  optional string id = 1;
}
```

## How to evolve safely

Turning `required` into `optional` is itself a breaking change for old
readers (`FIELD_SAME_LABEL`): they reject messages without the field. First
make sure every producer keeps setting it, upgrade all readers to the
`optional` schema, and only then let producers omit it.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for message in walk::messages(&cx.file) {
        for field in message.fields() {
            // The resolved presence: `required` or editions'
            // `LEGACY_REQUIRED`.
            if presence((&field).into()) == Presence::LegacyRequired {
                let path = field.path();
                sink.report(
                    cx.file.name(),
                    path,
                    &walk::join(path, &[tag::NAME]),
                    format!("Field named \"{}\" should not be required.", field.name()),
                );
            }
        }
    }
}
