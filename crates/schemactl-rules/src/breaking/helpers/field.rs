//! Fields and extensions as the `FIELD_*` breaking rules see them: one
//! [`AnyField`] view over both, Buf's wording of a field, its source paths
//! (map entry fields sit on the `map<K, V>` type) and the checks shared by
//! the type and cardinality rules.

use prost_reflect::{
    ExtensionDescriptor, FieldDescriptor, FileDescriptor, Kind, MessageDescriptor, Value,
};
use prost_types::FieldDescriptorProto;
use prost_types::field_descriptor_proto::Type;
use schemactl_compile::walk::tag;

use crate::breaking::{BreakingSink, PairCx};
use crate::features::{self, FieldRef, Presence};

/// A message field or an extension, with what the field rules need from
/// either.
#[derive(Clone)]
pub enum AnyField {
    Field(FieldDescriptor),
    Extension(ExtensionDescriptor),
}

impl AnyField {
    pub fn proto(&self) -> &FieldDescriptorProto {
        match self {
            AnyField::Field(f) => f.field_descriptor_proto(),
            AnyField::Extension(e) => e.field_descriptor_proto(),
        }
    }

    /// The name Buf shows: extensions go by their full name.
    pub fn display_name(&self) -> &str {
        match self {
            AnyField::Field(f) => f.name(),
            AnyField::Extension(e) => e.full_name(),
        }
    }

    pub fn is_extension(&self) -> bool {
        matches!(self, AnyField::Extension(_))
    }

    pub fn file(&self) -> FileDescriptor {
        match self {
            AnyField::Field(f) => f.parent_file(),
            AnyField::Extension(e) => e.parent_file(),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            AnyField::Field(f) => f.kind(),
            AnyField::Extension(e) => e.kind(),
        }
    }

    /// The field as [`features`] takes it.
    pub fn as_ref(&self) -> FieldRef<'_> {
        match self {
            AnyField::Field(f) => FieldRef::Field(f),
            AnyField::Extension(e) => FieldRef::Extension(e),
        }
    }

    /// The declared type, `group` included.
    pub fn ty(&self) -> Type {
        self.proto().r#type()
    }

    /// The type as encoded: the declared type, but `group` for a message
    /// field with delimited encoding (which editions declare as a message).
    /// Buf's type rules compare this (protoreflect's `Kind`).
    pub fn encoded_type(&self) -> Type {
        if features::delimited(self.as_ref()) {
            Type::Group
        } else {
            self.ty()
        }
    }

    /// The encoded type as Buf names it: a delimited message is `group` in
    /// proto2 and `message (delimited encoding)` elsewhere.
    pub fn encoded_type_str(&self) -> &'static str {
        match self.encoded_type() {
            Type::Group => features::delimited_type_name(&self.file()),
            ty => type_str(ty),
        }
    }

    /// The full name of the message or enum type, without a leading dot.
    pub fn type_full_name(&self) -> String {
        match self.kind() {
            Kind::Message(m) => m.full_name().to_owned(),
            Kind::Enum(e) => e.full_name().to_owned(),
            _ => self.proto().type_name().trim_start_matches('.').to_owned(),
        }
    }

    pub fn json_name(&self) -> &str {
        match self {
            AnyField::Field(f) => f.json_name(),
            AnyField::Extension(e) => e.json_name(),
        }
    }

    pub fn is_list(&self) -> bool {
        match self {
            AnyField::Field(f) => f.is_list(),
            AnyField::Extension(e) => e.is_list(),
        }
    }

    pub fn is_map(&self) -> bool {
        match self {
            AnyField::Field(f) => f.is_map(),
            AnyField::Extension(e) => e.is_map(),
        }
    }

    pub fn default_value(&self) -> Value {
        match self {
            AnyField::Field(f) => f.default_value(),
            AnyField::Extension(e) => e.default_value(),
        }
    }

    /// The cardinality as Buf names it, from the resolved presence.
    pub fn cardinality(&self) -> FieldCardinality {
        if self.is_map() {
            return FieldCardinality::Map;
        }
        if self.is_list() {
            return FieldCardinality::Repeated;
        }
        match features::presence(self.as_ref()) {
            Presence::LegacyRequired => FieldCardinality::Required,
            Presence::Explicit => FieldCardinality::Explicit,
            Presence::Implicit => FieldCardinality::Implicit,
        }
    }

    /// The oneof the field was written in (not the synthetic oneof of a
    /// proto3 `optional`).
    pub fn oneof_name(&self) -> Option<String> {
        match self {
            AnyField::Field(f) => f
                .containing_oneof()
                .filter(|o| !o.is_synthetic())
                .map(|o| o.name().to_owned()),
            AnyField::Extension(_) => None,
        }
    }

    /// The message declaring the field (for extensions: none).
    pub fn parent_message(&self) -> Option<MessageDescriptor> {
        match self {
            AnyField::Field(f) => Some(f.parent_message().clone()),
            AnyField::Extension(_) => None,
        }
    }

    pub fn in_map_entry(&self) -> bool {
        self.parent_message().is_some_and(|m| m.is_map_entry())
    }

    /// `Field "1" with name "x" on message "M"`, as Buf words it.
    pub fn description(&self) -> String {
        self.description_with_name(Some(self.display_name()))
    }

    pub fn description_with_name(&self, name: Option<&str>) -> String {
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
    pub fn path(&self) -> Vec<i32> {
        self.base_path().0
    }

    /// The path of a part of the field (`suffix` after the field's path).
    pub fn sub_path(&self, suffix: &[i32]) -> Vec<i32> {
        let (mut path, synthetic) = self.base_path();
        if !synthetic {
            path.extend_from_slice(suffix);
        }
        path
    }

    /// Where the type of the field is written: the type keyword for scalars,
    /// the type name for messages and enums, the `group` keyword for groups.
    pub fn type_path(&self) -> Vec<i32> {
        match self.ty() {
            Type::Message | Type::Enum => self.sub_path(&[tag::FIELD_TYPE_NAME]),
            _ => self.sub_path(&[tag::FIELD_TYPE]),
        }
    }

    /// Report a finding on this (current) field at `at`, falling back to
    /// the whole field when `at` has no source location.
    pub fn report(&self, sink: &mut BreakingSink, at: &[i32], message: String) {
        let path = self.path();
        sink.report(self.file().name(), &path, at, message);
    }
}

