use crate::breaking::deletion::{Element, report_deleted_from_packages};

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

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
    report_deleted_from_packages(cx, sink, Element::Service);
}
