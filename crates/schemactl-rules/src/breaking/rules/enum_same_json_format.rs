use crate::breaking::helpers::json_format::json_format_dropped;

use crate::breaking::{BreakingSink, PairCx};
use crate::features::{enum_json_format, paths};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_SAME_JSON_FORMAT",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_JSON_AND_UP,
    v1_categories: Some(Category::WIRE_JSON_AND_UP_V1),
    v1_exists: true,
    summary: "An enum keeps full JSON support.",
    doc: r#"## What it catches

An enum whose JSON support (the resolved `features.json_format`) went from
`ALLOW` to `LEGACY_BEST_EFFORT`. Enums in proto3 files get `ALLOW`, enums in
proto2 files `LEGACY_BEST_EFFORT`, editions `ALLOW` unless the file or the
enum says otherwise. Moving an enum from a proto3 file to a proto2 file,
turning its file into proto2, or setting `LEGACY_BEST_EFFORT` in editions is
reported; the opposite direction only adds guarantees and is accepted.

## Why it matters

With `ALLOW` the compiler guarantees that the enum maps cleanly to JSON
(for example, no two value names that clash once case is ignored). With
`LEGACY_BEST_EFFORT` those checks are off, so later edits can introduce
values that JSON readers cannot tell apart, breaking JSON clients.

## Bad

```proto
// before
syntax = "proto3";
enum Color { COLOR_UNSPECIFIED = 0; COLOR_RED = 1; }
// after
syntax = "proto2";
enum Color { COLOR_UNSPECIFIED = 0; COLOR_RED = 1; }
```

## Good

```proto
syntax = "proto3";
enum Color { COLOR_UNSPECIFIED = 0; COLOR_RED = 1; COLOR_BLUE = 2; }
```

## How to evolve safely

Keep enums that JSON clients rely on in proto3 files.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.enum_pairs() {
        if let Some((before, after)) =
            json_format_dropped(enum_json_format(&previous), enum_json_format(&current))
        {
            // At `features.json_format` when the enum sets it itself.
            let file = current.parent_file();
            let at = [current.path(), &paths::ENUM_JSON_FORMAT].concat();
            let at = cx
                .first_located(file.name(), &[&at])
                .unwrap_or_else(|| current.path().to_vec());
            sink.report(
                file.name(),
                current.path(),
                &at,
                format!(
                    "Enum \"{}\" JSON format support changed from {before} to {after}.",
                    current.name()
                ),
            );
        }
    }
}
