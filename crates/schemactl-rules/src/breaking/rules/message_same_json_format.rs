use prost_reflect::Syntax;

use super::field_same_type::{message_pairs, message_path};
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "MESSAGE_SAME_JSON_FORMAT",
    kind: RuleKind::Breaking,
    categories: &[
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Csr,
    ],
    v1_categories: Some(&[Category::File, Category::Package, Category::WireJson]),
    v1_exists: true,
    summary: "A message keeps full JSON support.",
    doc: r#"## What it catches

A message whose JSON support went from `ALLOW` to `LEGACY_BEST_EFFORT`.
Without editions this follows the file syntax: messages in proto3 files get
`ALLOW`, messages in proto2 files `LEGACY_BEST_EFFORT`. Moving a message
from a proto3 file to a proto2 file, or turning its file into proto2, is
reported; the opposite direction is accepted.

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
    for (previous, current) in message_pairs(cx) {
        let format = |syntax: Syntax| {
            if syntax == Syntax::Proto3 {
                "ALLOW"
            } else {
                "LEGACY_BEST_EFFORT"
            }
        };
        let before = format(previous.parent_file().syntax());
        let after = format(current.parent_file().syntax());
        if before == "ALLOW" && after != "ALLOW" {
            let path = message_path(&current);
            sink.report(
                current.parent_file().name(),
                &path,
                &path,
                format!(
                    "Message \"{}\" JSON format support changed from {before} to {after}.",
                    current.name()
                ),
            );
        }
    }
}
