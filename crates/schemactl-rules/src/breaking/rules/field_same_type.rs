use prost_reflect::{
    Cardinality, ExtensionDescriptor, FieldDescriptor, FileDescriptor, Kind, MessageDescriptor,
    Value,
};
use prost_types::FieldDescriptorProto;
use prost_types::field_descriptor_proto::Type;

use crate::breaking::{BreakingSink, PairCx};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::walk::tag;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_TYPE",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package, Category::Csr],
    v1_categories: Some(&[Category::File, Category::Package]),
    v1_exists: true,
    summary: "A field keeps its exact type: same scalar type, same message or enum.",
    doc: r#"## What it catches

A field (or extension) whose declared type changed: one scalar type for
another (`int32` to `int64`, `string` to `bytes`), a scalar for a message or
an enum, a group for a message, or a reference to a different message or
enum, even one with the same shape. Fields are matched by number within a
message of the same full name, wherever that message now lives.

## Why it matters

Some type changes happen to keep the wire format (`int32` and `int64` are
both varints), but almost none keep the generated code: accessors change
their return types, so every caller stops compiling or, worse, silently
truncates. The JSON form changes too (`int64` is a string in JSON, `int32` a
number), and a different message type means old payloads are decoded with the
wrong schema.

## Bad

```proto
message Order {
  int32 quantity = 1;   // before
  int64 quantity = 1;   // after
}
```

## Good

```proto
message Order {
  int32 quantity = 1 [deprecated = true];
  int64 quantity_v2 = 2;
}
```

## How to evolve safely

Add a new field with the new type, write both during the migration, move
readers to the new field, then deprecate and finally reserve the old one. If
only the wire format matters to you, the WIRE and WIRE_JSON categories use
`FIELD_WIRE_COMPATIBLE_TYPE` and `FIELD_WIRE_JSON_COMPATIBLE_TYPE`, which
allow the encoding-compatible changes.
"#,
    check: Check::Breaking(check),
};

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in field_pairs(cx) {
        if previous.ty() != current.ty() {
            report_changed_kind(sink, &previous, &current, "");
        } else if matches!(current.ty(), Type::Enum | Type::Group | Type::Message)
            && previous.type_full_name() != current.type_full_name()
        {
            report_changed_type_name(sink, &previous, &current);
        }
    }
}

// ---------------------------------------------------------------------------
// Field pairing and descriptions shared by the FIELD_* breaking rules.
// ---------------------------------------------------------------------------

/// A message field or an extension, with what the field rules need from
/// either.
#[derive(Clone)]
pub(super) enum AnyField {
    Field(FieldDescriptor),
    Extension(ExtensionDescriptor),
}

impl AnyField {
    pub(super) fn proto(&self) -> &FieldDescriptorProto {
        match self {
            AnyField::Field(f) => f.field_descriptor_proto(),
            AnyField::Extension(e) => e.field_descriptor_proto(),
        }
    }

    /// The name Buf shows: extensions go by their full name.
    pub(super) fn display_name(&self) -> &str {
        match self {
            AnyField::Field(f) => f.name(),
            AnyField::Extension(e) => e.full_name(),
        }
    }

    pub(super) fn is_extension(&self) -> bool {
        matches!(self, AnyField::Extension(_))
    }

    pub(super) fn file(&self) -> FileDescriptor {
        match self {
            AnyField::Field(f) => f.parent_file(),
            AnyField::Extension(e) => e.parent_file(),
        }
    }

    pub(super) fn kind(&self) -> Kind {
        match self {
            AnyField::Field(f) => f.kind(),
            AnyField::Extension(e) => e.kind(),
        }
    }

    /// The declared type, `group` included.
    pub(super) fn ty(&self) -> Type {
        self.proto().r#type()
    }

    /// The full name of the message or enum type, without a leading dot.
    pub(super) fn type_full_name(&self) -> String {
        match self.kind() {
            Kind::Message(m) => m.full_name().to_owned(),
            Kind::Enum(e) => e.full_name().to_owned(),
            _ => self.proto().type_name().trim_start_matches('.').to_owned(),
        }
    }

    pub(super) fn json_name(&self) -> &str {
        match self {
            AnyField::Field(f) => f.json_name(),
            AnyField::Extension(e) => e.json_name(),
        }
    }

    pub(super) fn is_list(&self) -> bool {
        match self {
            AnyField::Field(f) => f.is_list(),
            AnyField::Extension(e) => e.is_list(),
        }
    }

    pub(super) fn is_map(&self) -> bool {
        match self {
            AnyField::Field(f) => f.is_map(),
            AnyField::Extension(e) => e.is_map(),
        }
    }

