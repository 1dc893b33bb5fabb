use crate::breaking::helpers::field::message_path;
use crate::breaking::helpers::json_format::json_format_dropped;
use crate::breaking::pair::MapEntries;

use crate::breaking::{BreakingSink, PairCx};
use crate::features::{message_json_format, paths};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "MESSAGE_SAME_JSON_FORMAT",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_JSON_AND_UP,
    v1_categories: Some(Category::WIRE_JSON_AND_UP_V1),
    v1_exists: true,
    summary: "A message keeps full JSON support.",
    doc: r#"## What it catches

A message whose JSON support (the resolved `features.json_format`) went
from `ALLOW` to `LEGACY_BEST_EFFORT`. Messages in proto3 files get `ALLOW`,
messages in proto2 files `LEGACY_BEST_EFFORT`, editions `ALLOW` unless the
file or an enclosing message says otherwise. Moving a message from a proto3
file to a proto2 file, turning its file into proto2, or setting
`LEGACY_BEST_EFFORT` in editions is reported; the opposite direction is
accepted.

## Why it matters

With `ALLOW` the compiler guarantees that the message maps cleanly to JSON,
for example that no two fields share a JSON name. With `LEGACY_BEST_EFFORT`
those checks are gone, so later edits can introduce JSON name clashes that
make the JSON form ambiguous for every JSON client.

## Bad

```proto
// before
syntax = "proto3";
message Event { string id = 1; }
// after
syntax = "proto2";
message Event { optional string id = 1; }
```

## Good

```proto
syntax = "proto3";
message Event { string id = 1; string source = 2; }
```

## How to evolve safely

Keep messages that JSON clients rely on in proto3 files.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.message_pairs(MapEntries::Include) {
        let file = current.parent_file();
        if let Some((before, after)) = json_format_dropped(
            message_json_format(&previous),
            message_json_format(&current),
        ) {
            // At `features.json_format` when the message sets it itself.
            let path = message_path(&current);
            let at = [&path[..], &paths::MESSAGE_JSON_FORMAT].concat();
            let at = cx
                .first_located(file.name(), &[&at])
                .unwrap_or(path.clone());
            sink.report(
                file.name(),
                &path,
                &at,
                format!(
                    "Message \"{}\" JSON format support changed from {before} to {after}.",
                    current.name()
                ),
            );
        }
    }
}
