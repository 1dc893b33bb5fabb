//! The feature defaults of each edition, and resolving them as protobuf
//! does (`FeatureResolver::CompileDefaults`'s output read by
//! `GetEditionDefaults` in protobuf's `feature_resolver.cc`).

use prost::Message;

use crate::descriptor::{Edition, FeatureSet, FeatureSetDefaults};

/// protoc 33.5's `--edition_defaults_out` for `descriptor.proto`, editions
/// PROTO2 to 2024 (the `protoc_defaults` test runs protoc and compares). One
/// copy: the bytes prost-reflect's fork resolves every pool's features with.
const FEATURE_SET_DEFAULTS: &[u8] = prost_reflect::FEATURE_SET_DEFAULTS;

/// Why an edition has no feature defaults.
#[derive(Debug, thiserror::Error)]
pub enum FeatureDefaultsError {
    /// The compiled-in defaults do not decode (a corrupt checked-in file).
    #[error("cannot decode the feature defaults: {0}")]
    Decode(#[from] prost::DecodeError),
    /// The edition comes before the oldest one the defaults cover.
    #[error("edition {edition} is earlier than the minimum supported edition {minimum}")]
    BeforeMinimum {
        /// The edition asked for (its `EDITION_` name, or its number).
        edition: String,
        /// The oldest edition covered.
        minimum: String,
    },
    /// The edition comes after the newest one the defaults cover.
    #[error("edition {edition} is later than the maximum supported edition {maximum}")]
    AfterMaximum {
        /// The edition asked for (its `EDITION_` name, or its number).
        edition: String,
        /// The newest edition covered.
        maximum: String,
    },
    /// No default applies at or before the edition.
    #[error("no valid default found for edition {edition}")]
    NoDefault {
        /// The edition asked for (its `EDITION_` name, or its number).
        edition: String,
    },
}

impl FeatureDefaultsError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            FeatureDefaultsError::Decode(_) => None,
            FeatureDefaultsError::BeforeMinimum { .. }
            | FeatureDefaultsError::AfterMaximum { .. }
            | FeatureDefaultsError::NoDefault { .. } => Some(
                "use `syntax = \"proto2\"`, `syntax = \"proto3\"`, `edition = \"2023\"` or `edition = \"2024\"`"
                    .to_owned(),
            ),
        }
    }
}

/// The feature defaults compiled into schemactl: protoc 33.5's
/// `--edition_defaults_out` for `descriptor.proto` from PROTO2 to 2024.
pub fn feature_set_defaults() -> Result<FeatureSetDefaults, FeatureDefaultsError> {
    Ok(FeatureSetDefaults::decode(FEATURE_SET_DEFAULTS)?)
}

/// The resolved default features of `edition` under the compiled-in
/// defaults (see [`defaults_in`]).
pub fn defaults_for(edition: Edition) -> Result<FeatureSet, FeatureDefaultsError> {
    defaults_in(&feature_set_defaults()?, edition)
}

/// The resolved default features of `edition` under `defaults`, as protobuf
/// resolves them: the edition must lie within the defaults' minimum and
/// maximum; the entry that applies is the last one whose edition is at or
/// before it (entries are in ascending order); its fixed features merged
/// with its overridable ones (a field set in the overridable set wins, as
/// in a protobuf merge).
pub fn defaults_in(
    defaults: &FeatureSetDefaults,
    edition: Edition,
) -> Result<FeatureSet, FeatureDefaultsError> {
    // The resolution itself is prost-reflect's, the one every pool uses.
    prost_reflect::edition_defaults(defaults, edition as i32).map_err(|error| match error {
        prost_reflect::EditionDefaultsError::BeforeMinimum { edition, minimum } => {
            FeatureDefaultsError::BeforeMinimum {
                edition: edition_name(edition),
                minimum: edition_name(minimum),
            }
        }
        prost_reflect::EditionDefaultsError::AfterMaximum { edition, maximum } => {
            FeatureDefaultsError::AfterMaximum {
                edition: edition_name(edition),
                maximum: edition_name(maximum),
            }
        }
        prost_reflect::EditionDefaultsError::NoDefault { edition } => {
            FeatureDefaultsError::NoDefault {
                edition: edition_name(edition),
            }
        }
    })
}

