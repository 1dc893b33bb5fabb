use std::collections::HashMap;

use crate::lint::{ModuleCx, Sink};
use crate::package::{Stability, stability};
use crate::rule::Check;
use crate::rule::{RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "STABLE_PACKAGE_NO_IMPORT_UNSTABLE",
    kind: RuleKind::Lint,
    categories: &[],
    v1_categories: Some(&[]),
    v1_exists: false,
    summary: "Files of stable packages (`v1`) import no files of alpha, beta or test packages.",
    doc: r#"## What it catches

A file whose package has a stable version suffix (`acme.billing.v1`) that
imports a file of the same module whose package has an unstable one
(`v1alpha1`, `v1beta1`, `v1test`, with or without a patch such as
`v1p1beta1`). Packages without a well-formed version are not judged either
way (see `PACKAGE_VERSION_SUFFIX`), and imports from outside the module
(dependencies, well-known types) are not checked.

This rule is not in any category: enable it by ID.

## Why it matters

A stable package promises not to break; an alpha or beta package may change
or disappear in any release. A stable message with a field of an unstable
type inherits that instability: when the unstable type changes, the stable
package's wire format, JSON and generated code change with it, without its
own version moving.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;

import "acme/tax/v1beta1/tax.proto";
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;

import "acme/tax/v1/tax.proto";
```

## How to evolve safely

Promote what the stable package needs to a stable package first (copy the
types into `acme.tax.v1` and freeze them), then switch the import. Until
then, keep the importing code in an unstable package too (`acme.billing.v2beta1`).
"#,
    check: Check::Module(check),
};

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    // Only the module's own files count as imported files (Buf looks the
    // import up among the files it lints).
    let packages: HashMap<&str, &str> = cx
        .files
        .iter()
        .map(|(f, _)| (f.name(), f.package_name()))
        .collect();
    for (file, _) in &cx.files {
        let package = file.package_name();
        if stability(package) != Some(Stability::Stable) {
            continue;
        }
        for (index, import) in file.file_descriptor_proto().dependency.iter().enumerate() {
            let Some(&imported) = packages.get(import.as_str()) else {
                continue;
            };
            match stability(imported) {
                None | Some(Stability::Stable) => continue,
                Some(_) => {}
            }
            sink.report_import(
                file.name(),
                index,
                format!(
                    "This file is in stable package \"{package}\", so it should not depend on \
                     \"{import}\" from unstable package \"{imported}\"."
                ),
            );
        }
    }
}
