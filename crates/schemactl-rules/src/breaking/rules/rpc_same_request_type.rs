use crate::breaking::helpers::method::check_message_type;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RPC_SAME_REQUEST_TYPE",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_AND_UP,
    v1_categories: Some(Category::WIRE_AND_UP_V1),
    v1_exists: true,
    summary: "RPCs keep their request message type.",
    doc: r#"## What it catches

An RPC (matched by service full name and RPC name) whose request type now
names a different message, even one with the same fields.

## Why it matters

Peers built from the old definition keep sending and expecting the old
message: the bytes are decoded as the new type, so fields with matching
numbers are misread and the rest are lost. JSON clients send the old field
names, which the new type may reject. Generated stubs change signature, so
every client and server implementation stops compiling.

## Bad

```proto
// before
rpc GetUser(GetUserRequest) returns (GetUserResponse);
// after
rpc GetUser(LookupUserRequest) returns (GetUserResponse);
```

## Good

```proto
// evolve the existing message instead
rpc GetUser(GetUserRequest) returns (GetUserResponse);
message GetUserRequest {
  string user_id = 1;
  string tenant_id = 2;  // new field
}
```

## How to evolve safely

Give every RPC its own request and response messages (the lint rules
`RPC_REQUEST_STANDARD_NAME` and `RPC_RESPONSE_STANDARD_NAME` help) and add
fields to them. When the shape really has to change, add a new RPC and
deprecate the old one.
"#,
    check: Check::Breaking(check),
};

/// The request type of an RPC is at `[..., 2]` below the method's path.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_message_type(cx, sink, "request", 2, |m| m.input());
}
