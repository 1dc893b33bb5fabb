use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RPC_NO_CLIENT_STREAMING",
    kind: RuleKind::Lint,
    categories: &[Category::UnaryRpc],
    v1_categories: None,
    v1_exists: true,
    summary: "RPCs do not take a stream of requests.",
    doc: r#"## What it catches

An RPC whose request is a stream (`rpc Upload(stream Chunk) returns (...)`),
including bidirectional streaming RPCs. It is opt-in, in the `UNARY_RPC`
category.

## Why it matters

Client streaming does not work everywhere: browsers (gRPC-Web, Connect over
HTTP/1.1) cannot send a request stream, many proxies and load balancers
buffer or cut long-lived requests, and retries, deadlines and idempotency are
much harder to get right than for a unary call. Teams that serve browsers or
go through such infrastructure use this rule to keep every RPC callable.

## Bad

```proto
service UploadService {
  rpc Upload(stream UploadRequest) returns (UploadResponse);
}
```

## Good

```proto
service UploadService {
  // One call per chunk; the server assembles them by upload ID.
  rpc UploadChunk(UploadChunkRequest) returns (UploadChunkResponse);
}
```

## How to evolve safely

Changing an RPC's streaming mode breaks every generated client and server
(`RPC_SAME_CLIENT_STREAMING` under `breaking`). Add a unary RPC beside the
streaming one, move clients over, then remove the old RPC in a major version.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for service in cx.file.services() {
        for method in service.methods() {
            if method.is_client_streaming() {
                sink.report(
                    cx.file.name(),
                    method.path(),
                    method.path(),
                    format!("RPC \"{}\" is client streaming.", method.name()),
                );
            }
        }
    }
}
