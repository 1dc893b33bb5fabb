use crate::lint::comments::require_doc_comment;
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "COMMENT_SERVICE",
    kind: RuleKind::Lint,
    categories: &[Category::Comments],
    v1_categories: None,
    v1_exists: true,
    summary: "Every service has a leading documentation comment.",
    doc: r#"## What it catches

A service with no leading comment, or whose leading comment holds only blank
lines and `buf:lint:ignore` directives.

## Why it matters

The service comment becomes the doc comment of the generated client and
server types and the heading of generated API references: it is where a
caller learns what the service owns, who runs it and how it authenticates.

## Bad

```proto
service InvoiceService {
  rpc GetInvoice(GetInvoiceRequest) returns (GetInvoiceResponse);
}
```

## Good

```proto
// Issues and looks up customer invoices. Owned by the billing team.
service InvoiceService {
  // Returns one invoice by ID.
  rpc GetInvoice(GetInvoiceRequest) returns (GetInvoiceResponse);
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
        require_doc_comment(cx, sink, service.path(), "Service", service.name());
    }
}
