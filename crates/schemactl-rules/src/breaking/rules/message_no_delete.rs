use crate::breaking::{BreakingSink, PairCx};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "MESSAGE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Csr],
    v1_categories: Some(&[Category::File]),
    v1_exists: true,
    summary: "Messages are not deleted from a file.",
    doc: r#"## What it catches

A message (top-level or nested) that existed in a file and is gone from that
file, whether it was deleted, renamed or moved to another file. The entry
message of a `map<>` field counts too: deleting a map field deletes its
`…Entry` message. The finding is placed on the innermost enclosing message
that still exists, or on the whole file.

## Why it matters

On the wire nothing changes until someone sends the message, but generated
code loses the type: every producer and consumer that names it stops
compiling, and JSON `Any` payloads that name it can no longer be decoded. A
move to another file of the same package keeps the full name but changes the
generated file or import path in languages like Go, Java and Python.

## Bad

```proto
// before
message UserCreated { string user_id = 1; }
message UserDeleted { string user_id = 1; }
// after: UserDeleted is gone
message UserCreated { string user_id = 1; }
```

## Good

```proto
// keep the message, and mark it deprecated
message UserDeleted {
  option deprecated = true;
  string user_id = 1;
}
```

## How to evolve safely

Deprecate the message, stop producing it, and delete it only in a new major
version. To move a message between files of one package, use the `PACKAGE`
category (which allows moves) or schemactl's move detection.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous_file, current_file) in cx.file_pairs() {
        let Some(current_file) = current_file else {
            continue; // the whole file is gone: FILE_NO_DELETE
        };
        // Buf matches by name inside the file's package, so a file whose
        // package changed keeps its messages (FILE_SAME_PACKAGE reports it).
        let current = cx.messages_with_map_entries(&current_file);
        for message in cx.messages_with_map_entries(&previous_file) {
            let name = PairCx::nested_name(message.full_name(), previous_file.package_name());
            if current
                .iter()
                .any(|m| PairCx::nested_name(m.full_name(), current_file.package_name()) == name)
            {
                continue;
            }
            let anchor = cx.deleted_element_anchor(name, &current);
            let element = anchor.as_ref().map_or(&[][..], |m| m.path());
            // Beyond Buf: a message moved to another file of the package is
            // one finding naming both places; its nested types moved with
            // it and are not reported again.
            if cx.parent_moved(
                message.full_name(),
                previous_file.package_name(),
                previous_file.name(),
            ) {
                continue;
            }
            if let Some((to, related)) = cx.moved_to(message.full_name(), previous_file.name()) {
                sink.report_related(
                    current_file.name(),
                    element,
                    element,
                    format!("Previously present message \"{name}\" was moved from file \"{}\" to file \"{to}\".", previous_file.name()),
                    related,
                );
                continue;
            }
            sink.report(
                current_file.name(),
                element,
                element,
                format!("Previously present message \"{name}\" was deleted from file."),
            );
        }
    }
}
