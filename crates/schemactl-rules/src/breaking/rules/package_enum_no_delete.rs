use crate::breaking::deletion::{Element, report_deleted_from_packages};

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_ENUM_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "Enums are not deleted from a package.",
    doc: r#"## What it catches

An enum (top-level or nested) that existed in a package and no longer exists
anywhere in that package. Moving an enum between files of the package is
fine. The finding is placed on the innermost enclosing message that still
exists in the enum's former file, else on that file, else (the file is gone
too) nowhere, at 1:1. Like Buf, nothing is reported for a package that has
no enum left at all.

## Why it matters

Fields of the enum type can no longer be declared and the generated enum
type disappears, so every user stops compiling; JSON, which writes enum
values by name, can no longer map them.

## Bad

```proto
// before: pkg.v1.Color in paint.proto
// after: Color exists in no file of pkg.v1
```

## Good

```proto
// moving Color to colors.proto (same package) is fine
enum Color {
  option deprecated = true;
  COLOR_UNSPECIFIED = 0;
}
```

## How to evolve safely

Deprecate the enum and the fields using it; remove it in a new major version
of the package.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    report_deleted_from_packages(cx, sink, Element::Enum);
}
