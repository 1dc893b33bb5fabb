use crate::lint::packages::check_same_file_option;
use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_SAME_CSHARP_NAMESPACE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "All files of a package set `csharp_namespace` to the same value.",
    doc: r#"## What it catches

Files of one package that do not all set the file option `csharp_namespace` to
the same value, including a package where some files set it and others do
not. Every file of the package is reported, at its `csharp_namespace` option (or at
the file when it has none).

## Why it matters

The C# generator puts every type of a file into the file's
`csharp_namespace`. When files of one Protobuf package disagree, the types
of one package end up in several C# namespaces, so C# code has to know which
file a message was declared in, and a file moving within the package breaks
C# callers.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option csharp_namespace = "Acme.Billing.V1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option csharp_namespace = "Acme.Billing";
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option csharp_namespace = "Acme.Billing.V1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option csharp_namespace = "Acme.Billing.V1";
```

## How to evolve safely

`csharp_namespace` only affects generated C# code, never the wire format or
JSON. Pick the value most callers already use and set it in every file of
the package; callers of the types whose C# namespace changes need a
one-time update of their imports or names, so do it in one change and call
it out in the release notes.
"#,
    check: Check::Module(check),
};

/// `csharp_namespace` in `FileOptions`.
const FIELD: i32 = 37;

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    check_same_file_option(cx, sink, "csharp_namespace", FIELD, |o| {
        o.csharp_namespace.clone()
    });
}
