//! protoc's checks of editions files that need only the syntax and the
//! options as written (`DescriptorBuilder::ValidateFileFeatures`,
//! `ValidateFieldFeatures`, the open-enum rule, the legacy options editions
//! replace with features), and its refusal of features outside editions.
//!
//! Feature *resolution* (inheritance through every level, `feature_support`,
//! targets) is not here; where a rule needs a resolved value, it is one of
//! the few that resolve from the element and its file alone: field presence
//! and enum openness can only be set on the element itself or on the file
//! (their targets), so the element's value, else the file's, else the
//! edition's default is the resolved one.
//!
//! Runs from [`crate::validate::check`] over each input file; the walk is
//! iterative and allocates paths only for findings.

use prost_reflect::DescriptorPool;
use prost_types::feature_set::{EnumType, FieldPresence, RepeatedFieldEncoding};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, Edition, EnumDescriptorProto, FeatureSet, FieldDescriptorProto,
    FileDescriptorProto,
};

use crate::validate::{Finding, OnlyIf};

// Field numbers of descriptor.proto, for source-info paths.
const FILE_MESSAGE: i32 = 4;
const FILE_ENUM: i32 = 5;
const FILE_EXTENSION: i32 = 7;
const FILE_OPTIONS: i32 = 8;
const FILE_SYNTAX: i32 = 12;
const FILE_JAVA_MULTIPLE_FILES: i32 = 10;
const MESSAGE_FIELD: i32 = 2;
const MESSAGE_NESTED: i32 = 3;
const MESSAGE_ENUM: i32 = 4;
const MESSAGE_EXTENSION: i32 = 6;
const FIELD_OPTIONS: i32 = 8;
const FIELD_DEFAULT: i32 = 7;
const FIELD_CTYPE: i32 = 1;
const FIELD_PACKED: i32 = 2;
const FIELD_FEATURES: i32 = 21;
const FEATURE_PRESENCE: i32 = 1;
const FEATURE_REPEATED_ENCODING: i32 = 3;
const FEATURE_UTF8: i32 = 4;
const FEATURE_MESSAGE_ENCODING: i32 = 5;
const ENUM_VALUE: i32 = 2;
const ENUM_VALUE_NUMBER: i32 = 2;

/// Whether any file of `pool` is an editions file: the visibility and
/// option-import checks only matter then (asked once per check, not per
/// file).
pub(crate) fn any_editions(pool: &DescriptorPool) -> bool {
    pool.files()
        .any(|f| f.file_descriptor_proto().syntax() == "editions")
}

/// The findings of one input file; `any_editions`: [`any_editions`] of
/// the pool.
pub(crate) fn check_file(
    pool: &DescriptorPool,
    file: &FileDescriptorProto,
    any_editions: bool,
    findings: &mut Vec<Finding>,
) {
    let mut cx = Cx {
        pool,
        file,
        findings,
    };
    if any_editions {
        cx.visibility();
    }
    if file.syntax() != "editions" {
        cx.features_outside_editions();
        return;
    }
    cx.check_file_features();
    let mut messages: Vec<(&DescriptorProto, Vec<i32>)> = file
        .message_type
        .iter()
        .enumerate()
        .map(|(i, m)| (m, vec![FILE_MESSAGE, idx(i)]))
        .collect();
    for (i, e) in file.enum_type.iter().enumerate() {
        cx.enum_(e, &[FILE_ENUM, idx(i)]);
    }
    for (i, x) in file.extension.iter().enumerate() {
        cx.field(x, None, &[FILE_EXTENSION, idx(i)]);
    }
    while let Some((m, path)) = messages.pop() {
        for (i, f) in m.field.iter().enumerate() {
            cx.field(f, Some(m), &child(&path, MESSAGE_FIELD, i));
        }
        for (i, x) in m.extension.iter().enumerate() {
            cx.field(x, None, &child(&path, MESSAGE_EXTENSION, i));
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            cx.enum_(e, &child(&path, MESSAGE_ENUM, i));
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            messages.push((n, child(&path, MESSAGE_NESTED, i)));
        }
    }
}

