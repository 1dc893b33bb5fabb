use std::collections::BTreeMap;

use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RPC_REQUEST_RESPONSE_UNIQUE",
    kind: RuleKind::Lint,
    categories: &[Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Every request and response message is used by one RPC only.",
    doc: r#"## What it catches

A message used as the request or response of more than one RPC in the
module (across services and files), and an RPC whose request and response
are the same message. Every RPC involved is reported, on its declaration.

## Why it matters

An RPC's request and response are its API: as soon as two RPCs share one,
a field added for one RPC appears in the other, where it means nothing or
something different, and can never be removed without breaking both. Using
one message for both directions is the same trap: server-only fields become
settable by clients. Dedicated messages per RPC let each RPC evolve on its
own, at no cost on the wire.

## Bad

```proto
service InvoiceService {
  rpc GetInvoice(InvoiceId) returns (Invoice);
  rpc DeleteInvoice(InvoiceId) returns (Invoice);
  rpc UpdateInvoice(Invoice) returns (Invoice);
}
```

## Good

```proto
service InvoiceService {
  rpc GetInvoice(GetInvoiceRequest) returns (GetInvoiceResponse);
  rpc DeleteInvoice(DeleteInvoiceRequest) returns (DeleteInvoiceResponse);
  rpc UpdateInvoice(UpdateInvoiceRequest) returns (UpdateInvoiceResponse);
}
```

## Options

In the `lint` section of `buf.yaml`, all off by default:

- `rpc_allow_same_request_response: true` accepts an RPC whose request and
  response are the same message.
- `rpc_allow_google_protobuf_empty_requests: true` lets any number of RPCs
  take `google.protobuf.Empty`.
- `rpc_allow_google_protobuf_empty_responses: true` lets any number of RPCs
  return `google.protobuf.Empty`.

With both `google.protobuf.Empty` options set, an RPC may also take and
return `google.protobuf.Empty`.

## How to evolve safely

Replacing a shared message with a dedicated one that has the same fields and
numbers is compatible on the binary wire and in JSON, but changes generated
code (`RPC_SAME_REQUEST_TYPE` / `RPC_SAME_RESPONSE_TYPE` under `breaking`).
Add new RPCs with dedicated messages, move clients, then remove the old RPCs.
"#,
    check: Check::Module(check),
};

const EMPTY: &str = "google.protobuf.Empty";

struct Rpc {
    file: String,
    path: Vec<i32>,
    name: String,
    input: String,
    output: String,
}

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    let config = cx.config;
    let (allow_empty_requests, allow_empty_responses) = (
        config.rpc_allow_google_protobuf_empty_requests,
        config.rpc_allow_google_protobuf_empty_responses,
    );
    // RPCs by full name: one entry per RPC even if it uses a type twice.
    let mut rpcs: BTreeMap<String, Rpc> = BTreeMap::new();
    for (file, _) in &cx.files {
        for service in file.services() {
            for method in service.methods() {
                rpcs.insert(
                    method.full_name().to_owned(),
                    Rpc {
                        file: file.name().to_owned(),
                        path: method.path().to_vec(),
                        name: method.name().to_owned(),
                        input: method.input().full_name().to_owned(),
                        output: method.output().full_name().to_owned(),
                    },
                );
            }
        }
    }
    let mut report = |rpc: &Rpc, message: String| {
        sink.report(&rpc.file, &rpc.path, &rpc.path, message);
    };

    if !config.rpc_allow_same_request_response {
        for rpc in rpcs.values() {
            let both_empty_allowed =
                rpc.input == EMPTY && allow_empty_requests && allow_empty_responses;
            if rpc.input == rpc.output && !both_empty_allowed {
                report(
                    rpc,
                    format!(
                        "RPC \"{}\" has the same type \"{}\" for the request and response.",
                        rpc.name, rpc.input
                    ),
                );
            }
        }
    }

    let mut users: BTreeMap<&str, Vec<&Rpc>> = BTreeMap::new();
    for rpc in rpcs.values() {
        users.entry(&rpc.input).or_default().push(rpc);
        if rpc.output != rpc.input {
            users.entry(&rpc.output).or_default().push(rpc);
        }
    }
    for (ty, using) in users {
        if using.len() < 2 {
            continue;
        }
        if ty == EMPTY && (allow_empty_requests || allow_empty_responses) {
            if allow_empty_requests && allow_empty_responses {
                continue;
            }
            // Only one direction is allowed to share Empty: check the other.
            let (direction, sharing): (&str, Vec<&&Rpc>) = if allow_empty_requests {
                (
                    "response",
                    using.iter().filter(|r| r.output == EMPTY).collect(),
                )
            } else {
                (
                    "request",
                    using.iter().filter(|r| r.input == EMPTY).collect(),
                )
            };
            if sharing.len() > 1 {
                for rpc in sharing {
                    report(
                        rpc,
                        format!("\"{ty}\" is used as the {direction} for multiple RPCs."),
                    );
                }
            }
            continue;
        }
        for rpc in using {
            report(
                rpc,
                format!("\"{ty}\" is used as the request or response type for multiple RPCs."),
            );
        }
    }
}
