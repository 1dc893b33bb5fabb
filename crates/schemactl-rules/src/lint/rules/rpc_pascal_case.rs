use crate::lint::naming::{Case, require_case};
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RPC_PASCAL_CASE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "RPC names are PascalCase.",
    doc: r#"## What it catches

An RPC whose name is not `PascalCase`: `get_invoice`, `getInvoice`,
`Get_Invoice`. Runs of capitals are accepted (`GetHTTPHeaders`).

## Why it matters

The RPC name is the last segment of the call's path on the wire
(`/acme.billing.v1.InvoiceService/GetInvoice`) and becomes a method name in
every generated client and server. Generators convert it to each language's
convention (`getInvoice` in Java and TypeScript, `GetInvoice` in Go and C#)
assuming `PascalCase`; other spellings give inconsistent or colliding method
names.

## Bad

```proto
service InvoiceService {
  rpc get_invoice(GetInvoiceRequest) returns (GetInvoiceResponse);
}
```

## Good

```proto
service InvoiceService {
  rpc GetInvoice(GetInvoiceRequest) returns (GetInvoiceResponse);
}
```

## How to evolve safely

Renaming an RPC changes its path, so existing clients get `UNIMPLEMENTED`
(`RPC_NO_DELETE` under `breaking`). Add the new RPC next to the old one,
implement both, move clients over, then delete the old RPC.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for service in cx.file.services() {
        for method in service.methods() {
            require_case(cx, sink, method.path(), "RPC", method.name(), Case::Pascal);
        }
    }
}