/// Field cardinalities, with Buf's distinction between explicit and
/// implicit presence.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FieldCardinality {
    Explicit,
    Implicit,
    Required,
    Repeated,
    Map,
}

impl FieldCardinality {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldCardinality::Explicit => "optional with explicit presence",
            FieldCardinality::Implicit => "optional with implicit presence",
            FieldCardinality::Required => "required",
            FieldCardinality::Repeated => "repeated",
            FieldCardinality::Map => "map",
        }
    }

    /// The groups the binary encoding tells apart: one value (with or
    /// without presence), a `required` value (checked when parsing), and
    /// many values (a map is a repeated entry message).
    pub fn wire_group(self) -> u8 {
        match self {
            FieldCardinality::Explicit | FieldCardinality::Implicit => 1,
            FieldCardinality::Required => 2,
            FieldCardinality::Repeated | FieldCardinality::Map => 3,
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
pub fn message_path(message: &MessageDescriptor) -> Vec<i32> {
    map_type_path(message).unwrap_or_else(|| message.path().to_vec())
}

/// `… changed type from "int32" to "message".` at the current type, both
/// named as encoded (a delimited message is not a message).
pub fn report_changed_kind(
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
            previous.encoded_type_str(),
            current.encoded_type_str(),
        ),
    );
}

/// `… changed type from "pkg.A" to "pkg.B".` at the current type name.
pub fn report_changed_type_name(sink: &mut BreakingSink, previous: &AnyField, current: &AnyField) {
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

pub fn type_str(ty: Type) -> &'static str {
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

/// The check of the cardinality rules: report fields whose cardinality
/// moved to another `group`. The fields of map entries are skipped: they
/// are generated, and their apparent presence follows the file syntax
/// without changing any behaviour.
pub fn check_cardinality(
    cx: &PairCx<'_>,
    sink: &mut BreakingSink,
    group: impl Fn(FieldCardinality) -> u8,
) {
    for (previous, current) in cx.field_pairs() {
        if previous.in_map_entry() && current.in_map_entry() {
            continue;
        }
        let (before, after) = (previous.cardinality(), current.cardinality());
        if group(before) != group(after) {
            current.report(
                sink,
                &current.path(),
                format!(
                    "{} changed cardinality from \"{}\" to \"{}\".",
                    current.description(),
                    before.as_str(),
                    after.as_str()
                ),
            );
        }
    }
}

/// The check of the wire-compatible type rules: report a field whose
/// encoded type left its `group` (`extra` ends the message), or, in the
/// same group, a
/// message, group or enum field that names another type. An enum is still
/// compatible when it keeps its short name and every previous value (by
/// name and number).
pub fn check_type_group(
    cx: &PairCx<'_>,
    sink: &mut BreakingSink,
    group: impl Fn(Type) -> u8,
    extra: impl Fn(Type, Type) -> Option<String>,
) {
    for (previous, current) in cx.field_pairs() {
        let (before, after) = (previous.encoded_type(), current.encoded_type());
        if group(before) != group(after) {
            if let Some(extra) = extra(before, after) {
                report_changed_kind(sink, &previous, &current, &extra);
            }
            continue;
        }
        if previous.type_full_name() == current.type_full_name() {
            continue;
        }
        match current.ty() {
            Type::Message | Type::Group => report_changed_type_name(sink, &previous, &current),
            Type::Enum => {
                let (Kind::Enum(before), Kind::Enum(after)) = (previous.kind(), current.kind())
                else {
                    continue;
                };
                let superset = before.values().all(|v| {
                    after
                        .values()
                        .any(|w| w.name() == v.name() && w.number() == v.number())
                });
                if before.name() != after.name() || !superset {
                    report_changed_type_name(sink, &previous, &current);
                }
            }
            _ => {}
        }
    }
}
