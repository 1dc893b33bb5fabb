use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RPC_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package],
    v1_categories: None,
    v1_exists: true,
    summary: "RPCs are not deleted from services.",
    doc: r#"## What it catches

A method that existed in a service and is gone from the service of the same
full name (renaming a method counts as a deletion). The finding is placed on
the current service.

## Why it matters

Clients calling `/pkg.Service/Method` get `UNIMPLEMENTED` (HTTP 404 with
Connect or gRPC-Gateway) as soon as the server is deployed. The generated
client stub loses the method and the server interface no longer requires it,
so callers stop compiling while servers keep compiling: the break shows up
only at runtime, in production.

## Bad

```proto
service UserService {
  rpc GetUser(GetUserRequest) returns (GetUserResponse);
  // rpc DeleteUser(DeleteUserRequest) returns (DeleteUserResponse);  (deleted)
}
```

## Good

```proto
service UserService {
  rpc GetUser(GetUserRequest) returns (GetUserResponse);
  rpc DeleteUser(DeleteUserRequest) returns (DeleteUserResponse) {
    option deprecated = true;
  }
}
```

## How to evolve safely

Deprecate the method, keep serving it (possibly with an error that tells
callers what to use instead), watch its traffic, and remove it in a new
major version of the package.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (current, method) in cx.deleted_methods() {
        sink.report_on(
            &current,
            format!(
                "Previously present RPC \"{}\" on service \"{}\" was deleted.",
                method.name(),
                current.name()
            ),
        );
    }
}
