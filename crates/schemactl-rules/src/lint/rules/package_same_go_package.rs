use crate::lint::packages::check_same_file_option;
use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_SAME_GO_PACKAGE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "All files of a package set `go_package` to the same value.",
    doc: r#"## What it catches

Files of one package that do not all set the file option `go_package` to
the same value, including a package where some files set it and others do
not. Every file of the package is reported, at its `go_package` option (or at
the file when it has none).

## Why it matters

The Go generator puts each file's types into the Go package named by
`go_package`. Files of one Protobuf package with different values split the
package across Go packages; since Go forbids import cycles and generated
files of one Protobuf package refer to each other freely, the result often
does not build at all, and when it does, callers import several Go packages
for one API.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option go_package = "github.com/acme/apis/gen/go/acme/billing/v1;billingv1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option go_package = "github.com/acme/apis/gen/go/billing;billing";
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option go_package = "github.com/acme/apis/gen/go/acme/billing/v1;billingv1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option go_package = "github.com/acme/apis/gen/go/acme/billing/v1;billingv1";
```

## How to evolve safely

`go_package` only affects generated Go code, never the wire format or
JSON. Pick the value most callers already use and set it in every file of
the package; callers of the types whose Go package changes need a
one-time update of their imports or names, so do it in one change and call
it out in the release notes.
"#,
    check: Check::Module(check),
};

/// `go_package` in `FileOptions`.
const FIELD: i32 = 11;

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    check_same_file_option(cx, sink, "go_package", FIELD, |o| o.go_package.clone());
}
