use crate::breaking::{BreakingSink, PairCx};
use crate::features::{FileSyntax, syntax};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_SYNTAX",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package, Category::Csr],
    v1_categories: Some(&[Category::File, Category::Package]),
    v1_exists: true,
    summary: "A file keeps its syntax.",
    doc: r#"## What it catches

A file whose `syntax` changed, for example from `proto2` to `proto3`, or
from either to editions. A file without a `syntax` statement is `proto2`,
so adding `syntax = "proto2";` is not a change. As in Buf, every editions
file counts as `editions`: going from edition 2023 to 2024 is not reported
here (the rules on features report what it changes).

## Why it matters

The syntax decides field presence, default values, enum openness and how
repeated scalars are packed. Moving between proto2 and proto3 changes what
readers see for unset fields (proto2 custom defaults disappear), whether
unknown enum values are kept, and the generated API: `has_` accessors come
and go, required fields and extensions are not allowed in proto3, and JSON
output changes because proto3 omits zero values.

## Bad

```proto
// before
syntax = "proto2";
message User { optional string name = 1 [default = "anonymous"]; }
// after
syntax = "proto3";
message User { string name = 1; }
```

## Good

```proto
syntax = "proto2";  // unchanged
message User { optional string name = 1 [default = "anonymous"]; }
```

## How to evolve safely

Keep the syntax of existing files. Write new packages (or a new package
version) in the new syntax and migrate to them.
"#,
    check: Check::Breaking(check),
};

/// `syntax` is field 12 of `FileDescriptorProto`, `edition` field 14. Buf
/// calls every editions file "editions" (a change between editions is not
/// a syntax change) and points at the `edition` statement.
fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.matched_file_pairs() {
        let (before, after) = (syntax(&previous), syntax(&current));
        if before != after {
            let at: &[i32] = if after == FileSyntax::Editions {
                &[14]
            } else {
                &[12]
            };
            sink.report(
                current.name(),
                at,
                at,
                format!(
                    "File syntax changed from \"{}\" to \"{}\".",
                    before.as_str(),
                    after.as_str()
                ),
            );
        }
    }
}
