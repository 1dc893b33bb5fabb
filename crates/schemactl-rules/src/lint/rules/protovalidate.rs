use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

/// The file that defines protovalidate's `buf.validate` options.
const PROTOVALIDATE_FILE: &str = "buf/validate/validate.proto";

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PROTOVALIDATE",
    kind: RuleKind::Lint,
    categories: &[Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "protovalidate constraints are valid (not checked yet: files importing protovalidate are flagged).",
    doc: r#"## What it catches

In Buf, this rule checks [protovalidate](https://github.com/bufbuild/protovalidate)
constraint annotations (`(buf.validate.field)`, `(buf.validate.message)`):
that each constraint fits the field's type, that bounds are consistent
(`min_len` not above `max_len`), and that CEL expressions compile.

**Known gap:** schemactl does not check protovalidate constraints yet. A file
without protovalidate annotations cannot break the rule, so it reports
nothing. A file that imports `buf/validate/validate.proto` gets one finding
on that import saying its constraints were not checked, so that a clean run
never suggests they were. Until this is implemented, keep running `buf lint`
for modules that use protovalidate, or list them under `ignore_only` for
`PROTOVALIDATE`.

## Why it matters

Constraints that cannot be satisfied, or that do not apply to the field's
type, fail at runtime in every service that validates the message, or
silently accept everything. Catching them at lint time keeps the schema's
promises true.

## Bad

```proto
import "buf/validate/validate.proto";

message User {
  // min_len is larger than max_len: no value can pass.
  string name = 1 [(buf.validate.field).string = {min_len: 10, max_len: 5}];
}
```

## Good

```proto
import "buf/validate/validate.proto";

message User {
  string name = 1 [(buf.validate.field).string = {min_len: 1, max_len: 64}];
}
```

## How to evolve safely

Tightening a constraint rejects data that used to be valid: loosen first,
tighten only after every producer complies. Constraints do not change the
wire format.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let deps = &cx.file.file_descriptor_proto().dependency;
    for (i, dep) in deps.iter().enumerate() {
        if dep != PROTOVALIDATE_FILE {
            continue;
        }
        sink.report_import(
            cx.file.name(),
            i,
            format!(
                "Import \"{PROTOVALIDATE_FILE}\": protovalidate constraint checking is not supported yet by schemactl, so the constraints in this file were not checked."
            ),
        );
    }
}
