use crate::breaking::{BreakingSink, PairCx};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_MESSAGE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "Messages are not deleted from a package.",
    doc: r#"## What it catches

A message (top-level, nested, or the entry message of a `map<>` field) that
existed in a package and no longer exists anywhere in that package. Moving a
message between files of the package is fine. The finding is placed on the
innermost enclosing message that still exists, else on the file the message
was in, else (the file is gone too) nowhere, at 1:1. Like Buf, nothing is
reported for a package that has no message left at all: the package is
either gone (`PACKAGE_NO_DELETE`) or emptied on purpose.

## Why it matters

Code generated for the package loses the type, so every producer and
consumer that names it stops compiling; `Any` payloads and JSON carrying the
type URL (`type.googleapis.com/pkg.Message`) can no longer be decoded.

## Bad

```proto
// before: pkg.v1.Invoice in billing.proto
// after: Invoice exists in no file of pkg.v1
```

## Good

```proto
// moving Invoice from billing.proto to invoice.proto (same package) is fine
message Invoice {
  option deprecated = true;
  string id = 1;
}
```

## How to evolve safely

Deprecate the message, stop using it, and remove it in a new major version of
the package.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    let current_files = cx.current_files();
    for previous_file in cx.previous_files() {
        let package = previous_file.package_name();
        let current: Vec<_> = current_files
            .iter()
            .filter(|f| f.package_name() == package)
            .flat_map(|f| cx.messages_with_map_entries(f))
            .collect();
        if current.is_empty() {
            continue; // Buf only compares packages that still have messages
        }
        for message in cx.messages_with_map_entries(&previous_file) {
            let name = PairCx::nested_name(message.full_name(), package);
            if current
                .iter()
                .any(|m| PairCx::nested_name(m.full_name(), package) == name)
            {
                continue;
            }
            let text = format!(
                "Previously present message \"{name}\" was deleted from package \"{package}\"."
            );
            let Some(file) = cx.current_file(previous_file.name()) else {
                sink.report_unlocated(text);
                continue;
            };
            // The enclosing message is looked up in the whole package, so it
            // may now live in another file: the finding goes there.
            match cx.deleted_element_anchor(name, &current) {
                Some(anchor) => sink.report(
                    anchor.parent_file().name(),
                    anchor.path(),
                    anchor.path(),
                    text,
                ),
                None => sink.report(file.name(), &[], &[], text),
            }
        }
    }
}