struct Cx<'a, 'f> {
    pool: &'a DescriptorPool,
    file: &'a FileDescriptorProto,
    findings: &'f mut Vec<Finding>,
}

impl Cx<'_, '_> {
    fn report(&mut self, path: Vec<i32>, message: &str, help: &'static str) {
        self.findings.push(Finding {
            only_if: OnlyIf::Always,
            file: self.file.name().to_owned(),
            path,
            message: message.to_owned(),
            help,
        });
    }

    fn edition_2024(&self) -> bool {
        self.file.edition.unwrap_or_default() >= Edition::Edition2024 as i32
    }

    fn file_features(&self) -> Option<&FeatureSet> {
        self.file.options.as_ref()?.features.as_deref()
    }

    /// `features` in a proto2 or proto3 file: protoc's "Features are only
    /// valid under editions." (reported once, at the first element).
    fn features_outside_editions(&mut self) {
        let Some(path) = first_features(self.file) else {
            return;
        };
        self.report(
            path,
            "Features are only valid under editions.",
            "remove the `features` option, or migrate the file to `edition = \"2023\"`",
        );
    }

    fn check_file_features(&mut self) {
        let presence = self.file_features().and_then(|f| f.field_presence);
        if presence == Some(FieldPresence::LegacyRequired as i32) {
            self.report(
                vec![FILE_SYNTAX],
                "Required presence can't be specified by default.",
                "set `features.field_presence = LEGACY_REQUIRED` on the fields that need it, not on the file",
            );
        }
        let options = self.file.options.as_ref();
        if options.is_some_and(|o| o.java_string_check_utf8()) {
            self.report(
                vec![FILE_SYNTAX],
                "File option java_string_check_utf8 is not allowed under editions. Use the (pb.java).utf8_validation feature to control this behavior.",
                "remove the option; set `features.(pb.java).utf8_validation = VERIFY` instead",
            );
        }
        if self.edition_2024() && options.is_some_and(|o| o.java_multiple_files.is_some()) {
            self.report(
                vec![FILE_OPTIONS, FILE_JAVA_MULTIPLE_FILES],
                "The file option `java_multiple_files` is not supported in editions 2024 and above, which defaults to the feature value of `nest_in_file_class = NO` (equivalent to `java_multiple_files = true`).",
                "remove the option (or use `features.(pb.java).nest_in_file_class`)",
            );
        }
    }

    /// Field presence as resolved: the field's own, else the file's, else
    /// EXPLICIT (the default of 2023 and 2024).
    fn presence(&self, own: Option<&FeatureSet>) -> i32 {
        own.and_then(|f| f.field_presence)
            .or_else(|| self.file_features().and_then(|f| f.field_presence))
            .unwrap_or(FieldPresence::Explicit as i32)
    }

