use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "ONEOF_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package, Category::Csr],
    v1_categories: Some(&[Category::File, Category::Package]),
    v1_exists: true,
    summary: "Oneofs are not deleted from messages.",
    doc: r#"## What it catches

A `oneof` that existed in a message and is gone from the message of the same
full name (matched by name, so a renamed oneof counts too). The synthetic
oneofs of proto3 `optional` fields are not oneofs you wrote and are left to
the field presence rules. The finding is placed on the current message.

## Why it matters

The fields of a oneof exclude each other: setting one clears the others.
When the oneof goes, readers built from the new schema accept several of the
former members at once, and data they write can no longer be read correctly
by old readers, which keep only the last member seen. Generated code loses
the oneof's case enum and accessor (`getKindCase()`, Go interface types),
so code that switches on it stops compiling.

## Bad

```proto
message Payment {
  oneof method {
    Card card = 1;
    BankTransfer transfer = 2;
  }
}
// after: the fields stay but the oneof is gone
message Payment {
  Card card = 1;
  BankTransfer transfer = 2;
}
```

## Good

```proto
message Payment {
  oneof method {
    Card card = 1;
    BankTransfer transfer = 2;
    Wallet wallet = 3; // adding a member is fine
  }
}
```

## How to evolve safely

Keep the oneof. To retire it, deprecate its fields and introduce new fields
(outside the oneof, on new numbers) in a new major version.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (current, oneof) in cx.deleted_oneofs() {
        sink.report_on(
            &current,
            format!(
                "Previously present oneof \"{}\" on message \"{}\" was deleted.",
                oneof.name(),
                current.name()
            ),
        );
    }
}
