use crate::lint::naming::{Case, require_case};
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "SERVICE_PASCAL_CASE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Service names are PascalCase.",
    doc: r#"## What it catches

A service whose name is not `PascalCase`: `invoice_service`,
`invoiceService`, `Invoice_Service`. Runs of capitals are accepted
(`HTTPProxyService`).

## Why it matters

Service names become client and server type names in every gRPC and Connect
generator (`InvoiceServiceClient`, `InvoiceServiceImplBase`), and are part of
every RPC's path on the wire (`/acme.billing.v1.InvoiceService/Get`).
Generators expect `PascalCase` and mangle other spellings differently, so
clients in different languages end up with differently named stubs.

## Bad

```proto
service invoice_service {
  rpc Get(GetRequest) returns (GetResponse);
}
```

## Good

```proto
service InvoiceService {
  rpc Get(GetRequest) returns (GetResponse);
}
```

## How to evolve safely

The service name is in the HTTP/2 path of every call: renaming it makes
every existing client fail with `UNIMPLEMENTED` (`SERVICE_NO_DELETE` under
`breaking`). Add the correctly named service beside the old one, serve both
with the same implementation, move clients, then remove the old one.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for service in cx.file.services() {
        require_case(
            cx,
            sink,
            service.path(),
            "Service",
            service.name(),
            Case::Pascal,
        );
    }
}
