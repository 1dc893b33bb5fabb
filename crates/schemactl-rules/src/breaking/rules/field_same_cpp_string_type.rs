use prost_types::field_descriptor_proto::Type;

use crate::breaking::helpers::field::AnyField;
use crate::breaking::{BreakingSink, PairCx};
use crate::features::{CppStringType, cpp_string_type, paths};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_CPP_STRING_TYPE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A string or bytes field keeps its C++ string type (ctype).",
    doc: r#"## What it catches

A `string` or `bytes` field whose C++ representation changed: the `ctype`
option (`STRING`, the default when unset, `CORD` or `STRING_PIECE`) or, in
editions, the `features.(pb.cpp).string_type` feature (`STRING`, `CORD`,
`VIEW`; `VIEW` is edition 2024's default). Going from `STRING_PIECE` to
`STRING` is allowed. Map keys and values cannot set either and are
skipped.

## Why it matters

The wire and JSON forms are unchanged, but the generated C++ accessors
change type (`const std::string&` versus `absl::Cord`), so C++ callers stop
compiling or copy data where they did not before.

## Bad

```proto
message Blob {
  bytes data = 1;                   // before
  bytes data = 1 [ctype = CORD];    // after
}
```

## Good

```proto
message Blob {
  bytes data = 1;
  bytes data_cord = 2 [ctype = CORD];   // a new field for the new type
}
```

## How to evolve safely

Choose the C++ string type when adding the field; to change it, add a new
field and migrate C++ callers.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.field_pairs() {
        if previous.in_map_entry() && current.in_map_entry() {
            continue;
        }
        let stringy = |f: &AnyField| matches!(f.ty(), Type::String | Type::Bytes);
        if !stringy(&previous) || !stringy(&current) {
            continue;
        }
        let (before, after) = (
            cpp_string_type(previous.as_ref()),
            cpp_string_type(current.as_ref()),
        );
        // Moving from `STRING_PIECE` to `STRING` is not breaking.
        if before == after
            || (before == CppStringType::StringPiece && after == CppStringType::String)
        {
            continue;
        }
        // At `ctype`, else at `(pb.cpp).string_type`, else the field.
        let ctype = current.sub_path(&paths::FIELD_CTYPE);
        let feature = current.sub_path(&paths::FIELD_CPP_STRING_TYPE);
        let at = cx
            .first_located(current.file().name(), &[&ctype, &feature])
            .unwrap_or(ctype);
        current.report(
            sink,
            &at,
            format!(
                "{} changed C++ string type from \"{}\" to \"{}\".",
                current.description(),
                before.as_str(),
                after.as_str()
            ),
        );
    }
}