    pub(super) fn default_value(&self) -> Value {
        match self {
            AnyField::Field(f) => f.default_value(),
            AnyField::Extension(e) => e.default_value(),
        }
    }

    /// The cardinality as Buf names it.
    pub(super) fn cardinality(&self) -> FieldCardinality {
        let (cardinality, presence) = match self {
            AnyField::Field(f) => (f.cardinality(), f.supports_presence()),
            AnyField::Extension(e) => (e.cardinality(), e.supports_presence()),
        };
        if self.is_map() {
            FieldCardinality::Map
        } else if cardinality == Cardinality::Repeated {
            FieldCardinality::Repeated
        } else if cardinality == Cardinality::Required {
            FieldCardinality::Required
        } else if presence {
            FieldCardinality::Explicit
        } else {
            FieldCardinality::Implicit
        }
    }

    /// The oneof the field was written in (not the synthetic oneof of a
    /// proto3 `optional`).
    pub(super) fn oneof_name(&self) -> Option<String> {
        match self {
            AnyField::Field(f) => f
                .containing_oneof()
                .filter(|o| !o.is_synthetic())
                .map(|o| o.name().to_owned()),
            AnyField::Extension(_) => None,
        }
    }

    /// The message declaring the field (for extensions: none).
    pub(super) fn parent_message(&self) -> Option<MessageDescriptor> {
        match self {
            AnyField::Field(f) => Some(f.parent_message().clone()),
            AnyField::Extension(_) => None,
        }
    }

    pub(super) fn in_map_entry(&self) -> bool {
        self.parent_message().is_some_and(|m| m.is_map_entry())
    }

    /// The proto3-or-proto2 file syntax of the declaring file is what
    /// decides defaults like UTF-8 validation and open enums.
    pub(super) fn is_proto3(&self) -> bool {
        self.file().syntax() == prost_reflect::Syntax::Proto3
    }

    /// `Field "1" with name "x" on message "M"`, as Buf words it.
    pub(super) fn description(&self) -> String {
        self.description_with_name(Some(self.display_name()))
    }

    pub(super) fn description_with_name(&self, name: Option<&str>) -> String {
        let name = name.map_or(String::new(), |n| format!(" with name \"{n}\""));
        match self {
            AnyField::Field(f) => format!(
                "Field \"{}\"{name} on message \"{}\"",
                f.number(),
                f.parent_message().name()
            ),
            AnyField::Extension(e) => format!(
                "Extension \"{}\"{name} on message \"{}\"",
                e.number(),
                e.containing_message().full_name()
            ),
        }
    }

    /// The `SourceCodeInfo` path of the field. The fields of a map entry
    /// have no source of their own; Buf places them on the `map<K, V>` type
    /// of the map field, so they get that path.
    fn base_path(&self) -> (Vec<i32>, bool) {
        match self {
            AnyField::Field(f) => {
                let message = f.parent_message();
                match map_type_path(message) {
                    Some(path) => (path, true),
                    None => (f.path().to_vec(), false),
                }
            }
            AnyField::Extension(e) => (e.path().to_vec(), false),
        }
    }

    /// The path of the field itself, for the finding's element.
    pub(super) fn path(&self) -> Vec<i32> {
        self.base_path().0
    }

    /// The path of a part of the field (`suffix` after the field's path).
    pub(super) fn sub_path(&self, suffix: &[i32]) -> Vec<i32> {
        let (mut path, synthetic) = self.base_path();
        if !synthetic {
            path.extend_from_slice(suffix);
        }
        path
    }

    /// Where the type of the field is written: the type keyword for scalars,
    /// the type name for messages and enums, the `group` keyword for groups.
    pub(super) fn type_path(&self) -> Vec<i32> {
        match self.ty() {
            Type::Message | Type::Enum => self.sub_path(&[tag::FIELD_TYPE_NAME]),
            _ => self.sub_path(&[tag::FIELD_TYPE]),
        }
    }

    /// Report a finding on this (current) field at `at`, falling back to
    /// the whole field when `at` has no source location.
    pub(super) fn report(&self, sink: &mut BreakingSink, at: &[i32], message: String) {
        let path = self.path();
        sink.report(self.file().name(), &path, at, message);
    }
}

/// Field cardinalities, with Buf's distinction between explicit and
/// implicit presence.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum FieldCardinality {
    Explicit,
    Implicit,
    Required,
    Repeated,
    Map,
}

