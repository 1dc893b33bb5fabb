use crate::breaking::deletion::{Element, report_deleted_from_files};

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "SERVICE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::File],
    v1_categories: Some(&[Category::File]),
    v1_exists: true,
    summary: "Services are not deleted from a file.",
    doc: r#"## What it catches

A service that existed in a file and is gone from that file: deleted,
renamed, or moved to another file. Like Buf, the finding is reported on the
whole file (1:1), since a service has no enclosing element.

## Why it matters

Every client calling the service gets `UNIMPLEMENTED` (or a 404 over HTTP
and Connect) because the route `/pkg.Service/Method` is gone. Generated
client stubs and server interfaces disappear, so code that uses them stops
compiling; a service moved to another file changes the generated file or
import path in most languages.

## Bad

```proto
// before
service BillingService { rpc Charge(ChargeRequest) returns (ChargeResponse); }
// after: the service is gone
```

## Good

```proto
service BillingService {
  option deprecated = true;
  rpc Charge(ChargeRequest) returns (ChargeResponse);
}
```

## How to evolve safely

Deprecate the service, watch its traffic until it stops, and remove it in a
new major version of the package. To move a service between files of one
package, use the `PACKAGE` category.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    report_deleted_from_files(cx, sink, Element::Service);
}
