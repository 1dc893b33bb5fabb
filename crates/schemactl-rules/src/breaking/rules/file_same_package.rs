use crate::breaking::helpers::file::check_file_value;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_PACKAGE",
    kind: RuleKind::Breaking,
    categories: Category::WIRE_AND_UP,
    v1_categories: Some(Category::WIRE_AND_UP_V1),
    v1_exists: true,
    summary: "A file keeps its package.",
    doc: r#"## What it catches

A file whose `package` statement changed, was added or was removed.

## Why it matters

The package is part of every full name in the file: `acme.user.v1.User`
becomes a different type when the package changes. On the wire the field
numbers still line up, but everything that names types breaks: `Any`
payloads carry the old type URL, gRPC routes requests to
`/acme.user.v1.UserService/...` and returns `UNIMPLEMENTED` once the service
lives under another package, JSON and text-format tooling resolve types by
full name, and generated code moves to another namespace or module, so every
import stops compiling.

## Bad

```proto
// before
package acme.user.v1;
// after
package acme.users.v1;
```

## Good

```proto
// keep the package; put new types in a new versioned package instead
package acme.user.v1;
```

## How to evolve safely

Never rename a package in place. Create the new package (`acme.user.v2`) in
new files next to the old one, migrate producers and consumers, and delete
the old files once nothing uses them (a deliberate `FILE_NO_DELETE` break).
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    check_file_value(cx, sink, &[2], "package", |f| f.package_name().to_owned());
}
