use crate::lint::packages::check_same_file_option;
use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_SAME_PHP_NAMESPACE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "All files of a package set `php_namespace` to the same value.",
    doc: r#"## What it catches

Files of one package that do not all set the file option `php_namespace` to
the same value, including a package where some files set it and others do
not. Every file of the package is reported, at its `php_namespace` option (or at
the file when it has none).

## Why it matters

The PHP generator puts each file's classes into its `php_namespace`
(and the matching autoload directory). Files of one Protobuf package with
different values split the package over several namespaces, so PHP code has
to know which file declared a message, and moving a message between files
changes its PHP class name.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option php_namespace = "Acme\\Billing\\V1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option php_namespace = "Acme\\Billing";
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
option php_namespace = "Acme\\Billing\\V1";
// acme/billing/v1/refund.proto
package acme.billing.v1;
option php_namespace = "Acme\\Billing\\V1";
```

## How to evolve safely

`php_namespace` only affects generated PHP code, never the wire format or
JSON. Pick the value most callers already use and set it in every file of
the package; callers of the types whose PHP namespace changes need a
one-time update of their imports or names, so do it in one change and call
it out in the release notes.
"#,
    check: Check::Module(check),
};

/// `php_namespace` in `FileOptions`.
const FIELD: i32 = 41;

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    check_same_file_option(cx, sink, "php_namespace", FIELD, |o| {
        o.php_namespace.clone()
    });
}
