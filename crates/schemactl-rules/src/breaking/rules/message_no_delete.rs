use crate::breaking::deletion::{Element, report_deleted_from_files};

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

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
    report_deleted_from_files(cx, sink, Element::Message);
}
