use crate::breaking::deletion::{Element, report_deleted_from_files};

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "EXTENSION_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::File],
    v1_categories: Some(&[]),
    v1_exists: false,
    summary: "Extensions are not deleted from a file.",
    doc: r#"## What it catches

An extension field (`extend Foo { … }`, at top level or declared inside a
message) that existed in a file and is gone from that file, including one
moved to another file. Extensions are matched by name within their scope;
the finding is placed on the innermost enclosing message that still exists,
or on the whole file. Like Buf, the rule exists only with a `version: v2`
`buf.yaml` (or `schemactl.yaml`): Buf v1 and no configuration do not have it.

## Why it matters

Senders that still set the extension produce data that new readers keep only
as unknown fields. The extension's number becomes free for reuse, and a new
extension with a different type on the same number misreads old data. In
generated code the extension identifier (`E_Foo` in Go, `Ext.foo` in Java)
disappears, so every user stops compiling, and JSON (`"[pkg.foo]"` keys) can
no longer be parsed.

## Bad

```proto
// before
extend google.protobuf.FieldOptions { optional string column = 50001; }
// after: the extension is gone
```

## Good

```proto
extend google.protobuf.FieldOptions {
  optional string column = 50001 [deprecated = true];
}
```

## How to evolve safely

Deprecate the extension and keep it until a new major version. Extension
numbers cannot be reserved on the extended message from your side, so never
reuse a deleted extension's number.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    report_deleted_from_files(cx, sink, Element::Extension);
}
