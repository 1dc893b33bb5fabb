// schemactl: editions. Feature resolution as protobuf does it
// (`feature_resolver.cc`, `descriptor.cc`): the defaults of a file's edition,
// merged down file -> message -> field (oneof -> field, enum -> value,
// extension scope -> extension, service -> method), with the features
// proto2/proto3 spell as labels, types and options inferred.

use std::{fmt, sync::OnceLock};

use prost::{
    bytes::Buf,
    encoding::{decode_key, decode_varint, skip_field, DecodeContext, WireType},
    Message,
};
use prost_types::{Edition, FeatureSet, FeatureSetDefaults};

/// The feature defaults of every edition from `EDITION_PROTO2` to
/// `EDITION_2024`: a serialized `google.protobuf.FeatureSetDefaults`, written
/// by protoc 33.5's `--edition_defaults_out` for `descriptor.proto`.
pub const FEATURE_SET_DEFAULTS: &[u8] = include_bytes!("feature_set_defaults.binpb");

/// The field number of `features` in each `*Options` message.
pub(crate) mod features_field {
    pub(crate) const FILE: i32 = 50;
    pub(crate) const MESSAGE: i32 = 12;
    pub(crate) const FIELD: i32 = 21;
    pub(crate) const ONEOF: i32 = 1;
    pub(crate) const ENUM: i32 = 7;
    pub(crate) const ENUM_VALUE: i32 = 2;
    pub(crate) const SERVICE: i32 = 34;
    pub(crate) const METHOD: i32 = 35;
}

/// Why an edition has no feature defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditionDefaultsError {
    /// The edition comes before the oldest one the defaults cover.
    BeforeMinimum {
        /// The edition asked for.
        edition: i32,
        /// The oldest edition covered.
        minimum: i32,
    },
    /// The edition comes after the newest one the defaults cover.
    AfterMaximum {
        /// The edition asked for.
        edition: i32,
        /// The newest edition covered.
        maximum: i32,
    },
    /// No default applies at or before the edition.
    NoDefault {
        /// The edition asked for.
        edition: i32,
    },
}

/// protoc's wording (`FeatureResolver::Create`).
impl fmt::Display for EditionDefaultsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            EditionDefaultsError::BeforeMinimum { edition, minimum } => write!(
                f,
                "Edition {} is earlier than the minimum supported edition {}",
                short_edition(edition),
                short_edition(minimum)
            ),
            EditionDefaultsError::AfterMaximum { edition, maximum } => write!(
                f,
                "Edition {} is later than the maximum supported edition {}",
                short_edition(edition),
                short_edition(maximum)
            ),
            EditionDefaultsError::NoDefault { edition } => write!(
                f,
                "No valid default found for edition {}",
                short_edition(edition)
            ),
        }
    }
}

impl std::error::Error for EditionDefaultsError {}

/// `EDITION_2023` for a known edition, its number otherwise.
pub(crate) fn edition_name(number: i32) -> String {
    Edition::try_from(number).map_or_else(|_| number.to_string(), |e| e.as_str_name().to_owned())
}

/// The compiled-in defaults ([`FEATURE_SET_DEFAULTS`]), decoded once.
pub fn feature_set_defaults() -> &'static FeatureSetDefaults {
    static DEFAULTS: OnceLock<FeatureSetDefaults> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        FeatureSetDefaults::decode(FEATURE_SET_DEFAULTS)
            .expect("the compiled-in feature set defaults decode")
    })
}

