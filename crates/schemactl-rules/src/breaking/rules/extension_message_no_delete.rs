use crate::breaking::helpers::ranges::{MESSAGE_MAX, inclusive, removed_ranges};
use crate::breaking::pair::MapEntries;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "EXTENSION_MESSAGE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package, Category::Csr],
    v1_categories: Some(&[Category::File, Category::Package]),
    v1_exists: true,
    summary: "Extension ranges are not removed from messages.",
    doc: r#"## What it catches

A message whose `extensions` ranges no longer cover every number they
covered before: a range removed or narrowed. Ranges are compared as sets of
numbers, so splitting, merging or widening them is fine. The finding is
placed on the current message and lists the numbers that were removed.

## Why it matters

Other schemas (often in other repositories) declare extensions of the
message on numbers inside its extension ranges. Once a number leaves the
ranges, those `extend` blocks no longer compile, and a regular field may
later be added on the number, clashing on the wire with data that old
writers put there as an extension.

## Bad

```proto
message Options {
  // before: extensions 100 to 199;
  extensions 100 to 149;
}
```

## Good

```proto
message Options {
  extensions 100 to 299;  // widening is fine
}
```

## How to evolve safely

Only ever widen extension ranges. If part of a range must go, check that no
extension uses it anywhere, and make the change in a new major version.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.message_pairs(MapEntries::Exclude) {
        for text in removed_ranges(
            "extension",
            "message",
            current.name(),
            MESSAGE_MAX,
            &inclusive(previous.extension_ranges()),
            &inclusive(current.extension_ranges()),
        ) {
            sink.report_on(&current, text);
        }
    }
}
