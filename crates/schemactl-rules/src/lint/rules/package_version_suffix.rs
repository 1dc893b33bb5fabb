use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk::tag;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_VERSION_SUFFIX",
    kind: RuleKind::Lint,
    categories: &[Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "The last component of a package is a version such as `v1` or `v1beta1`.",
    doc: r#"## What it catches

A package whose last component is not a version. Accepted versions are
`v<major>` (stable, `v1`, `v2`, ...), `v<major>alpha<n>` and
`v<major>beta<n>` (the number after `alpha`/`beta` is optional), the same
with a patch (`v1p1alpha1`), and `v<major>test<anything>`. Numbers start at
1, so `v0` is rejected. A package with a single component (`v1` alone) is
rejected as well. Files without a package are left to `PACKAGE_DEFINED`.

## Why it matters

A version in the package is what lets a schema make a breaking change at
all: `acme.billing.v2` can live next to `acme.billing.v1`, with its own
generated code, while clients migrate. Without one, the only way to break
compatibility is to break every client at once. The stability suffix also
tells consumers (and `STABLE_PACKAGE_NO_IMPORT_UNSTABLE`) which packages may
still change.

## Bad

```proto
package acme.billing;
```

## Good

```proto
package acme.billing.v1;
```

## How to evolve safely

Renaming the package renames every type and service in it, which breaks
JSON `Any` payloads, gRPC paths and generated code, though not the binary
encoding of messages. Create the versioned package next to the old one,
move producers and consumers over, then delete the old package.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let package = cx.file.package_name();
    if package.is_empty() || crate::package::stability(package).is_some() {
        return;
    }
    sink.report(
        cx.file.name(),
        &[tag::PACKAGE],
        &[tag::PACKAGE],
        format!(
            "Package name \"{package}\" should be suffixed with a correctly formed version, \
             such as \"{package}.v1\"."
        ),
    );
}
