use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RPC_NO_SERVER_STREAMING",
    kind: RuleKind::Lint,
    categories: &[Category::UnaryRpc],
    v1_categories: None,
    v1_exists: true,
    summary: "RPCs do not return a stream of responses.",
    doc: r#"## What it catches

An RPC whose response is a stream (`rpc Watch(...) returns (stream Event)`),
including bidirectional streaming RPCs. It is opt-in, in the `UNARY_RPC`
category.

## Why it matters

Server streams hold a connection open: proxies, load balancers and
serverless platforms often time them out or buffer them, clients must
handle reconnection and resumption, and simple HTTP tooling cannot call
them. Teams whose APIs must stay callable as plain request/response use this
rule to keep every RPC unary.

## Bad

```proto
service OrderService {
  rpc WatchOrders(WatchOrdersRequest) returns (stream WatchOrdersResponse);
}
```

## Good

```proto
service OrderService {
  // Returns orders changed after the page token; poll or use a topic.
  rpc ListOrderChanges(ListOrderChangesRequest) returns (ListOrderChangesResponse);
}
```

## How to evolve safely

Changing an RPC's streaming mode breaks every generated client and server
(`RPC_SAME_SERVER_STREAMING` under `breaking`). Add a unary RPC (or publish
the events to a Kafka topic) beside the streaming one, move clients over,
then remove the old RPC in a major version.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for service in cx.file.services() {
        for method in service.methods() {
            if method.is_server_streaming() {
                sink.report(
                    cx.file.name(),
                    method.path(),
                    method.path(),
                    format!("RPC \"{}\" is server streaming.", method.name()),
                );
            }
        }
    }
}
