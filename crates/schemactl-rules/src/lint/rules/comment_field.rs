use crate::lint::comments::require_doc_comment;
use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use prost_types::FieldDescriptorProto;
use prost_types::field_descriptor_proto::Type;
use schemactl_compile::walk;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "COMMENT_FIELD",
    kind: RuleKind::Lint,
    categories: &[Category::Comments],
    v1_categories: None,
    v1_exists: true,
    summary: "Every field and extension has a leading documentation comment.",
    doc: r#"## What it catches

A field with no leading comment, or whose leading comment holds only blank
lines and `buf:lint:ignore` directives. This covers fields of nested
messages, fields inside a `oneof`, `map<>` fields and `optional` fields, and
extension fields declared in `extend` blocks. A trailing comment on the same
line does not count. Proto2 `group` fields are skipped: their comment belongs
to the group's message (see `COMMENT_MESSAGE`). Editions fields with
`features.message_encoding = DELIMITED` are ordinary fields and are
checked, as Buf does.

## Why it matters

Generators copy a field's leading comment onto the generated accessor or
struct field, and API references show it. A field's name and type rarely say
its unit, its format, who sets it or what its absence means; the comment is
the only contract consumers see.

## Bad

```proto
// A charge on a card.
message Charge {
  int64 amount = 1; // cents
}
```

## Good

```proto
// A charge on a card.
message Charge {
  // The amount in the currency's minor unit (cents for EUR).
  int64 amount = 1;
}
```

## How to evolve safely

Comments do not affect the wire format, JSON or generated APIs: adding them
is always safe. Move trailing comments above the field.
"#,
    check: Check::File(check),
};

/// Whether the field is declared with `group` (proto2). Buf skips these by
/// their declared type, so an editions field with delimited encoding (a
/// message field in the descriptor) still needs a comment.
fn declared_group(proto: &FieldDescriptorProto) -> bool {
    proto.r#type() == Type::Group
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for ext in cx.file.extensions() {
        if !declared_group(ext.field_descriptor_proto()) {
            require_doc_comment(cx, sink, ext.path(), "Field", ext.name());
        }
    }
    for message in walk::messages(&cx.file) {
        for field in message.fields() {
            if !declared_group(field.field_descriptor_proto()) {
                require_doc_comment(cx, sink, field.path(), "Field", field.name());
            }
        }
        for ext in message.child_extensions() {
            if !declared_group(ext.field_descriptor_proto()) {
                require_doc_comment(cx, sink, ext.path(), "Field", ext.name());
            }
        }
    }
}
