use crate::lint::naming::{Case, require_case};
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_LOWER_SNAKE_CASE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Field and extension names are lower_snake_case.",
    doc: r#"## What it catches

A field, or an extension field (top-level or nested in a message), whose
name is not `lower_snake_case`: capitals (`userId`, `UserID`), leading or
trailing underscores (`_internal`), or doubled underscores (`user__id`).
Digits may follow letters directly (`address2`, `ipv4_address`).

## Why it matters

Generators derive accessors from field names and assume `lower_snake_case`:
`user_id` becomes `UserId` in Go, `getUserId()` in Java and `userId` in
JSON. Other spellings round-trip differently per language (`userID` gives
`UserID` in Go but the JSON name `userID`), and names that differ only in
underscores or case can collide after conversion, which some generators
reject outright.

## Bad

```proto
message User {
  string userId = 1;
  string _internal = 2;
}
```

## Good

```proto
message User {
  string user_id = 1;
  string internal = 2;
}
```

## How to evolve safely

Field names are not on the binary wire, but they are in JSON (as
`lowerCamelCase` names) and in generated code (`FIELD_SAME_NAME` and
`FIELD_SAME_JSON_NAME` under `breaking`). Add a new field with the correct
name and a new number, write both during a transition, then reserve the old
number and name.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let fields = walk::fields_and_extensions(&cx.file);
    for (name, path) in fields {
        require_case(cx, sink, &path, "Field", &name, Case::LowerSnake);
    }
}