    fn field(&mut self, f: &FieldDescriptorProto, parent: Option<&DescriptorProto>, path: &[i32]) {
        let options = f.options.as_ref();
        let own = options.and_then(|o| o.features.as_deref());
        let at = |tail: &[i32]| [path, tail].concat();
        if options.is_some_and(|o| o.packed.is_some()) {
            self.report(
                at(&[FIELD_OPTIONS, FIELD_PACKED]),
                "Field option packed is not allowed under editions.  Use the repeated_field_encoding feature to control this behavior.",
                "replace `packed = ...` with `features.repeated_field_encoding = PACKED` (or EXPANDED)",
            );
        }
        if self.edition_2024() && options.is_some_and(|o| o.ctype.is_some()) {
            self.report(
                at(&[FIELD_OPTIONS, FIELD_CTYPE]),
                "ctype option is not allowed under edition 2024 and beyond. Use the feature string_type = VIEW|CORD|STRING|... instead.",
                "replace `ctype` with `features.(pb.cpp).string_type`",
            );
        }
        let repeated = f.label() == Label::Repeated;
        let is_message = matches!(f.r#type(), Type::Message | Type::Group);
        let extension = f.extendee.is_some();
        let in_oneof = f.oneof_index.is_some() && !f.proto3_optional();
        let presence = self.presence(own);
        let implicit = presence == FieldPresence::Implicit as i32;
        if !repeated && !is_message && !extension && !in_oneof && implicit {
            if f.default_value.is_some() {
                self.report(
                    at(&[FIELD_DEFAULT]),
                    "Implicit presence fields can't specify defaults.",
                    "remove the default, or give the field explicit presence",
                );
            }
            if f.r#type() == Type::Enum && self.enum_is_closed(f.type_name()) {
                self.report(
                    at(&[FIELD_OPTIONS]),
                    "Implicit presence enum fields must always be open.",
                    "give the field explicit presence, or make the enum open (`features.enum_type = OPEN`)",
                );
            }
        }
        if extension && presence == FieldPresence::LegacyRequired as i32 {
            self.report(
                at(&[FIELD_OPTIONS]),
                "Extensions can't be required.",
                "remove `features.field_presence = LEGACY_REQUIRED` from the extension (or from the file)",
            );
        }
        // Map entries carry their map field's features; protoc checks the
        // map field, not them.
        if parent
            .and_then(|m| m.options.as_ref())
            .is_some_and(|o| o.map_entry())
        {
            return;
        }
        let Some(own) = own else { return };
        let presence_at = at(&[FIELD_OPTIONS, FIELD_FEATURES, FEATURE_PRESENCE]);
        if let Some(p) = own.field_presence {
            if in_oneof {
                self.report(
                    presence_at,
                    "Oneof fields can't specify field presence.",
                    "remove `features.field_presence`: oneof fields always have presence",
                );
            } else if repeated {
                self.report(
                    presence_at,
                    "Repeated fields can't specify field presence.",
                    "remove `features.field_presence`: repeated fields have no presence",
                );
            } else if extension && p != FieldPresence::LegacyRequired as i32 {
                self.report(
                    presence_at,
                    "Extensions can't specify field presence.",
                    "remove `features.field_presence`: extensions always have presence",
                );
            } else if is_message && p == FieldPresence::Implicit as i32 {
                self.report(
                    presence_at,
                    "Message fields can't specify implicit presence.",
                    "remove `features.field_presence = IMPLICIT`: message fields always have presence",
                );
            }
        }
        if !repeated && own.repeated_field_encoding.is_some() {
            self.report(
                at(&[FIELD_OPTIONS, FIELD_FEATURES, FEATURE_REPEATED_ENCODING]),
                "Only repeated fields can specify repeated field encoding.",
                "remove `features.repeated_field_encoding` from this singular field",
            );
        }
        let map = is_message && self.is_map_field(f, parent);
        if f.r#type() != Type::String && !map && own.utf8_validation.is_some() {
            self.report(
                at(&[FIELD_OPTIONS, FIELD_FEATURES, FEATURE_UTF8]),
                "Only string fields can specify utf8 validation.",
                "remove `features.utf8_validation` from this field",
            );
        }
        if repeated
            && own.repeated_field_encoding == Some(RepeatedFieldEncoding::Packed as i32)
            && (is_message || matches!(f.r#type(), Type::String | Type::Bytes))
        {
            self.report(
                at(&[FIELD_OPTIONS, FIELD_FEATURES, FEATURE_REPEATED_ENCODING]),
                "Only repeated primitive fields can specify PACKED repeated field encoding.",
                "remove `features.repeated_field_encoding = PACKED`: only scalar numeric, bool and enum fields pack",
            );
        }
        if (!is_message || map) && own.message_encoding.is_some() {
            self.report(
                at(&[FIELD_OPTIONS, FIELD_FEATURES, FEATURE_MESSAGE_ENCODING]),
                "Only message fields can specify message encoding.",
                "remove `features.message_encoding` from this field",
            );
        }
    }

    /// `f` is a `map<...>` field: repeated, of a map-entry message nested in
    /// `parent`.
    fn is_map_field(&self, f: &FieldDescriptorProto, parent: Option<&DescriptorProto>) -> bool {
        if f.label() != Label::Repeated {
            return false;
        }
        let Some(parent) = parent else { return false };
        let last = f.type_name().rsplit('.').next().unwrap_or_default();
        parent
            .nested_type
            .iter()
            .any(|n| n.name() == last && n.options.as_ref().is_some_and(|o| o.map_entry()))
    }

    /// Whether the enum `type_name` (as linked: `.pkg.Enum`) is closed.
    fn enum_is_closed(&self, type_name: &str) -> bool {
        self.pool
            .get_enum_by_name(type_name.strip_prefix('.').unwrap_or(type_name))
            .is_some_and(|e| is_closed(&e))
    }

    fn enum_(&mut self, e: &EnumDescriptorProto, path: &[i32]) {
        let own = e
            .options
            .as_ref()
            .and_then(|o| o.features.as_ref())
            .and_then(|f| f.enum_type);
        let closed = own.or_else(|| self.file_features().and_then(|f| f.enum_type))
            == Some(EnumType::Closed as i32);
        if !closed && e.value.first().is_some_and(|v| v.number() != 0) {
            self.report(
                [path, &[ENUM_VALUE, 0, ENUM_VALUE_NUMBER]].concat(),
                "The first enum value must be zero for open enums.",
                "add a zero value first (`..._UNSPECIFIED = 0;`), or make the enum closed (`option features.enum_type = CLOSED;`)",
            );
        }
    }
}

impl Cx<'_, '_> {
    /// Edition 2024's symbol visibility: a type another file marks
    /// `local`, or that its file's `default_symbol_visibility` makes local,
    /// cannot be used here (protoc's "is not visible from").
    fn visibility(&mut self) {
        fn field_uses(f: &FieldDescriptorProto, path: Vec<i32>) -> Vec<(&str, Vec<i32>, bool)> {
            let mut out = Vec::new();
            if f.type_name.is_some() {
                out.push((f.type_name(), [&path[..], &[6]].concat(), false));
            }
            if f.extendee.is_some() {
                out.push((f.extendee(), [&path[..], &[2]].concat(), true));
            }
            out
        }
        let file = self.file;
        let mut uses: Vec<(&str, Vec<i32>, bool)> = Vec::new();
        let mut messages: Vec<(&DescriptorProto, Vec<i32>)> = file
            .message_type
            .iter()
            .enumerate()
            .map(|(i, m)| (m, vec![FILE_MESSAGE, idx(i)]))
            .collect();
        for (i, x) in file.extension.iter().enumerate() {
            uses.extend(field_uses(x, vec![FILE_EXTENSION, idx(i)]));
        }
        while let Some((m, path)) = messages.pop() {
            for (i, f) in m.field.iter().enumerate() {
                uses.extend(field_uses(f, child(&path, MESSAGE_FIELD, i)));
            }
            for (i, x) in m.extension.iter().enumerate() {
                uses.extend(field_uses(x, child(&path, MESSAGE_EXTENSION, i)));
            }
            for (i, n) in m.nested_type.iter().enumerate() {
                messages.push((n, child(&path, MESSAGE_NESTED, i)));
            }
        }
        // protoc 33.5 does not check methods' input and output types.
        let imported = (!file.option_dependency.is_empty()).then(|| self.import_closure());
        for (name, path, extendee) in uses {
            if let Some(imported) = &imported {
                if let Some(message) = self.only_option_imported(name, imported) {
                    self.report(path, &message, "add an ordinary `import` of the file (an `import option` serves only options)");
                    continue;
                }
            }
            if let Some(message) = self.not_visible(name, extendee) {
                self.report(
                    path,
                    &message,
                    "mark the type `export` in its file, or use a type that is exported",
                );
            }
        }
    }

