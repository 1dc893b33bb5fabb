use crate::breaking::{BreakingSink, PairCx};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_EXTENSION_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::Package],
    v1_categories: Some(&[]),
    v1_exists: false,
    summary: "Extensions are not deleted from a package.",
    doc: r#"## What it catches

An extension field (top-level or declared inside a message) that existed in
a package and no longer exists anywhere in that package. Moving it between
files of the package is fine. The finding is placed on the innermost
enclosing message that still exists in the extension's former file, else on
that file, else (the file is gone too) nowhere, at 1:1. Like Buf, nothing is
reported for a package that has no extension left at all.

## Why it matters

Data written with the extension is kept only as unknown fields by new
readers, the extension number becomes free for a clashing reuse, generated
extension identifiers disappear (breaking every user), and JSON keys like
`"[pkg.v1.my_option]"` can no longer be parsed.

## Bad

```proto
// before: extend google.protobuf.FieldOptions { optional string column = 50001; }
// after: the extension exists in no file of the package
```

## Good

```proto
extend google.protobuf.FieldOptions {
  optional string column = 50001 [deprecated = true];
}
```

## How to evolve safely

Deprecate the extension and keep it until a new major version of the
package; never reuse its number.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    let current_files = cx.current_files();
    for previous_file in cx.previous_files() {
        let package = previous_file.package_name();
        let current: Vec<String> = current_files
            .iter()
            .filter(|f| f.package_name() == package)
            .flat_map(|f| cx.extensions_in_file(f))
            .map(|e| PairCx::nested_name(e.full_name(), package).to_owned())
            .collect();
        if current.is_empty() {
            continue; // Buf only compares packages that still have extensions
        }
        for previous in cx.extensions_in_file(&previous_file) {
            let name = PairCx::nested_name(previous.full_name(), package);
            if current.iter().any(|c| c == name) {
                continue;
            }
            let text = format!(
                "Previously present extension \"{name}\" was deleted from package \"{package}\"."
            );
            let Some(file) = cx.current_file(previous_file.name()) else {
                sink.report_unlocated(text);
                continue;
            };
            let anchors = cx.messages_with_map_entries(&file);
            let anchor = cx.deleted_element_anchor(name, &anchors);
            let element = anchor.as_ref().map_or(&[][..], |m| m.path());
            sink.report(file.name(), element, element, text);
        }
    }
}
