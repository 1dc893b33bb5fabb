use crate::lint::packages::check_same_file_option;
use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_SAME_RUBY_PACKAGE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "All files of a package set `ruby_package` to the same value.",
    doc: r#"## What it catches

Files of one package that do not all set the file option `ruby_package` to
the same value, including a package where some files set it and others do
not. Every file of the package is reported, at its `ruby_package` option (or at
the file when it has none).

## Why it matters

The Ruby generator puts each file's classes into the module named by
`ruby_package`. Files of one Protobuf package with different values split
the package across Ruby modules, so Ruby code has to know which file
declared a message, and moving a message between files changes its Ruby
constant.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option ruby_package = "Acme::Billing::V1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option ruby_package = "Acme::Billing";
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option ruby_package = "Acme::Billing::V1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option ruby_package = "Acme::Billing::V1";
```

## How to evolve safely

`ruby_package` only affects generated Ruby code, never the wire format or
JSON. Pick the value most callers already use and set it in every file of
the package; callers of the types whose Ruby module changes need a
one-time update of their imports or names, so do it in one change and call
it out in the release notes.
"#,
    check: Check::Module(check),
};

/// `ruby_package` in `FileOptions`.
const FIELD: i32 = 45;

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    check_same_file_option(cx, sink, "ruby_package", FIELD, |o| o.ruby_package.clone());
}
