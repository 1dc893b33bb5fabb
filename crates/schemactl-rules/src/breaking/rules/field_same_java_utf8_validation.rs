use prost_types::field_descriptor_proto::Type;

use crate::breaking::helpers::field::AnyField;
use crate::breaking::{BreakingSink, PairCx};
use crate::features::{java_utf8_validation, paths};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_JAVA_UTF8_VALIDATION",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "A string field keeps whether generated Java code validates UTF-8.",
    doc: r#"## What it catches

A `string` field whose UTF-8 validation in generated Java changed. Java
validates when the file sets `option java_string_check_utf8 = true` (in
editions: `features.(pb.java).utf8_validation = VERIFY`), and otherwise
follows the resolved `features.utf8_validation` (`VERIFY` in proto3 and
editions, `NONE` in proto2). So toggling the option or feature, or moving a
field between files that resolve differently, is reported.

## Why it matters

With validation on, Java parsers reject messages whose strings are not valid
UTF-8 and setters throw on bad input; with it off, invalid bytes pass
through. Turning it on can make previously accepted data unparseable in Java
services; turning it off lets invalid strings reach code that assumed they
were checked.

## Bad

```proto
syntax = "proto2";
option java_string_check_utf8 = true;   // added
message Note { optional string text = 1; }
```

## Good

```proto
syntax = "proto2";
message Note { optional string text = 1; }   // option left as it was
```

## How to evolve safely

Decide on `java_string_check_utf8` when the file is created. To change it,
make sure all data already written is valid UTF-8 and all Java consumers
are ready, and introduce it with a new package version.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    let validation = |f: &AnyField| java_utf8_validation(f.as_ref());
    for (previous, current, before, after) in cx.changed_fields(validation) {
        if previous.ty() != Type::String || current.ty() != Type::String {
            continue;
        }
        // At the file option when the current file sets it, else at the
        // field's `(pb.java).utf8_validation` feature, else the field.
        let feature = current.sub_path(&paths::FIELD_JAVA_UTF8_VALIDATION);
        let at = cx
            .first_located(
                current.file().name(),
                &[&paths::FILE_JAVA_STRING_CHECK_UTF8, &feature],
            )
            .unwrap_or_else(|| current.path());
        current.report(
            sink,
            &at,
            format!(
                "{} changed Java string UTF8 validation from \"{}\" to \"{}\".",
                current.description(),
                before.as_str(),
                after.as_str()
            ),
        );
    }
}
