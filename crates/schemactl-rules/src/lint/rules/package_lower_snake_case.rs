use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::naming::to_lower_snake_case;
use schemactl_compile::walk::tag;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_LOWER_SNAKE_CASE",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Package names are lower_snake_case components joined by dots.",
    doc: r#"## What it catches

A package with a component that is not `lower_snake_case`: `acme.Billing.v1`,
`acme.billingApi.v1`, `acme.billing__api.v1`. Files without a package are
left to `PACKAGE_DEFINED`.

## Why it matters

The package is the namespace of every type on the wire that carries a type
name (`Any` URLs, gRPC method paths such as `/acme.billing.v1.InvoiceService/Get`)
and the default namespace of generated code. Generators map it to Java
packages, C# namespaces, Python and Ruby modules with different case rules;
capitals give paths that work on one file system and not another, and
namespaces that differ per language.

## Bad

```proto
package acme.BillingApi.v1;
```

## Good

```proto
package acme.billing_api.v1;
```

## How to evolve safely

Changing a package changes the full name of every type and service in it:
gRPC paths, `Any` type URLs and generated imports all break
(`PACKAGE_NO_DELETE` and `FILE_SAME_PACKAGE` under `breaking`). Publish the
types under the new package as a new version (`acme.billing_api.v2`), serve
both, and retire the old one.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let package = cx.file.package_name();
    if package.is_empty() {
        return;
    }
    let expected = package
        .split('.')
        .map(to_lower_snake_case)
        .collect::<Vec<_>>()
        .join(".");
    if package != expected {
        sink.report(
            cx.file.name(),
            &[tag::PACKAGE],
            &[tag::PACKAGE],
            format!(
                "Package name \"{package}\" should be lower_snake.case, such as \"{expected}\"."
            ),
        );
    }
}