/// `EDITION_2023` for a known edition, its number otherwise.
fn edition_name(number: i32) -> String {
    Edition::try_from(number).map_or_else(|_| number.to_string(), |e| e.as_str_name().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::feature_set::{
        EnforceNamingStyle, EnumType, FieldPresence, JsonFormat, MessageEncoding,
        RepeatedFieldEncoding, Utf8Validation, visibility_feature::DefaultSymbolVisibility,
    };

    /// A feature set from its eight values, in field order.
    #[allow(clippy::too_many_arguments)]
    fn features(
        presence: FieldPresence,
        enum_type: EnumType,
        repeated: RepeatedFieldEncoding,
        utf8: Utf8Validation,
        encoding: MessageEncoding,
        json: JsonFormat,
        naming: EnforceNamingStyle,
        visibility: DefaultSymbolVisibility,
    ) -> FeatureSet {
        FeatureSet {
            field_presence: Some(presence as i32),
            enum_type: Some(enum_type as i32),
            repeated_field_encoding: Some(repeated as i32),
            utf8_validation: Some(utf8 as i32),
            message_encoding: Some(encoding as i32),
            json_format: Some(json as i32),
            enforce_naming_style: Some(naming as i32),
            default_symbol_visibility: Some(visibility as i32),
        }
    }

    // The expected values below are protoc 33.5's: `protoc --decode=
    // google.protobuf.FeatureSetDefaults google/protobuf/descriptor.proto
    // < third_party/prost-reflect/src/descriptor/feature_set_defaults.binpb`, fixed and overridable features
    // of the entry that applies, merged.

    #[test]
    fn proto2_takes_the_legacy_defaults() {
        assert_eq!(
            defaults_for(Edition::Proto2).expect("proto2"),
            features(
                FieldPresence::Explicit,
                EnumType::Closed,
                RepeatedFieldEncoding::Expanded,
                Utf8Validation::None,
                MessageEncoding::LengthPrefixed,
                JsonFormat::LegacyBestEffort,
                EnforceNamingStyle::StyleLegacy,
                DefaultSymbolVisibility::ExportAll,
            )
        );
    }

    #[test]
    fn proto3_defaults() {
        assert_eq!(
            defaults_for(Edition::Proto3).expect("proto3"),
            features(
                FieldPresence::Implicit,
                EnumType::Open,
                RepeatedFieldEncoding::Packed,
                Utf8Validation::Verify,
                MessageEncoding::LengthPrefixed,
                JsonFormat::Allow,
                EnforceNamingStyle::StyleLegacy,
                DefaultSymbolVisibility::ExportAll,
            )
        );
    }

    #[test]
    fn edition_2023_defaults() {
        assert_eq!(
            defaults_for(Edition::Edition2023).expect("2023"),
            features(
                FieldPresence::Explicit,
                EnumType::Open,
                RepeatedFieldEncoding::Packed,
                Utf8Validation::Verify,
                MessageEncoding::LengthPrefixed,
                JsonFormat::Allow,
                EnforceNamingStyle::StyleLegacy,
                DefaultSymbolVisibility::ExportAll,
            )
        );
    }

    #[test]
    fn edition_2024_defaults() {
        assert_eq!(
            defaults_for(Edition::Edition2024).expect("2024"),
            features(
                FieldPresence::Explicit,
                EnumType::Open,
                RepeatedFieldEncoding::Packed,
                Utf8Validation::Verify,
                MessageEncoding::LengthPrefixed,
                JsonFormat::Allow,
                EnforceNamingStyle::Style2024,
                DefaultSymbolVisibility::ExportTopLevel,
            )
        );
    }

    #[test]
    fn the_compiled_in_defaults_cover_proto2_to_2024() {
        let defaults = feature_set_defaults().expect("decode");
        assert_eq!(defaults.minimum_edition, Some(Edition::Proto2 as i32));
        assert_eq!(defaults.maximum_edition, Some(Edition::Edition2024 as i32));
        let editions: Vec<_> = defaults.defaults.iter().map(|d| d.edition).collect();
        assert!(
            editions.windows(2).all(|w| w[0] < w[1]),
            "entries in ascending order: {editions:?}"
        );
    }

    #[test]
    fn editions_outside_the_range_are_refused() {
        for (edition, message) in [
            (
                Edition::Legacy,
                "edition EDITION_LEGACY is earlier than the minimum supported edition EDITION_PROTO2",
            ),
            (
                Edition::Edition1TestOnly,
                "edition EDITION_1_TEST_ONLY is earlier than the minimum supported edition EDITION_PROTO2",
            ),
            (
                Edition::Unstable,
                "edition EDITION_UNSTABLE is later than the maximum supported edition EDITION_2024",
            ),
            (
                Edition::Max,
                "edition EDITION_MAX is later than the maximum supported edition EDITION_2024",
            ),
        ] {
            let error = defaults_for(edition).expect_err("out of range");
            assert_eq!(error.to_string(), message);
            assert!(
                error
                    .hint()
                    .is_some_and(|h| h.contains("edition = \"2024\""))
            );
        }
    }

    #[test]
    fn overridable_features_win_over_fixed_ones() {
        use crate::descriptor::feature_set_defaults::FeatureSetEditionDefault;
        let fixed = FeatureSet {
            field_presence: Some(FieldPresence::Implicit as i32),
            enum_type: Some(EnumType::Closed as i32),
            ..FeatureSet::default()
        };
        let overridable = FeatureSet {
            field_presence: Some(FieldPresence::Explicit as i32),
            ..FeatureSet::default()
        };
        let defaults = FeatureSetDefaults {
            defaults: vec![
                FeatureSetEditionDefault {
                    edition: Some(Edition::Legacy as i32),
                    overridable_features: None,
                    fixed_features: Some(FeatureSet::default()),
                },
                FeatureSetEditionDefault {
                    edition: Some(Edition::Edition2023 as i32),
                    overridable_features: Some(overridable),
                    fixed_features: Some(fixed),
                },
            ],
            minimum_edition: None,
            maximum_edition: None,
        };
        let resolved = defaults_in(&defaults, Edition::Edition2024).expect("2024");
        assert_eq!(
            resolved.field_presence,
            Some(FieldPresence::Explicit as i32)
        );
        assert_eq!(resolved.enum_type, Some(EnumType::Closed as i32));
        // Before the first entry nothing applies.
        let error = defaults_in(&defaults, Edition::Edition1TestOnly).expect_err("none");
        assert_eq!(
            error.to_string(),
            "no valid default found for edition EDITION_1_TEST_ONLY"
        );
    }
}
