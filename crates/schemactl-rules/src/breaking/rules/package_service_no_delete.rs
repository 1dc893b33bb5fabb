use crate::breaking::{BreakingSink, PairCx};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_SERVICE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "Services are not deleted from a package.",
    doc: r#"## What it catches

A service that existed in a package and no longer exists anywhere in that
package. Moving a service between files of the package is fine. Like Buf,
the finding is reported on the whole file the service was in (1:1), or
nowhere if that file is gone too. A package with no file left is
`PACKAGE_NO_DELETE`'s business.

## Why it matters

Every client calling `/pkg.Service/Method` gets `UNIMPLEMENTED` (or HTTP
404), and the generated client and server code disappears, so callers stop
compiling.

## Bad

```proto
// before: service UserService in pkg.v1
// after: UserService exists in no file of pkg.v1
```

## Good

```proto
// moving UserService to another file of pkg.v1 is fine
service UserService {
  option deprecated = true;
  rpc GetUser(GetUserRequest) returns (GetUserResponse);
}
```

## How to evolve safely

Deprecate the service, watch its traffic until it stops, and remove it in a
new major version of the package.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    let current_files = cx.current_files();
    for previous_file in cx.previous_files() {
        let package = previous_file.package_name();
        // Unlike messages, enums and extensions, Buf compares the services
        // of every package that still has a file, even one with no service.
        let mut in_package = current_files
            .iter()
            .filter(|f| f.package_name() == package)
            .peekable();
        if in_package.peek().is_none() {
            continue; // the package is gone: PACKAGE_NO_DELETE
        }
        let current: Vec<String> = in_package
            .flat_map(|f| {
                f.services()
                    .map(|s| s.name().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        for previous in previous_file.services() {
            if current.iter().any(|c| c == previous.name()) {
                continue;
            }
            let text = format!(
                "Previously present service \"{}\" was deleted from package \"{package}\".",
                previous.name()
            );
            match cx.current_file(previous_file.name()) {
                Some(file) => sink.report(file.name(), &[], &[], text),
                None => sink.report_unlocated(text),
            }
        }
    }
}
