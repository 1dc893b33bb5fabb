use crate::lint::rpc_types::{Side, require_standard_name};
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RPC_RESPONSE_STANDARD_NAME",
    kind: RuleKind::Lint,
    categories: &[Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "RPC response messages are named `<Rpc>Response` or `<Service><Rpc>Response`.",
    doc: r#"## What it catches

An RPC whose response message is not named after it: `rpc GetInvoice` must
return `GetInvoiceResponse` or `InvoiceServiceGetInvoiceResponse` (the
service name in front). Only the message's own name is compared, so the
message may live in another package. The finding points at the response
type.

## Why it matters

A response message that belongs to exactly one RPC can grow new fields for
that RPC without affecting any other. Returning a domain message directly
(`Invoice`) or another RPC's response ties the RPC's evolution to every other
use of that message: you can no longer add pagination tokens or metadata
next to it without changing the shared type. The naming convention makes the
one-to-one ownership visible and keeps generated client code predictable.

## Bad

```proto
service InvoiceService {
  rpc GetInvoice(GetInvoiceRequest) returns (Invoice);
}
```

## Good

```proto
service InvoiceService {
  rpc GetInvoice(GetInvoiceRequest) returns (GetInvoiceResponse);
}

message GetInvoiceResponse {
  Invoice invoice = 1;
}
```

## Options

`rpc_allow_google_protobuf_empty_responses: true` (in the `lint` section of
`buf.yaml`) accepts `google.protobuf.Empty` as a response. It is off by
default.

## How to evolve safely

Swapping the response for a wrapper message changes its fields, which breaks
the wire format and generated code (`RPC_SAME_RESPONSE_TYPE` under
`breaking`). Add a new RPC with a dedicated response, implement both, move
clients, and delete the old RPC in a major version.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    require_standard_name(cx, sink, Side::Response);
}
