use crate::lint::naming::require_suffix;
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "SERVICE_SUFFIX",
    kind: RuleKind::Lint,
    categories: &[Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Service names end with a configurable suffix (`Service`).",
    doc: r#"## What it catches

A service whose name does not end with the configured suffix, `Service` by
default: `Invoices`, `InvoiceAPI`, `InvoiceSvc`. The match is exact and
case-sensitive (`Invoiceservice` fails).

## Why it matters

Generators derive several types from a service name (`InvoiceServiceClient`,
`InvoiceServiceServer`, `InvoiceServiceGrpc`), and a service lives in the
same namespace as messages. A fixed suffix keeps services from colliding with
a message of the same name (`Invoice`), makes generated stubs recognisable,
and keeps RPC paths uniform across a schema.

## Bad

```proto
service Invoices {
  rpc GetInvoice(GetInvoiceRequest) returns (GetInvoiceResponse);
}
```

## Good

```proto
service InvoiceService {
  rpc GetInvoice(GetInvoiceRequest) returns (GetInvoiceResponse);
}
```

## Options

`service_suffix` (in the `lint` section of `buf.yaml`) sets the required
suffix; the default is `Service`. For example `service_suffix: API` requires
`InvoiceAPI`.

## How to evolve safely

The service name is in the path of every call, so renaming it makes existing
clients fail with `UNIMPLEMENTED` (`SERVICE_NO_DELETE` under `breaking`).
Add the suffixed service beside the old one, serve both from the same
implementation, move clients, then delete the old service.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let suffix = cx.config.service_suffix.as_str();
    for service in cx.file.services() {
        require_suffix(cx, sink, service.path(), "Service", service.name(), suffix);
    }
}