/// The resolved default features of `edition` under `defaults`, as
/// protobuf's `GetEditionFeatureSetDefaults` resolves them: the edition must
/// lie within the defaults' minimum and maximum; the entry that applies is
/// the last one at or before it; its fixed features merged with its
/// overridable ones.
pub fn edition_defaults(
    defaults: &FeatureSetDefaults,
    edition: i32,
) -> Result<FeatureSet, EditionDefaultsError> {
    if let Some(minimum) = defaults.minimum_edition {
        if edition < minimum {
            return Err(EditionDefaultsError::BeforeMinimum { edition, minimum });
        }
    }
    if let Some(maximum) = defaults.maximum_edition {
        if edition > maximum {
            return Err(EditionDefaultsError::AfterMaximum { edition, maximum });
        }
    }
    let entry = defaults
        .defaults
        .iter()
        .take_while(|d| d.edition.unwrap_or_default() <= edition)
        .last()
        .ok_or(EditionDefaultsError::NoDefault { edition })?;
    Ok(merge(
        &entry.fixed_features.unwrap_or_default(),
        &entry.overridable_features.unwrap_or_default(),
    ))
}

/// `parent` with every feature `child` sets replaced (a protobuf merge).
pub(crate) fn merge(parent: &FeatureSet, child: &FeatureSet) -> FeatureSet {
    FeatureSet {
        field_presence: child.field_presence.or(parent.field_presence),
        enum_type: child.enum_type.or(parent.enum_type),
        repeated_field_encoding: child
            .repeated_field_encoding
            .or(parent.repeated_field_encoding),
        utf8_validation: child.utf8_validation.or(parent.utf8_validation),
        message_encoding: child.message_encoding.or(parent.message_encoding),
        json_format: child.json_format.or(parent.json_format),
        enforce_naming_style: child.enforce_naming_style.or(parent.enforce_naming_style),
        default_symbol_visibility: child
            .default_symbol_visibility
            .or(parent.default_symbol_visibility),
    }
}

/// protobuf's `ValidateMergedFeatures`: every feature resolved to a known,
/// non-`UNKNOWN` value. The message is protoc's.
pub(crate) fn validate_merged(features: &FeatureSet) -> Result<(), String> {
    use prost_types::feature_set::{
        visibility_feature::DefaultSymbolVisibility, EnforceNamingStyle, EnumType, FieldPresence,
        JsonFormat, MessageEncoding, RepeatedFieldEncoding, Utf8Validation,
    };
    fn check(value: Option<i32>, valid: bool, field: &str, unknown: &str) -> Result<(), String> {
        if value.unwrap_or(0) == 0 || !valid {
            Err(format!(
                "Feature field `{field}` must resolve to a known value, found {unknown}_UNKNOWN"
            ))
        } else {
            Ok(())
        }
    }
    let f = features;
    check(
        f.field_presence,
        FieldPresence::try_from(f.field_presence.unwrap_or(0)).is_ok(),
        "field_presence",
        "FIELD_PRESENCE",
    )?;
    check(
        f.enum_type,
        EnumType::try_from(f.enum_type.unwrap_or(0)).is_ok(),
        "enum_type",
        "ENUM_TYPE",
    )?;
    check(
        f.repeated_field_encoding,
        RepeatedFieldEncoding::try_from(f.repeated_field_encoding.unwrap_or(0)).is_ok(),
        "repeated_field_encoding",
        "REPEATED_FIELD_ENCODING",
    )?;
    check(
        f.utf8_validation,
        Utf8Validation::try_from(f.utf8_validation.unwrap_or(0)).is_ok(),
        "utf8_validation",
        "UTF8_VALIDATION",
    )?;
    check(
        f.message_encoding,
        MessageEncoding::try_from(f.message_encoding.unwrap_or(0)).is_ok(),
        "message_encoding",
        "MESSAGE_ENCODING",
    )?;
    check(
        f.json_format,
        JsonFormat::try_from(f.json_format.unwrap_or(0)).is_ok(),
        "json_format",
        "JSON_FORMAT",
    )?;
    check(
        f.enforce_naming_style,
        EnforceNamingStyle::try_from(f.enforce_naming_style.unwrap_or(0)).is_ok(),
        "enforce_naming_style",
        "ENFORCE_NAMING_STYLE",
    )?;
    check(
        f.default_symbol_visibility,
        DefaultSymbolVisibility::try_from(f.default_symbol_visibility.unwrap_or(0)).is_ok(),
        "default_symbol_visibility",
        "DEFAULT_SYMBOL_VISIBILITY",
    )?;
    Ok(())
}

