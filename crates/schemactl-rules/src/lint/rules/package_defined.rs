use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_DEFINED",
    kind: RuleKind::Lint,
    categories: &[Category::Minimal, Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Every file declares a package.",
    doc: r#"## What it catches

A `.proto` file without a `package` statement.

## Why it matters

Without a package, every message, enum and service of the file lives in the
global namespace: its full name is just `User`, so two teams that both define
`User` cannot be compiled together, and `Any` type URLs
(`type.googleapis.com/User`) and gRPC paths (`/UserService/Get`) become
ambiguous. Generators also fall back to guessing the output package from the
file path, which differs between languages.

## Bad

```proto
syntax = "proto3";

message User {
  string id = 1;
}
```

## Good

```proto
syntax = "proto3";

package acme.identity.v1;

message User {
  string id = 1;
}
```

## How to evolve safely

Adding a package renames every type and service of the file: the binary wire
format of messages does not change, but JSON `Any` payloads, gRPC method
paths and generated code do. Declare the package before the first release;
for a file already in use, define the types again in a packaged file, move
clients over, then delete the old file.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    if cx.file.package_name().is_empty() {
        // There is no statement to point at: Buf reports the file itself.
        sink.report(
            cx.file.name(),
            &[],
            &[],
            "Files must have a package defined.",
        );
    }
}