    /// This file and the files its imports make visible (each import and,
    /// through it, what that file imports publicly).
    fn import_closure(&self) -> std::collections::HashSet<String> {
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        seen.insert(self.file.name().to_owned());
        let mut todo: Vec<String> = self.file.dependency.clone();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(f) = self.pool.get_file_by_name(&name) {
                let proto = f.file_descriptor_proto();
                for &i in &proto.public_dependency {
                    if let Some(d) = usize::try_from(i)
                        .ok()
                        .and_then(|i| proto.dependency.get(i))
                    {
                        todo.push(d.clone());
                    }
                }
            }
        }
        seen
    }

    /// protoc resolves the definitions of an option import (`import option`)
    /// only in options: a type used elsewhere that only such a file defines
    /// is "not imported".
    fn only_option_imported(
        &self,
        name: &str,
        imported: &std::collections::HashSet<String>,
    ) -> Option<String> {
        let name = name.strip_prefix('.').unwrap_or(name);
        let defined_in = match self.pool.get_message_by_name(name) {
            Some(m) => m.parent_file().name().to_owned(),
            None => self
                .pool
                .get_enum_by_name(name)?
                .parent_file()
                .name()
                .to_owned(),
        };
        (!imported.contains(&defined_in)).then(|| {
            format!(
                "\"{name}\" seems to be defined in \"{defined_in}\", which is not imported by \"{}\".  To use it here, please add the necessary import.",
                self.file.name()
            )
        })
    }

