use crate::lint::comments::require_doc_comment;
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "COMMENT_RPC",
    kind: RuleKind::Lint,
    categories: &[Category::Comments],
    v1_categories: None,
    v1_exists: true,
    summary: "Every RPC has a leading documentation comment.",
    doc: r#"## What it catches

An `rpc` with no leading comment, or whose leading comment holds only blank
lines and `buf:lint:ignore` directives.

## Why it matters

The RPC comment becomes the doc comment of the generated client method and
server handler. It is the only place to say what the call does, which errors
it returns and whether it is safe to retry.

## Bad

```proto
// Issues and looks up customer invoices.
service InvoiceService {
  rpc VoidInvoice(VoidInvoiceRequest) returns (VoidInvoiceResponse);
}
```

## Good

```proto
// Issues and looks up customer invoices.
service InvoiceService {
  // Voids an unpaid invoice. Idempotent; fails with FAILED_PRECONDITION
  // once the invoice is paid.
  rpc VoidInvoice(VoidInvoiceRequest) returns (VoidInvoiceResponse);
}
```

## How to evolve safely

Comments do not affect the wire format or generated APIs: adding them is
always safe.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for service in cx.file.services() {
        for method in service.methods() {
            require_doc_comment(cx, sink, method.path(), "RPC", method.name());
        }
    }
}
