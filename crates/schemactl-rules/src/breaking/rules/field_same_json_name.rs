use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_JSON_NAME",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_JSON_AND_UP,
    v1_categories: Some(Category::WIRE_JSON_AND_UP_V1),
    v1_exists: true,
    summary: "A field keeps its JSON name, whether explicit or derived from the field name.",
    doc: r#"## What it catches

A message field whose effective JSON name changed: the `json_name` option
was added, removed or edited, or the field was renamed so that the derived
camelCase name changed (`user_id` is `userId`). Extensions are not checked:
their JSON name is always their bracketed full name.

## Why it matters

Protobuf JSON writers use the JSON name as the object key. Readers accept
the JSON name and the original field name, so a new JSON name makes new
writers produce keys that old readers reject or silently ignore, and JSON
already stored under the old key is dropped by new readers.

## Bad

```proto
message User {
  string user_id = 1;                          // before: "userId"
  string user_id = 1 [json_name = "uid"];      // after:  "uid"
}
```

## Good

```proto
message User {
  string user_id = 1;   // JSON name left as it was
}
```

## How to evolve safely

Treat the JSON name as part of the contract: to change it, add a new field
with the new name and number, migrate JSON producers and consumers, then
retire the old field.
"#,
    check: Check::Breaking(check),
};

/// `json_name` in `FieldDescriptorProto`.
const JSON_NAME: i32 = 10;

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current, before, after) in cx.changed_fields(|f| f.json_name().to_owned()) {
        if previous.is_extension() {
            continue;
        }
        current.report(
            sink,
            &current.sub_path(&[JSON_NAME]),
            format!(
                "{} changed option \"json_name\" from \"{before}\" to \"{after}\".",
                current.description(),
            ),
        );
    }
}