    /// Why the type `name` (as linked: `.pkg.T`; `extendee`: the target of
    /// an `extend`) is not visible from this file, or `None` when it is.
    fn not_visible(&self, name: &str, extendee: bool) -> Option<String> {
        use prost_types::SymbolVisibility as V;
        use prost_types::feature_set::visibility_feature::DefaultSymbolVisibility as D;
        let name = name.strip_prefix('.').unwrap_or(name);
        let (file, explicit, nested) = if let Some(m) = self.pool.get_message_by_name(name) {
            (
                m.parent_file(),
                m.descriptor_proto().visibility,
                m.parent_message().is_some(),
            )
        } else {
            let e = self.pool.get_enum_by_name(name)?;
            (
                e.parent_file(),
                e.enum_descriptor_proto().visibility,
                e.parent_message().is_some(),
            )
        };
        let proto = file.file_descriptor_proto();
        if proto.name() == self.file.name() || proto.syntax() != "editions" {
            return None;
        }
        // protoc's wording, its double space included.
        let prefix = format!(
            "Symbol \"{name}\", defined in \"{}\" {}is not visible from \"{}\".",
            proto.name(),
            if extendee { "target of extend " } else { " " },
            self.file.name()
        );
        match explicit {
            Some(v) if v == V::VisibilityLocal as i32 => {
                return Some(format!(
                    "{prefix} It is explicitly marked 'local' and cannot be accessed outside its own file"
                ));
            }
            Some(v) if v == V::VisibilityExport as i32 => return None,
            _ => {}
        }
        let default = proto
            .options
            .as_ref()
            .and_then(|o| o.features.as_ref())
            .and_then(|f| f.default_symbol_visibility)
            .and_then(|v| D::try_from(v).ok())
            .unwrap_or(
                if proto.edition.unwrap_or_default() >= Edition::Edition2024 as i32 {
                    D::ExportTopLevel
                } else {
                    D::ExportAll
                },
            );
        let local = match default {
            D::ExportTopLevel => nested,
            D::LocalAll | D::Strict => true,
            D::ExportAll | D::Unknown => false,
        };
        local.then(|| {
            format!(
                "{prefix} It defaulted to local from file-level 'option features.default_symbol_visibility = '{}'; and cannot be accessed outside its own file",
                default.as_str_name()
            )
        })
    }
}

/// Whether an enum is closed: every proto2 enum is, no proto3 enum is, an
/// editions enum is when it or its file says `enum_type = CLOSED` (the
/// feature's only targets).
pub(crate) fn is_closed(e: &prost_reflect::EnumDescriptor) -> bool {
    let file = e.parent_file();
    let file = file.file_descriptor_proto();
    match file.syntax() {
        "proto3" => false,
        "editions" => {
            let own = e
                .enum_descriptor_proto()
                .options
                .as_ref()
                .and_then(|o| o.features.as_ref())
                .and_then(|f| f.enum_type);
            let inherited = file
                .options
                .as_ref()
                .and_then(|o| o.features.as_ref())
                .and_then(|f| f.enum_type);
            own.or(inherited) == Some(EnumType::Closed as i32)
        }
        _ => true,
    }
}

