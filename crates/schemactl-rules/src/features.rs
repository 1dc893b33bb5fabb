//! The resolved protobuf features the rules read, in one place (issue #15).
//!
//! Since editions, what a field or an enum *does* (presence, UTF-8
//! validation, open or closed, JSON support, delimited encoding, the C++
//! string type, Java's UTF-8 check) is a resolved feature, inherited file →
//! message → field, and proto2/proto3 files map onto the same model (their
//! "legacy" features: a proto2 `required` field has `LEGACY_REQUIRED`
//! presence, a proto2 enum is `CLOSED`, ...). The rules ask this module and
//! never look at `syntax` themselves, so a proto2 → editions migration
//! compares like with like.
//!
//! The answers come from the descriptor pool's resolved features (the
//! prost-reflect fork: `features()` on every descriptor,
//! `EnumDescriptor::is_closed()`, `feature_extension()` for language
//! features such as `(pb.cpp).string_type`), which for proto2 and proto3
//! files are protobuf's legacy inference from the syntax, labels and
//! options: the same answers the rules computed from `syntax` before.
//!
//! Each function says which Buf 1.75 behaviour it reproduces, quirks
//! included; the `editions-*` cases in `tests/lint-cases/` and
//! `tests/breaking-cases/` pin them against the real `buf`.

use prost_reflect::{
    Cardinality, EnumDescriptor, ExtensionDescriptor, FieldDescriptor, FileDescriptor,
    MessageDescriptor, Syntax,
};
use prost_types::Edition;
use prost_types::FieldDescriptorProto;
use prost_types::field_descriptor_proto::Label;
use prost_types::field_options::CType;

/// A message field or an extension: both carry field features.
#[derive(Clone, Copy)]
pub enum FieldRef<'a> {
    /// A field declared in a message.
    Field(&'a FieldDescriptor),
    /// An extension field.
    Extension(&'a ExtensionDescriptor),
}

impl<'a> From<&'a FieldDescriptor> for FieldRef<'a> {
    fn from(field: &'a FieldDescriptor) -> Self {
        FieldRef::Field(field)
    }
}

impl<'a> From<&'a ExtensionDescriptor> for FieldRef<'a> {
    fn from(extension: &'a ExtensionDescriptor) -> Self {
        FieldRef::Extension(extension)
    }
}

impl FieldRef<'_> {
    fn proto(&self) -> &FieldDescriptorProto {
        match self {
            FieldRef::Field(f) => f.field_descriptor_proto(),
            FieldRef::Extension(e) => e.field_descriptor_proto(),
        }
    }

    fn file(&self) -> FileDescriptor {
        match self {
            FieldRef::Field(f) => f.parent_file(),
            FieldRef::Extension(e) => e.parent_file(),
        }
    }
}

/// The syntax of a file as Buf names it in `FILE_SAME_SYNTAX`: every
/// editions file is `editions` (2023 → 2024 is no syntax change), and a file
/// with neither statement is `proto2`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FileSyntax {
    /// `syntax = "proto2";` or no statement.
    Proto2,
    /// `syntax = "proto3";`.
    Proto3,
    /// `edition = "2023";`, `"2024"`, ...
    Editions,
}

impl FileSyntax {
    /// The name in Buf's messages.
    pub fn as_str(self) -> &'static str {
        match self {
            FileSyntax::Proto2 => "proto2",
            FileSyntax::Proto3 => "proto3",
            FileSyntax::Editions => "editions",
        }
    }
}

/// The syntax of `file`.
pub fn syntax(file: &FileDescriptor) -> FileSyntax {
    match file.syntax() {
        Syntax::Proto2 => FileSyntax::Proto2,
        Syntax::Proto3 => FileSyntax::Proto3,
        Syntax::Editions => FileSyntax::Editions,
    }
}

/// Field presence, resolved: `features.field_presence` in editions;
/// `required` (proto2), explicit (proto2 `optional`, proto3 `optional`,
/// message and oneof fields) or implicit (other proto3 singular fields).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Presence {
    /// The field tracks whether it was set.
    Explicit,
    /// The field is unset when it holds its default value.
    Implicit,
    /// `required` in proto2, `LEGACY_REQUIRED` in editions.
    LegacyRequired,
}

/// The presence of a singular field (for repeated fields and maps the
/// answer is the file's default and means nothing). Buf reads it through
/// protoreflect's `Cardinality()` and `HasPresence()`, which resolve
/// `LEGACY_REQUIRED` to required and make message and oneof fields explicit
/// whatever the feature says; prost-reflect's `cardinality()` and
/// `supports_presence()` (the prost-reflect fork) do the same.
pub fn presence(field: FieldRef<'_>) -> Presence {
    let (cardinality, explicit) = match field {
        FieldRef::Field(f) => (f.cardinality(), f.supports_presence()),
        FieldRef::Extension(e) => (e.cardinality(), e.supports_presence()),
    };
    if cardinality == Cardinality::Required {
        Presence::LegacyRequired
    } else if explicit {
        Presence::Explicit
    } else {
        Presence::Implicit
    }
}

