use crate::breaking::deletion::{Element, report_deleted_from_files};

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ENUM_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Csr],
    v1_categories: Some(&[Category::File]),
    v1_exists: true,
    summary: "Enums are not deleted from a file.",
    doc: r#"## What it catches

An enum (top-level or nested in a message) that existed in a file and is
gone from that file: deleted, renamed, or moved to another file. The finding
is placed on the innermost enclosing message that still exists, or on the
whole file.

## Why it matters

Fields of the enum type can no longer be declared, so every schema and every
piece of generated code that names the enum stops compiling. Stored data
still carries the numbers, but nothing can turn them back into names, which
breaks JSON output (enum values are written by name) and any code that
switches on the constants.

## Bad

```proto
// before
enum Color { COLOR_UNSPECIFIED = 0; COLOR_RED = 1; }
message Paint { Color color = 1; }
// after: Color is gone and the field became an int32
message Paint { int32 color = 1; }
```

## Good

```proto
enum Color {
  option deprecated = true;
  COLOR_UNSPECIFIED = 0;
  COLOR_RED = 1;
}
```

## How to evolve safely

Deprecate the enum and the fields that use it, and remove it only in a new
major version of the package. To move an enum to another file of the same
package, use the `PACKAGE` category, which only reports enums deleted from
the package.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    report_deleted_from_files(cx, sink, Element::Enum);
}
