use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk::tag;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "SYNTAX_SPECIFIED",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Every file starts with a `syntax` (or `edition`) statement.",
    doc: r#"## What it catches

A `.proto` file with neither a `syntax = "...";` nor an `edition = "...";`
statement.

## Why it matters

A file without a `syntax` statement is silently proto2. Readers (and
authors) usually assume proto3, but the semantics differ where it hurts:
proto2 scalar fields have presence and custom defaults, enums are closed
(unknown values go to unknown fields instead of being kept), and JSON
encoding of defaults differs. Generated code differs accordingly. Saying
which syntax a file uses removes the guesswork.

## Bad

```proto
package acme.billing.v1;

message Invoice {
  optional string id = 1;
}
```

## Good

```proto
syntax = "proto2";

package acme.billing.v1;

message Invoice {
  optional string id = 1;
}
```

## How to evolve safely

Add `syntax = "proto2";`: it is exactly what the compiler already assumed,
so nothing changes on the wire, in JSON or in generated code. Moving the file
to proto3 or to an edition is a separate change with its own compatibility
review (`FILE_SAME_SYNTAX` under `breaking`).
"#,
    check: Check::File(check),
};

/// `edition` in `FileDescriptorProto`.
const EDITION: i32 = 14;

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let specified = if cx.index.has(&[]) {
        // With source info, the statement itself is the evidence: the
        // descriptor's `syntax` field is the same for an explicit and an
        // implied proto2.
        cx.index.has(&[tag::SYNTAX]) || cx.index.has(&[EDITION])
    } else {
        cx.file.file_descriptor_proto().syntax.is_some()
    };
    if !specified {
        // There is no statement to point at: Buf reports the file itself.
        sink.report(
            cx.file.name(),
            &[],
            &[],
            "Files must have a syntax explicitly specified. If no syntax is specified, \
             the file defaults to \"proto2\".",
        );
    }
}