/// Whether the field is declared with the `required` label. Buf's
/// `MESSAGE_SAME_REQUIRED_FIELDS` reads the label, not the resolved
/// presence, so an editions `LEGACY_REQUIRED` field does not count there
/// (while `FIELD_NOT_REQUIRED` and the cardinality rules see it as
/// required): a quirk users of migrated files rely on, kept.
pub fn has_required_label(field: FieldRef<'_>) -> bool {
    field.proto().label() == Label::Required
}

/// UTF-8 validation of string fields (`features.utf8_validation`), as Buf
/// prints it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Utf8Validation {
    /// Parsers reject invalid UTF-8.
    Verify,
    /// No check.
    None,
}

impl Utf8Validation {
    /// The feature value's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Utf8Validation::Verify => "VERIFY",
            Utf8Validation::None => "NONE",
        }
    }
}

/// The resolved `utf8_validation` of a field: `VERIFY` in proto3 (map keys
/// and values included), `NONE` in proto2.
pub fn utf8_validation(field: FieldRef<'_>) -> Utf8Validation {
    let features = match field {
        FieldRef::Field(f) => f.features(),
        FieldRef::Extension(e) => e.features(),
    };
    if features.utf8_validation == Some(prost_types::feature_set::Utf8Validation::Verify as i32) {
        Utf8Validation::Verify
    } else {
        Utf8Validation::None
    }
}

/// What Java's generated code checks, as Buf's
/// `FIELD_SAME_JAVA_UTF8_VALIDATION` computes it: the resolved
/// `utf8_validation`, raised to `VERIFY` by the file option
/// `java_string_check_utf8 = true` (proto2/proto3, where it is allowed), or
/// in editions by `features.(pb.java).utf8_validation = VERIFY`.
pub fn java_utf8_validation(field: FieldRef<'_>) -> Utf8Validation {
    let default = utf8_validation(field);
    let file = field.file();
    let check = file
        .file_descriptor_proto()
        .options
        .as_ref()
        .and_then(|o| o.java_string_check_utf8);
    if syntax(&file) != FileSyntax::Editions || check.is_some() {
        return if check == Some(true) {
            Utf8Validation::Verify
        } else {
            default
        };
    }
    // `pb.JavaFeatures.Utf8Validation.VERIFY` is 2.
    if extension_feature(field, JAVA_FEATURES, JAVA_UTF8_VALIDATION) == Some(2) {
        Utf8Validation::Verify
    } else {
        default
    }
}

/// Whether an enum is closed (`features.enum_type = CLOSED`): proto2 enums
/// are, proto3 enums are not. Buf reads protoreflect's `IsClosed()`, which
/// resolves the feature, as `EnumDescriptor::is_closed()` does.
pub fn is_closed(e: &EnumDescriptor) -> bool {
    e.is_closed()
}

/// JSON support (`features.json_format`) of a message or an enum.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum JsonFormat {
    /// Full JSON support (proto3).
    Allow,
    /// Whatever the generator manages (proto2).
    LegacyBestEffort,
}

impl JsonFormat {
    /// The feature value's name.
    pub fn as_str(self) -> &'static str {
        match self {
            JsonFormat::Allow => "ALLOW",
            JsonFormat::LegacyBestEffort => "LEGACY_BEST_EFFORT",
        }
    }
}

fn legacy_json_format(features: &prost_types::FeatureSet) -> JsonFormat {
    if features.json_format == Some(prost_types::feature_set::JsonFormat::Allow as i32) {
        JsonFormat::Allow
    } else {
        JsonFormat::LegacyBestEffort
    }
}

/// The resolved `json_format` of a message (map entries included).
pub fn message_json_format(message: &MessageDescriptor) -> JsonFormat {
    legacy_json_format(message.features())
}

/// The resolved `json_format` of an enum.
pub fn enum_json_format(e: &EnumDescriptor) -> JsonFormat {
    legacy_json_format(e.features())
}

/// Whether a message-typed field is encoded delimited (as a group): a
/// proto2 `group`, or `features.message_encoding = DELIMITED` in editions,
/// where the descriptor still says `TYPE_MESSAGE`. This is protoreflect's
/// `GroupKind`, what Buf's type rules compare.
pub fn delimited(field: FieldRef<'_>) -> bool {
    match field {
        FieldRef::Field(f) => f.is_group(),
        FieldRef::Extension(e) => e.is_group(),
    }
}

/// How Buf names a delimited field's type: `group` in proto2 files,
/// `message (delimited encoding)` elsewhere.
pub fn delimited_type_name(file: &FileDescriptor) -> &'static str {
    if syntax(file) == FileSyntax::Proto2 {
        "group"
    } else {
        "message (delimited encoding)"
    }
}

/// The C++ representation of a string or bytes field: the `ctype` option
/// (proto2, proto3, 2023) or `features.(pb.cpp).string_type` (2023, 2024).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CppStringType {
    /// `std::string`.
    String,
    /// `absl::Cord`.
    Cord,
    /// `ctype = STRING_PIECE` (treated as `STRING` by the generator).
    StringPiece,
    /// `string_view` accessors (2024's default).
    View,
}

