use crate::breaking::{BreakingSink, PairCx};
use crate::lint::Check;
use crate::registry::{RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "MESSAGE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &["FILE", "CSR"],
    v1_categories: Some(&["FILE"]),
    v1_exists: true,
    summary: "Messages are not deleted from a file.",
    doc: r#"## What it catches

A message (top-level or nested) that existed in a file and is gone from that
file, whether it was deleted, renamed or moved to another file.

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
    for (previous, current) in cx.message_pairs_in_file() {
        if current.is_some() {
            continue;
        }
        let file = previous.parent_file();
        let Some(current_file) = cx.current_file(file.name()) else {
            continue; // the whole file is gone: FILE_NO_DELETE
        };
        // Locate at the parent message if it still exists, else the file.
        let parent = previous
            .parent_message()
            .and_then(|p| cx.current_message(p.full_name()))
            .filter(|p| p.parent_file().name() == current_file.name());
        let element = parent.as_ref().map_or(&[][..], |p| p.path());
        let name = previous
            .full_name()
            .strip_prefix(&format!("{}.", file.package_name()))
            .unwrap_or(previous.full_name());
        sink.report(
            current_file.name(),
            element,
            element,
            format!("Previously present message \"{name}\" was deleted from file."),
        );
    }
}
