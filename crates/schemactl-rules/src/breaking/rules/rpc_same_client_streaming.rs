use crate::breaking::helpers::method::check_streaming;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RPC_SAME_CLIENT_STREAMING",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_AND_UP,
    v1_categories: Some(Category::WIRE_AND_UP_V1),
    v1_exists: true,
    summary: "RPCs keep their client streaming.",
    doc: r#"## What it catches

An RPC (matched by service full name and RPC name) whose request changed
between a single message and a stream: `rpc M(A)` became `rpc M(stream A)`
or the other way round.

## Why it matters

Streaming changes the RPC's calling convention. gRPC clients and servers
generated from the old definition use a different method shape (unary call
versus client-streaming call), so calls fail at run time, with errors or with
messages silently dropped after the first, and the generated stubs change
signature, so code on both sides stops compiling. HTTP/JSON transcoding
(gRPC-Gateway, Connect) cannot express most streaming shapes at all.

## Bad

```proto
// before
rpc Upload(UploadRequest) returns (UploadResponse);
// after
rpc Upload(stream UploadRequest) returns (UploadResponse);
```

## Good

```proto
rpc Upload(UploadRequest) returns (UploadResponse);
// a new RPC for the streaming shape
rpc UploadStream(stream UploadStreamRequest) returns (UploadStreamResponse);
```

## How to evolve safely

Add a new RPC with the new shape next to the old one, move clients over, then
deprecate and remove the old RPC. The server side is checked by
`RPC_SAME_SERVER_STREAMING`.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_streaming(cx, sink, "client", |m| m.is_client_streaming());
}