impl CppStringType {
    /// The option or feature value's name, as Buf prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            CppStringType::String => "STRING",
            CppStringType::Cord => "CORD",
            CppStringType::StringPiece => "STRING_PIECE",
            CppStringType::View => "VIEW",
        }
    }
}

/// The C++ string type as Buf's `FIELD_SAME_CPP_STRING_TYPE` resolves it:
/// before edition 2024 a set `ctype` decides (in 2023 an explicit
/// `ctype = STRING` is not final: the feature is read next); otherwise the
/// resolved `(pb.cpp).string_type`, whose default is `STRING` up to 2023 and
/// `VIEW` from 2024.
pub fn cpp_string_type(field: FieldRef<'_>) -> CppStringType {
    let file = field.file();
    let editions = syntax(&file) == FileSyntax::Editions;
    // `Proto2` and `Proto3` order before every named edition.
    let before_2024 = (file.edition() as i32) < Edition::Edition2024 as i32;
    if before_2024 {
        match field.proto().options.as_ref().and_then(|o| o.ctype) {
            Some(c) if c == CType::Cord as i32 => return CppStringType::Cord,
            Some(c) if c == CType::StringPiece as i32 => return CppStringType::StringPiece,
            Some(c) if c == CType::String as i32 => return CppStringType::String,
            // An unknown value: proto2/proto3 take `STRING`, 2023 the feature.
            Some(_) if !editions => return CppStringType::String,
            _ => {}
        }
    }
    // `pb.CppFeatures.StringType`: VIEW 1, CORD 2, STRING 3. Buf knows
    // `pb.cpp` even when the file does not import `cpp_features.proto`:
    // then the feature's default for the edition applies.
    match extension_feature(field, CPP_FEATURES, CPP_STRING_TYPE) {
        Some(1) => CppStringType::View,
        Some(2) => CppStringType::Cord,
        Some(_) => CppStringType::String,
        None if before_2024 => CppStringType::String,
        None => CppStringType::View,
    }
}

/// `pb.cpp`: `CppFeatures` extends `FeatureSet` as field 1000.
const CPP_FEATURES: i32 = 1000;
/// `CppFeatures.string_type`.
const CPP_STRING_TYPE: i32 = 2;
/// `pb.java`: `JavaFeatures` extends `FeatureSet` as field 1001.
const JAVA_FEATURES: i32 = 1001;
/// `JavaFeatures.utf8_validation`.
const JAVA_UTF8_VALIDATION: i32 = 2;

/// The resolved value of a language feature (an enum number), for
/// example `(pb.cpp).string_type`: the innermost explicit setting on the
/// field or its enclosing scopes, else the feature's default for the file's
/// edition. `None` when the pool does not hold the feature's extension (the
/// file imports neither it nor a file that does); the callers then take the
/// edition's default as Buf does.
fn extension_feature(field: FieldRef<'_>, extension: i32, feature: i32) -> Option<i32> {
    let (extension, feature) = match (extension, feature) {
        (CPP_FEATURES, CPP_STRING_TYPE) => ("pb.cpp", "string_type"),
        (JAVA_FEATURES, JAVA_UTF8_VALIDATION) => ("pb.java", "utf8_validation"),
        _ => return None,
    };
    let value = match field {
        FieldRef::Field(f) => f.feature_extension(extension, feature),
        FieldRef::Extension(e) => e.feature_extension(extension, feature),
    }?;
    value.as_enum_number()
}

/// Where the explicit setting of a feature is written, relative to the
/// element's own path: Buf reports a changed feature there when the current
/// element sets it itself, and on the element otherwise (an inherited
/// value is reported on the element). The paths are the descriptor field
/// numbers: `options` (field 8, message 7, enum 3), `features` in each
/// options message (field 21, message 12, enum 7), then the `FeatureSet`
/// field.
pub mod paths {
    /// `features.enum_type` on an enum.
    pub const ENUM_TYPE: [i32; 3] = [3, 7, 2];
    /// `features.json_format` on an enum.
    pub const ENUM_JSON_FORMAT: [i32; 3] = [3, 7, 6];
    /// `features.json_format` on a message.
    pub const MESSAGE_JSON_FORMAT: [i32; 3] = [7, 12, 6];
    /// `features.utf8_validation` on a field.
    pub const FIELD_UTF8_VALIDATION: [i32; 3] = [8, 21, 4];
    /// `ctype` on a field.
    pub const FIELD_CTYPE: [i32; 2] = [8, 1];
    /// `features.(pb.cpp).string_type` on a field.
    pub const FIELD_CPP_STRING_TYPE: [i32; 4] = [8, 21, 1000, 2];
    /// `features.(pb.java).utf8_validation` on a field.
    pub const FIELD_JAVA_UTF8_VALIDATION: [i32; 4] = [8, 21, 1001, 2];
    /// `java_string_check_utf8` in a file's options.
    pub const FILE_JAVA_STRING_CHECK_UTF8: [i32; 2] = [8, 27];
}