/// The serialized `features` message (field `number`) of an options
/// message's bytes, every occurrence concatenated as a protobuf merge sees
/// them, or `None` when the bytes do not parse.
pub(crate) fn raw_features(options: &[u8], number: i32) -> Option<Vec<u8>> {
    raw_field(options, number as u32).map(|parts| parts.concat())
}

/// Every length-delimited occurrence of field `number` in `bytes`.
pub(crate) fn raw_field(mut bytes: &[u8], number: u32) -> Option<Vec<Vec<u8>>> {
    let mut found = Vec::new();
    while bytes.has_remaining() {
        let (tag, wire_type) = decode_key(&mut bytes).ok()?;
        if tag == number && wire_type == WireType::LengthDelimited {
            let len = usize::try_from(decode_varint(&mut bytes).ok()?).ok()?;
            if len > bytes.remaining() {
                return None;
            }
            found.push(bytes[..len].to_vec());
            bytes.advance(len);
        } else {
            skip_field(wire_type, tag, &mut bytes, DecodeContext::default()).ok()?;
        }
    }
    Some(found)
}

/// Whether `edition` is proto2 or proto3 (protobuf's `IsLegacyEdition`).
pub(crate) fn is_legacy(edition: prost_types::Edition) -> bool {
    (edition as i32) < (prost_types::Edition::Edition2023 as i32)
}

/// The resolved features of one element: `parent`'s, overridden by the
/// features the element sets (`explicit`, from its options) and then by
/// those inferred from a proto2/proto3 spelling (`inferred`). Errors (protoc's
/// wording) go to `errors`, located at the element's `options.features`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn resolve(
    files: &[super::FileDescriptorInner],
    errors: &mut Vec<super::error::DescriptorErrorKind>,
    file: super::FileIndex,
    path: &[i32],
    location: [i32; 2],
    parent: &FeatureSet,
    explicit: Option<FeatureSet>,
    inferred: &FeatureSet,
) -> FeatureSet {
    let edition = files[file as usize].edition;
    let label = || {
        super::error::Label::new(
            files,
            "found here",
            file,
            super::build::join_path(path, &location),
        )
    };
    if explicit.is_some() && is_legacy(edition) {
        // schemactl: a parsed file's `features` are still uninterpreted
        // options here, with no source location at `options.features`; the
        // compiler front end reports them, located, once options are
        // interpreted. Report here what nothing else will: features in a
        // descriptor without source info (an image), or located ones.
        let found = label();
        if found.span.is_some() || files[file as usize].raw.source_code_info.is_none() {
            errors.push(super::error::DescriptorErrorKind::InvalidFeature {
                message: "Features are only valid under editions.".to_owned(),
                found,
            });
        }
    }
    let own = merge(&explicit.unwrap_or_default(), inferred);
    let merged = merge(parent, &own);
    if own != FeatureSet::default() {
        if let Err(message) = validate_merged(&merged) {
            errors.push(super::error::DescriptorErrorKind::InvalidFeature {
                message,
                found: label(),
            });
        }
    }
    merged
}

/// Where an option is set, as `FieldOptions.OptionTargetType` numbers it,
/// and protoc's name for it.
#[derive(Clone, Copy)]
pub(crate) enum Target {
    File = 1,
    Message = 3,
    Field = 4,
    Oneof = 5,
    Enum = 6,
    EnumEntry = 7,
    Service = 8,
    Method = 9,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::File => "file",
            Target::Message => "message",
            Target::Field => "field",
            Target::Oneof => "oneof",
            Target::Enum => "enum",
            Target::EnumEntry => "enum entry",
            Target::Service => "service",
            Target::Method => "method",
        }
    }
}

