use prost_reflect::{FieldDescriptor, MessageDescriptor};

use crate::breaking::pair::MapEntries;
use crate::breaking::{BreakingSink, PairCx};
use crate::features::has_required_label;
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "MESSAGE_SAME_REQUIRED_FIELDS",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_AND_UP,
    v1_categories: Some(Category::WIRE_AND_UP_V1),
    v1_exists: true,
    summary: "Messages neither gain nor lose required fields.",
    doc: r#"## What it catches

A proto2 message that gained a `required` field, or lost one (deleted, or
made optional or repeated). Fields are matched by number. As in Buf, only
the `required` label counts: an editions field with
`features.field_presence = LEGACY_REQUIRED` does not, so a proto2 → editions
migration reports the required fields as deleted (the cardinality rules
see them as still required).

## Why it matters

A parser rejects a message that lacks a required field it knows about. If
the new schema adds a required field, messages from old writers fail to
parse in new readers; if it drops one, new writers stop sending it and old
readers reject their messages. Either way the failure is at runtime, on the
whole message, not just the field.

## Bad

```proto
message Order {
  required string id = 1;
  required string customer_id = 2;   // added
}
```

## Good

```proto
message Order {
  required string id = 1;
  optional string customer_id = 2;   // new fields are optional
}
```

## How to evolve safely

Never add or remove `required`. Add new fields as `optional` and enforce
presence in application code; keep existing required fields for the life of
the message.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    let text = |message: &str, number: u32, change: &str| {
        format!(
            "Message \"{message}\" had required field \"{number}\" {change}. Required fields must always be sent, so if one side does not know about the required field, this will result in a breakage."
        )
    };
    // The `required` label, as Buf reads it: an editions `LEGACY_REQUIRED`
    // field does not count (see `has_required_label`).
    let is_required = |f: &FieldDescriptor| has_required_label(f.into());
    let required =
        |m: &MessageDescriptor, number: u32| m.get_field(number).is_some_and(|f| is_required(&f));
    for (previous, current) in cx.message_pairs(MapEntries::Exclude) {
        for field in previous.fields().filter(is_required) {
            if !required(&current, field.number()) {
                sink.report_on(&current, text(previous.name(), field.number(), "deleted"));
            }
        }
        for field in current.fields().filter(is_required) {
            if !required(&previous, field.number()) {
                sink.report_on(&field, text(current.name(), field.number(), "added"));
            }
        }
    }
}