impl FieldCardinality {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            FieldCardinality::Explicit => "optional with explicit presence",
            FieldCardinality::Implicit => "optional with implicit presence",
            FieldCardinality::Required => "required",
            FieldCardinality::Repeated => "repeated",
            FieldCardinality::Map => "map",
        }
    }
}

/// For a map entry message, the path of the `map<K, V>` type of its map
/// field, where Buf places the entry and its fields.
fn map_type_path(message: &MessageDescriptor) -> Option<Vec<i32>> {
    if !message.is_map_entry() {
        return None;
    }
    let map_field = message
        .parent_message()?
        .fields()
        .find(|f| match f.kind() {
            Kind::Message(m) => m.full_name() == message.full_name(),
            _ => false,
        })?;
    let mut path = map_field.path().to_vec();
    path.push(tag::FIELD_TYPE_NAME);
    Some(path)
}

/// Where a message is: its own path, or for a map entry the map type.
pub(super) fn message_path(message: &MessageDescriptor) -> Vec<i32> {
    map_type_path(message).unwrap_or_else(|| message.path().to_vec())
}

/// Every message of the previous files (map entries included, which
/// `PairCx::message_pairs_in_package` leaves out) paired with the current
/// message of the same full name in any current input file, as Buf pairs
/// messages.
pub(super) fn message_pairs(cx: &PairCx<'_>) -> Vec<(MessageDescriptor, MessageDescriptor)> {
    cx.previous_files()
        .iter()
        .flat_map(all_messages)
        .filter_map(|m| {
            let c = cx.current_message(m.full_name())?;
            Some((m, c))
        })
        .collect()
}

/// Every message of a file, nested ones and map entries included.
fn all_messages(file: &FileDescriptor) -> Vec<MessageDescriptor> {
    fn push(m: MessageDescriptor, out: &mut Vec<MessageDescriptor>) {
        let nested: Vec<_> = m.child_messages().collect();
        out.push(m);
        for n in nested {
            push(n, out);
        }
    }
    let mut out = Vec::new();
    for m in file.messages() {
        push(m, &mut out);
    }
    out
}

/// Every extension declared in a file, nested ones included.
fn all_extensions(file: &FileDescriptor) -> Vec<ExtensionDescriptor> {
    let mut out: Vec<ExtensionDescriptor> = file.extensions().collect();
    for m in all_messages(file) {
        out.extend(m.child_extensions());
    }
    out
}

/// The fields of the previous images paired with the current fields, as
/// Buf pairs them: fields by number within messages of the same full name
/// (in any current input file, map entries included), extensions by
/// extendee and number.
pub(super) fn field_pairs(cx: &PairCx<'_>) -> Vec<(AnyField, AnyField)> {
    let mut out = Vec::new();
    let previous_files = cx.previous_files();
    for (previous, current) in message_pairs(cx) {
        for field in previous.fields() {
            if let Some(c) = current.get_field(field.number()) {
                out.push((AnyField::Field(field), AnyField::Field(c)));
            }
        }
    }
    let current_extensions: Vec<ExtensionDescriptor> = cx
        .current
        .input_files()
        .filter_map(|f| cx.current_file(&f.name))
        .flat_map(|f| all_extensions(&f))
        .collect();
    for file in &previous_files {
        for previous in all_extensions(file) {
            let extendee = previous.containing_message();
            if let Some(c) = current_extensions.iter().find(|c| {
                c.number() == previous.number()
                    && c.containing_message().full_name() == extendee.full_name()
            }) {
                out.push((
                    AnyField::Extension(previous),
                    AnyField::Extension(c.clone()),
                ));
            }
        }
    }
    out
}

/// `… changed type from "int32" to "message".` at the current type.
pub(super) fn report_changed_kind(
    sink: &mut BreakingSink,
    previous: &AnyField,
    current: &AnyField,
    extra: &str,
) {
    current.report(
        sink,
        &current.type_path(),
        format!(
            "{} changed type from \"{}\" to \"{}\".{extra}",
            current.description(),
            type_str(previous.ty()),
            type_str(current.ty()),
        ),
    );
}

/// `… changed type from "pkg.A" to "pkg.B".` at the current type name.
pub(super) fn report_changed_type_name(
    sink: &mut BreakingSink,
    previous: &AnyField,
    current: &AnyField,
) {
    current.report(
        sink,
        &current.type_path(),
        format!(
            "{} changed type from \"{}\" to \"{}\".",
            current.description(),
            previous.type_full_name(),
            current.type_full_name(),
        ),
    );
}

pub(super) fn type_str(ty: Type) -> &'static str {
    match ty {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Group => "group",
        Type::Message => "message",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Enum => "enum",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
    }
}
