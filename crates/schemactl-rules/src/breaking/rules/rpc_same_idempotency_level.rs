use prost_reflect::MethodDescriptor;
use prost_types::method_options::IdempotencyLevel;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RPC_SAME_IDEMPOTENCY_LEVEL",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_AND_UP,
    v1_categories: Some(Category::WIRE_AND_UP_V1),
    v1_exists: true,
    summary: "RPCs keep their `idempotency_level` option.",
    doc: r#"## What it catches

An RPC (matched by service full name and RPC name) whose
`idempotency_level` option changed, including adding or removing it. An
absent option is `IDEMPOTENCY_UNKNOWN`, so writing that value explicitly is
not a change.

## Why it matters

The level tells clients and proxies what they may do with a call:
`NO_SIDE_EFFECTS` RPCs can be sent as HTTP `GET` by Connect and cached,
`IDEMPOTENT` ones can be retried automatically. Changing it changes the HTTP
method and retry behaviour of generated clients: a server built for `POST`
rejects the `GET` of an old client (or the reverse), and relaxing the level
lets old clients retry calls that are no longer safe to repeat.

## Bad

```proto
// before
rpc GetUser(GetUserRequest) returns (GetUserResponse) {
  option idempotency_level = NO_SIDE_EFFECTS;
}
// after: the option was removed
rpc GetUser(GetUserRequest) returns (GetUserResponse);
```

## Good

```proto
rpc GetUser(GetUserRequest) returns (GetUserResponse) {
  option idempotency_level = NO_SIDE_EFFECTS;  // unchanged
}
```

## How to evolve safely

Set the level when the RPC is created. If an RPC's semantics change, add a
new RPC with the right level and deprecate the old one.
"#,
    check: Check::Breaking(check),
};

/// `idempotency_level` is field 34 of `MethodOptions`, itself field 4 of
/// the method: source path `[..., 4, 34]`. When the option is gone the
/// finding falls back to the whole file at 1:1, as in Buf.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.method_pairs() {
        let (before, after) = (level(&previous), level(&current));
        if before == after {
            continue;
        }
        let service = current.parent_service();
        let at = [current.path(), &[4, 34]].concat();
        sink.report(
            service.parent_file().name(),
            &at,
            &at,
            format!(
                "RPC \"{}\" on service \"{}\" changed option \"idempotency_level\" from \"{}\" to \"{}\".",
                current.name(),
                service.name(),
                before.as_str_name(),
                after.as_str_name(),
            ),
        );
    }
}

fn level(method: &MethodDescriptor) -> IdempotencyLevel {
    method
        .method_descriptor_proto()
        .options
        .as_ref()
        .map_or(IdempotencyLevel::IdempotencyUnknown, |o| {
            o.idempotency_level()
        })
}