/// The path of the first options message with `features` set in `file`, in
/// declaration order of the kinds protoc checks (file, then messages and
/// their fields, then enums, services).
fn first_features(file: &FileDescriptorProto) -> Option<Vec<i32>> {
    const FILE_SERVICE: i32 = 6;
    const MESSAGE_OPTIONS: i32 = 7;
    const MESSAGE_ONEOF: i32 = 8;
    const ONEOF_OPTIONS: i32 = 2;
    const ENUM_OPTIONS: i32 = 3;
    const ENUM_VALUE_OPTIONS: i32 = 3;
    const SERVICE_METHOD: i32 = 2;
    const SERVICE_OPTIONS: i32 = 3;
    const METHOD_OPTIONS: i32 = 4;
    if file.options.as_ref().is_some_and(|o| o.features.is_some()) {
        return Some(vec![FILE_OPTIONS, 50]);
    }
    let enum_path = |e: &EnumDescriptorProto, path: Vec<i32>| -> Option<Vec<i32>> {
        if e.options.as_ref().is_some_and(|o| o.features.is_some()) {
            return Some([&path[..], &[ENUM_OPTIONS, 7]].concat());
        }
        e.value.iter().enumerate().find_map(|(i, v)| {
            v.options
                .as_ref()
                .is_some_and(|o| o.features.is_some())
                .then(|| [&path[..], &[ENUM_VALUE, idx(i), ENUM_VALUE_OPTIONS, 2]].concat())
        })
    };
    let field_path = |f: &FieldDescriptorProto, path: Vec<i32>| -> Option<Vec<i32>> {
        f.options
            .as_ref()
            .is_some_and(|o| o.features.is_some())
            .then(|| [&path[..], &[FIELD_OPTIONS, FIELD_FEATURES]].concat())
    };
    let mut messages: Vec<(&DescriptorProto, Vec<i32>)> = file
        .message_type
        .iter()
        .enumerate()
        .rev()
        .map(|(i, m)| (m, vec![FILE_MESSAGE, idx(i)]))
        .collect();
    while let Some((m, path)) = messages.pop() {
        if m.options.as_ref().is_some_and(|o| o.features.is_some()) {
            return Some([&path[..], &[MESSAGE_OPTIONS, 12]].concat());
        }
        for (i, f) in m.field.iter().enumerate() {
            if let Some(p) = field_path(f, child(&path, MESSAGE_FIELD, i)) {
                return Some(p);
            }
        }
        for (i, f) in m.extension.iter().enumerate() {
            if let Some(p) = field_path(f, child(&path, MESSAGE_EXTENSION, i)) {
                return Some(p);
            }
        }
        for (i, o) in m.oneof_decl.iter().enumerate() {
            if o.options.as_ref().is_some_and(|o| o.features.is_some()) {
                return Some([&child(&path, MESSAGE_ONEOF, i)[..], &[ONEOF_OPTIONS, 1]].concat());
            }
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            if let Some(p) = enum_path(e, child(&path, MESSAGE_ENUM, i)) {
                return Some(p);
            }
        }
        for (i, n) in m.nested_type.iter().enumerate().rev() {
            messages.push((n, child(&path, MESSAGE_NESTED, i)));
        }
    }
    for (i, e) in file.enum_type.iter().enumerate() {
        if let Some(p) = enum_path(e, vec![FILE_ENUM, idx(i)]) {
            return Some(p);
        }
    }
    for (i, f) in file.extension.iter().enumerate() {
        if let Some(p) = field_path(f, vec![FILE_EXTENSION, idx(i)]) {
            return Some(p);
        }
    }
    for (i, s) in file.service.iter().enumerate() {
        if s.options.as_ref().is_some_and(|o| o.features.is_some()) {
            return Some(vec![FILE_SERVICE, idx(i), SERVICE_OPTIONS, 34]);
        }
        for (j, m) in s.method.iter().enumerate() {
            if m.options.as_ref().is_some_and(|o| o.features.is_some()) {
                return Some(vec![
                    FILE_SERVICE,
                    idx(i),
                    SERVICE_METHOD,
                    idx(j),
                    METHOD_OPTIONS,
                    35,
                ]);
            }
        }
    }
    None
}

fn child(path: &[i32], tag: i32, i: usize) -> Vec<i32> {
    let mut p = Vec::with_capacity(path.len() + 2);
    p.extend_from_slice(path);
    p.extend([tag, idx(i)]);
    p
}

fn idx(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}