/// How deep option messages are followed (custom options can nest).
const MAX_OPTION_DEPTH: usize = 64;

/// protoc's checks of the options (features included) set on every element
/// of the files from `first_file` on: each option's `targets`
/// (`command_line_interface.cc`'s `ValidateTargetConstraints`) and the
/// `feature_support` of each option and enum value set against the file's
/// edition (`FeatureResolver::ValidateFeatureLifetimes`). Messages are
/// protoc's.
pub(crate) fn validate_options(
    pool: &super::DescriptorPool,
    first_file: usize,
) -> Vec<super::error::DescriptorErrorKind> {
    let mut checker = OptionsChecker {
        pool,
        errors: Vec::new(),
        cache: std::collections::HashMap::new(),
    };
    for file in pool.files().skip(first_file) {
        checker.file(&file);
    }
    checker.errors
}

struct OptionsChecker<'a> {
    pool: &'a super::DescriptorPool,
    errors: Vec<super::error::DescriptorErrorKind>,
    cache: std::collections::HashMap<String, std::rc::Rc<Support>>,
}

impl OptionsChecker<'_> {
    fn file(&mut self, file: &super::FileDescriptor) {
        use super::tag;
        let edition = file.edition() as i32;
        let index = file.index() as super::FileIndex;
        if file.file_descriptor_proto().options.is_some() {
            self.check(
                index,
                edition,
                &[],
                tag::file::OPTIONS,
                Target::File,
                &file.options(),
            );
        }
        for message in file.messages() {
            self.message(index, edition, &message);
        }
        for enum_ in file.enums() {
            self.enum_(index, edition, &enum_);
        }
        for extension in file.extensions() {
            if extension.field_descriptor_proto().options.is_some() {
                let path = extension.path().to_vec();
                self.check(
                    index,
                    edition,
                    &path,
                    tag::field::OPTIONS,
                    Target::Field,
                    &extension.options(),
                );
            }
        }
        for service in file.services() {
            if service.service_descriptor_proto().options.is_some() {
                let path = service.path().to_vec();
                self.check(
                    index,
                    edition,
                    &path,
                    tag::service::OPTIONS,
                    Target::Service,
                    &service.options(),
                );
            }
            for method in service.methods() {
                if method.method_descriptor_proto().options.is_some() {
                    let path = method.path().to_vec();
                    self.check(
                        index,
                        edition,
                        &path,
                        tag::method::OPTIONS,
                        Target::Method,
                        &method.options(),
                    );
                }
            }
        }
    }

    fn message(
        &mut self,
        file: super::FileIndex,
        edition: i32,
        message: &super::MessageDescriptor,
    ) {
        use super::tag;
        if message.descriptor_proto().options.is_some() {
            let path = message.path().to_vec();
            self.check(
                file,
                edition,
                &path,
                tag::message::OPTIONS,
                Target::Message,
                &message.options(),
            );
        }
        for oneof in message.oneofs() {
            if oneof.oneof_descriptor_proto().options.is_some() {
                let path = oneof.path().to_vec();
                self.check(
                    file,
                    edition,
                    &path,
                    tag::oneof::OPTIONS,
                    Target::Oneof,
                    &oneof.options(),
                );
            }
        }
        for field in message.fields() {
            if field.field_descriptor_proto().options.is_some() {
                let path = field.path().to_vec();
                self.check(
                    file,
                    edition,
                    &path,
                    tag::field::OPTIONS,
                    Target::Field,
                    &field.options(),
                );
            }
        }
        for extension in message.child_extensions() {
            if extension.field_descriptor_proto().options.is_some() {
                let path = extension.path().to_vec();
                self.check(
                    file,
                    edition,
                    &path,
                    tag::field::OPTIONS,
                    Target::Field,
                    &extension.options(),
                );
            }
        }
        for nested in message.child_messages() {
            self.message(file, edition, &nested);
        }
        for enum_ in message.child_enums() {
            self.enum_(file, edition, &enum_);
        }
    }

    fn enum_(&mut self, file: super::FileIndex, edition: i32, enum_: &super::EnumDescriptor) {
        use super::tag;
        if enum_.enum_descriptor_proto().options.is_some() {
            let path = enum_.path().to_vec();
            self.check(
                file,
                edition,
                &path,
                tag::enum_::OPTIONS,
                Target::Enum,
                &enum_.options(),
            );
        }
        for value in enum_.values() {
            if value.enum_value_descriptor_proto().options.is_some() {
                let path = value.path().to_vec();
                self.check(
                    file,
                    edition,
                    &path,
                    tag::enum_value::OPTIONS,
                    Target::EnumEntry,
                    &value.options(),
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        file: super::FileIndex,
        edition: i32,
        path: &[i32],
        options_tag: i32,
        target: Target,
        options: &crate::DynamicMessage,
    ) {
        // schemactl: features in a proto2/proto3 file are protoc's first
        // complaint (before their lifetimes), located at the option.
        if is_legacy(prost_types::Edition::try_from(edition).unwrap_or(prost_types::Edition::Unknown)) {
            if let Some(features) = crate::ReflectMessage::descriptor(options).get_field_by_name("features") {
                if options.has_field(&features) {
                    self.errors
                        .push(super::error::DescriptorErrorKind::InvalidFeature {
                            message: "Features are only valid under editions.".to_owned(),
                            found: super::error::Label::new(
                                &self.pool.inner.files,
                                "found here",
                                file,
                                super::build::join_path(path, &[options_tag]),
                            ),
                        });
                    return;
                }
            }
        }
        let mut messages = Vec::new();
        self.walk(edition, target, options, 0, &mut messages);
        for message in messages {
            self.errors
                .push(super::error::DescriptorErrorKind::InvalidFeature {
                    message,
                    found: super::error::Label::new(
                        &self.pool.inner.files,
                        "found here",
                        file,
                        super::build::join_path(path, &[options_tag]),
                    ),
                });
        }
    }

    fn walk(
        &mut self,
        edition: i32,
        target: Target,
        message: &crate::DynamicMessage,
        depth: usize,
        errors: &mut Vec<String>,
    ) {
        if depth > MAX_OPTION_DEPTH {
            return;
        }
        let fields: Vec<_> = message
            .fields()
            .map(|(f, v)| {
                (
                    f.full_name().to_owned(),
                    FieldOrValue::Field(f.clone()),
                    f.kind(),
                    v,
                )
            })
            .chain(message.extensions().map(|(e, v)| {
                (
                    e.full_name().to_owned(),
                    FieldOrValue::Extension(e.clone()),
                    e.kind(),
                    v,
                )
            }))
            .collect();
        for (full_name, descriptor, kind, value) in fields {
            let support = self.support(&full_name, &descriptor);
            if !support.targets.is_empty() && !support.targets.contains(&(target as i32)) {
                errors.push(format!(
                    "Option {full_name} cannot be set on an entity of type `{}`.",
                    target.name()
                ));
            }
            let values: Vec<&crate::Value> = match value.as_list() {
                Some(list) => list.iter().collect(),
                None => vec![value],
            };
            for value in values {
                match (value, &kind) {
                    (crate::Value::EnumNumber(number), super::Kind::Enum(enum_)) => {
                        if let Some(value) = enum_.get_value(*number) {
                            let support = self
                                .support(value.full_name(), &FieldOrValue::Value(value.clone()));
                            support.lifetimes(edition, value.full_name(), errors);
                        }
                    }
                    (crate::Value::Message(nested), _) => {
                        self.walk(edition, target, nested, depth + 1, errors);
                    }
                    _ => {}
                }
            }
            support.lifetimes(edition, &full_name, errors);
        }
    }

    /// The targets and `feature_support` of an option field or enum value,
    /// read once per name.
    fn support(&mut self, full_name: &str, descriptor: &FieldOrValue) -> std::rc::Rc<Support> {
        if let Some(support) = self.cache.get(full_name) {
            return support.clone();
        }
        let options = match descriptor {
            FieldOrValue::Field(f) => f.options(),
            FieldOrValue::Extension(e) => e.options(),
            FieldOrValue::Value(v) => v.options(),
        };
        let targets = options
            .get_field_by_name("targets")
            .and_then(|t| {
                t.as_list()
                    .map(|l| l.iter().filter_map(|v| v.as_enum_number()).collect())
            })
            .unwrap_or_default();
        let mut support = Support {
            targets,
            introduced: None,
            removed: None,
            removal_error: String::new(),
        };
        if options.has_field_by_name("feature_support") {
            if let Some(value) = options.get_field_by_name("feature_support") {
                if let Some(message) = value.as_message() {
                    let get = |name: &str| {
                        message
                            .has_field_by_name(name)
                            .then(|| message.get_field_by_name(name))
                            .flatten()
                    };
                    support.introduced = get("edition_introduced").and_then(|v| v.as_enum_number());
                    support.removed = get("edition_removed").and_then(|v| v.as_enum_number());
                    support.removal_error = get("removal_error")
                        .and_then(|v| v.as_str().map(|s| format!(": {s}")))
                        .unwrap_or_default();
                }
            }
        }
        let support = std::rc::Rc::new(support);
        self.cache.insert(full_name.to_owned(), support.clone());
        support
    }
}

enum FieldOrValue {
    Field(super::FieldDescriptor),
    Extension(super::ExtensionDescriptor),
    Value(super::EnumValueDescriptor),
}

/// What protoc checks of an option field or enum value.
struct Support {
    targets: Vec<i32>,
    introduced: Option<i32>,
    removed: Option<i32>,
    removal_error: String,
}

impl Support {
    /// protobuf's `ValidateSingleFeatureLifetimes`, errors only
    /// (deprecation is a warning).
    fn lifetimes(&self, edition: i32, full_name: &str, errors: &mut Vec<String>) {
        if let Some(introduced) = self.introduced {
            if edition < introduced {
                errors.push(format!(
                    "Feature {full_name} wasn't introduced until edition {} and can't be used in edition {}",
                    short_edition(introduced),
                    short_edition(edition)
                ));
            }
        }
        if let Some(removed) = self.removed {
            if edition >= removed {
                errors.push(format!(
                    "Feature {full_name} has been removed in edition {}{}",
                    short_edition(removed),
                    self.removal_error
                ));
            }
        }
    }
}

/// protoc's spelling of an edition in messages: `2023`, `PROTO2`.
fn short_edition(number: i32) -> String {
    let name = edition_name(number);
    name.strip_prefix("EDITION_")
        .map_or(name.clone(), str::to_owned)
}

/// An options message's `features` and `uninterpreted_option`.
pub(crate) trait HasFeatures {
    fn features(&self) -> Option<FeatureSet>;
    fn uninterpreted(&self) -> &[prost_types::UninterpretedOption];
}

macro_rules! has_features {
    ($($ty:ty),* $(,)?) => {$(
        impl HasFeatures for $ty {
            fn features(&self) -> Option<FeatureSet> {
                // schemactl: boxed in the prost-types fork.
                self.features.as_deref().copied()
            }
            fn uninterpreted(&self) -> &[prost_types::UninterpretedOption] {
                &self.uninterpreted_option
            }
        }
    )*};
}

has_features!(
    prost_types::FileOptions,
    prost_types::MessageOptions,
    prost_types::FieldOptions,
    prost_types::OneofOptions,
    prost_types::EnumOptions,
    prost_types::EnumValueOptions,
    prost_types::ServiceOptions,
    prost_types::MethodOptions,
);

/// The top-level `name: VALUE` entries of a text-format aggregate whose
/// values are identifiers; entries inside nested `{ ... }` are skipped.
fn aggregate_pairs(text: &str) -> Vec<(&str, &str)> {
    let mut pairs = Vec::new();
    let mut depth = 0usize;
    let mut tokens = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
        .peekable();
    while let Some(token) = tokens.next() {
        if token.contains('{') || token.contains('}') || token.contains('[') {
            depth += token.matches('{').count();
            depth = depth.saturating_sub(token.matches('}').count());
            continue;
        }
        if depth > 0 {
            continue;
        }
        let (name, value) = match token.split_once(':') {
            Some((name, "")) => match tokens.peek() {
                Some(value) if !value.contains('{') => (name, tokens.next().unwrap_or_default()),
                _ => continue,
            },
            Some((name, value)) => (name, value),
            None => continue,
        };
        if !name.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            pairs.push((name, value));
        }
    }
    pairs
}

/// The features an element's options set. Features are resolved before
/// options are interpreted, so besides the interpreted `features` this
/// reads the `features.<name> = <VALUE>` options a parser (protox) leaves
/// uninterpreted, as `allow_alias` is read. Extension features and
/// aggregate values are left to the option interpreter.
pub(crate) fn explicit_features<T: HasFeatures>(
    options: &super::types::Options<T>,
) -> Option<FeatureSet> {
    use prost_types::feature_set::{
        visibility_feature::DefaultSymbolVisibility, EnforceNamingStyle, EnumType, FieldPresence,
        JsonFormat, MessageEncoding, RepeatedFieldEncoding, Utf8Validation,
    };
    let mut features = options.value.features();
    // (feature name, value) pairs: `features.X = V` options, and the
    // top-level `X: V` entries of an aggregate `features = { ... }`.
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for option in options.value.uninterpreted() {
        match option.name.as_slice() {
            [first, second]
                if !first.is_extension && first.name_part == "features" && !second.is_extension =>
            {
                if let Some(value) = option.identifier_value.as_deref() {
                    pairs.push((second.name_part.as_str(), value));
                }
            }
            // schemactl: the aggregate form; nested messages (extension
            // features, `[pb.cpp] { ... }`) are left to the interpreter.
            [first] if !first.is_extension && first.name_part == "features" => {
                if let Some(text) = option.aggregate_value.as_deref() {
                    pairs.extend(aggregate_pairs(text));
                }
            }
            _ => {}
        }
    }
    for (name, value) in pairs {
        let set = features.get_or_insert_with(FeatureSet::default);
        let number = match name {
            "field_presence" => FieldPresence::from_str_name(value).map(|v| v as i32),
            "enum_type" => EnumType::from_str_name(value).map(|v| v as i32),
            "repeated_field_encoding" => {
                RepeatedFieldEncoding::from_str_name(value).map(|v| v as i32)
            }
            "utf8_validation" => Utf8Validation::from_str_name(value).map(|v| v as i32),
            "message_encoding" => MessageEncoding::from_str_name(value).map(|v| v as i32),
            "json_format" => JsonFormat::from_str_name(value).map(|v| v as i32),
            "enforce_naming_style" => EnforceNamingStyle::from_str_name(value).map(|v| v as i32),
            "default_symbol_visibility" => {
                DefaultSymbolVisibility::from_str_name(value).map(|v| v as i32)
            }
            _ => None,
        };
        let Some(number) = number else { continue };
        match name {
            "field_presence" => set.field_presence = Some(number),
            "enum_type" => set.enum_type = Some(number),
            "repeated_field_encoding" => set.repeated_field_encoding = Some(number),
            "utf8_validation" => set.utf8_validation = Some(number),
            "message_encoding" => set.message_encoding = Some(number),
            "json_format" => set.json_format = Some(number),
            "enforce_naming_style" => set.enforce_naming_style = Some(number),
            _ => set.default_symbol_visibility = Some(number),
        }
    }
    features
}
