use prost_types::field_descriptor_proto::Type;

use crate::breaking::helpers::field::AnyField;
use crate::breaking::{BreakingSink, PairCx};
use crate::features::{paths, utf8_validation};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_UTF8_VALIDATION",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A string field keeps its UTF-8 validation mode.",
    doc: r#"## What it catches

A `string` field whose UTF-8 validation mode changed: the resolved
`features.utf8_validation`. proto3 strings are validated (`VERIFY`), proto2
strings are not (`NONE`), editions default to `VERIFY` (file and field can
set it). Moving a message to a file that resolves differently, or changing
the file's syntax, edition or feature, is reported for each of its string
fields (map keys and values included), at the field's own
`features.utf8_validation` when it sets one.

## Why it matters

With `VERIFY`, parsers reject messages whose strings are not valid UTF-8.
Going from `NONE` to `VERIFY` can make data that was accepted yesterday fail
to parse; going from `VERIFY` to `NONE` lets invalid text through to readers
that rely on it being valid.

## Bad

```proto
// before: a.proto
syntax = "proto3";
message Note { string text = 1; }
// after: a.proto
syntax = "proto2";
message Note { optional string text = 1; }
```

## Good

```proto
// keep the file's syntax; add new messages in files of the same syntax
syntax = "proto3";
message Note { string text = 1; }
```

## How to evolve safely

Keep the syntax of existing files. If the data may not be valid UTF-8,
declare the field as `bytes` from the start.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    let mode = |f: &AnyField| utf8_validation(f.as_ref());
    for (previous, current, before, after) in cx.changed_fields(mode) {
        if previous.ty() != Type::String || current.ty() != Type::String {
            continue;
        }
        // At `features.utf8_validation` when the field sets it itself.
        let at = current.sub_path(&paths::FIELD_UTF8_VALIDATION);
        let at = cx
            .first_located(current.file().name(), &[&at])
            .unwrap_or_else(|| current.path());
        current.report(
            sink,
            &at,
            format!(
                "{} changed UTF8 validation from {} to {}.",
                current.description(),
                before.as_str(),
                after.as_str()
            ),
        );
    }
}
