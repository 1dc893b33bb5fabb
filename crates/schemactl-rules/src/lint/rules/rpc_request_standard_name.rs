use crate::lint::rpc_types::{Side, require_standard_name};
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RPC_REQUEST_STANDARD_NAME",
    kind: RuleKind::Lint,
    categories: &[Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "RPC request messages are named `<Rpc>Request` or `<Service><Rpc>Request`.",
    doc: r#"## What it catches

An RPC whose request message is not named after it: `rpc GetInvoice` must
take `GetInvoiceRequest` or `InvoiceServiceGetInvoiceRequest` (the service
name in front). Only the message's own name is compared, so the message may
live in another package. The finding points at the request type.

## Why it matters

A request message that belongs to exactly one RPC can grow new fields for
that RPC without affecting any other. Requests named after another RPC, or
generic ones (`Invoice`, `IdRequest`, `google.protobuf.Empty`), end up shared,
and then a field added for one RPC silently appears in all of them and can
never be removed. The naming convention makes the one-to-one ownership
visible and keeps generated client code predictable.

## Bad

```proto
service InvoiceService {
  rpc GetInvoice(InvoiceId) returns (GetInvoiceResponse);
}
```

## Good

```proto
service InvoiceService {
  rpc GetInvoice(GetInvoiceRequest) returns (GetInvoiceResponse);
}
```

## Options

`rpc_allow_google_protobuf_empty_requests: true` (in the `lint` section of
`buf.yaml`) accepts `google.protobuf.Empty` as a request. It is off by
default.

## How to evolve safely

The request type's name is not on the wire; only its fields are. Replacing
the request with a new message that has the same fields and numbers keeps
binary and JSON compatibility, but breaks generated code
(`RPC_SAME_REQUEST_TYPE` under `breaking`): introduce a new RPC with a
dedicated request, move clients, and delete the old RPC in a major version.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    require_standard_name(cx, sink, Side::Request);
}
