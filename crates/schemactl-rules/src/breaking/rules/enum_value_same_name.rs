use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_VALUE_SAME_NAME",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_JSON_AND_UP,
    v1_categories: Some(Category::WIRE_JSON_AND_UP_V1),
    v1_exists: true,
    summary: "An enum number keeps every name it had (new aliases may be added).",
    doc: r#"## What it catches

An enum number that still exists but lost a name it had before: the value
was renamed, or, with `allow_alias`, one of its aliases was dropped or
replaced. Adding a new alias to an existing number is allowed.

## Why it matters

The binary form uses numbers and keeps working, but the JSON form and text
format use the value name: new writers produce a name that old readers do
not know and reject, and stored JSON with the old name no longer parses in
new readers. Generated code renames the constant, so callers stop
compiling.

## Bad

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_DONE = 1;       // before
  STATUS_COMPLETE = 1;   // after
}
```

## Good

```proto
enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_DONE = 1 [deprecated = true];
  STATUS_COMPLETE = 2;
}
```

## How to evolve safely

Add the new name as a new value, deprecate the old one, and reserve it when
it is finally removed.
"#,
    check: Check::Breaking(check),
};

/// `number` in `EnumValueDescriptorProto`.
const NUMBER: i32 = 2;

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (current, number, previous_values, current_values) in cx.enum_value_pairs() {
        let mut previous_names: Vec<&str> = previous_values.iter().map(|v| v.name()).collect();
        let mut names: Vec<&str> = current_values.iter().map(|v| v.name()).collect();
        previous_names.sort_unstable();
        names.sort_unstable();
        if previous_names.iter().all(|n| names.contains(n)) {
            continue;
        }
        let plural = if previous_names.len() > 1 && names.len() > 1 {
            "s"
        } else {
            ""
        };
        for value in &current_values {
            let mut at = value.path().to_vec();
            at.push(NUMBER);
            sink.report(
                current.parent_file().name(),
                value.path(),
                &at,
                format!(
                    "Enum value \"{number}\" on enum \"{}\" changed name{plural} from {} to {}.",
                    current.name(),
                    quoted(&previous_names),
                    quoted(&names)
                ),
            );
        }
    }
}
