//! Buf's v1beta1 rule tables, as data: which rules a `buf.yaml` with
//! `version: v1beta1` has, and their categories where they differ from v1's.
//!
//! Lint is listed whole (nearly every rule sits in other categories there:
//! the style and `SENSIBLE`, `PACKAGE_AFFINITY`, `FILE_LAYOUT`, `OTHER`
//! groups exist only in v1beta1); breaking is v1's table with the
//! differences below. Checked against `buf config ls-{lint,breaking}-rules
//! --version v1beta1` by `tests/buf_rule_tables.rs`.

use crate::rule::{Category, RuleKind, RuleSpec};

use Category::{
    Basic, Comments, File, FileLayout, Minimal, Other, Package, PackageAffinity, Sensible,
    Standard, StyleBasic, StyleStandard, UnaryRpc, Wire, WireJson,
};

const LAYOUT: &[Category] = &[Minimal, Basic, Standard, FileLayout];
const AFFINITY: &[Category] = &[Minimal, Basic, Standard, PackageAffinity];
const SENSIBLE: &[Category] = &[Minimal, Basic, Standard, Sensible];
const STYLE_BASIC: &[Category] = &[Basic, Standard, StyleBasic, StyleStandard];
const STYLE_STANDARD: &[Category] = &[Standard, StyleStandard];

/// Every lint rule of v1beta1 (schemactl's `TOPIC` rules aside) and its
/// categories.
const LINT: &[(&str, &[Category])] = &[
    ("COMMENT_ENUM", &[Comments]),
    ("COMMENT_ENUM_VALUE", &[Comments]),
    ("COMMENT_FIELD", &[Comments]),
    ("COMMENT_MESSAGE", &[Comments]),
    ("COMMENT_ONEOF", &[Comments]),
    ("COMMENT_RPC", &[Comments]),
    ("COMMENT_SERVICE", &[Comments]),
    ("DIRECTORY_SAME_PACKAGE", LAYOUT),
    ("ENUM_FIRST_VALUE_ZERO", &[Other]),
    ("ENUM_NO_ALLOW_ALIAS", SENSIBLE),
    ("ENUM_PASCAL_CASE", STYLE_BASIC),
    ("ENUM_VALUE_PREFIX", STYLE_STANDARD),
    ("ENUM_VALUE_UPPER_SNAKE_CASE", STYLE_BASIC),
    ("ENUM_ZERO_VALUE_SUFFIX", STYLE_STANDARD),
    ("FIELD_LOWER_SNAKE_CASE", STYLE_BASIC),
    ("FIELD_NO_DESCRIPTOR", SENSIBLE),
    ("FILE_LOWER_SNAKE_CASE", STYLE_STANDARD),
    ("IMPORT_NO_PUBLIC", SENSIBLE),
    ("MESSAGE_PASCAL_CASE", STYLE_BASIC),
    ("ONEOF_LOWER_SNAKE_CASE", STYLE_BASIC),
    ("PACKAGE_DEFINED", SENSIBLE),
    ("PACKAGE_DIRECTORY_MATCH", LAYOUT),
    ("PACKAGE_LOWER_SNAKE_CASE", STYLE_BASIC),
    ("PACKAGE_SAME_CSHARP_NAMESPACE", AFFINITY),
    ("PACKAGE_SAME_DIRECTORY", LAYOUT),
    ("PACKAGE_SAME_GO_PACKAGE", AFFINITY),
    ("PACKAGE_SAME_JAVA_MULTIPLE_FILES", AFFINITY),
    ("PACKAGE_SAME_JAVA_PACKAGE", AFFINITY),
    ("PACKAGE_SAME_PHP_NAMESPACE", AFFINITY),
    ("PACKAGE_SAME_RUBY_PACKAGE", AFFINITY),
    ("PACKAGE_SAME_SWIFT_PREFIX", AFFINITY),
    ("PACKAGE_VERSION_SUFFIX", STYLE_STANDARD),
    ("RPC_NO_CLIENT_STREAMING", &[UnaryRpc]),
    ("RPC_NO_SERVER_STREAMING", &[UnaryRpc]),
    ("RPC_PASCAL_CASE", STYLE_BASIC),
    ("RPC_REQUEST_RESPONSE_UNIQUE", STYLE_STANDARD),
    ("RPC_REQUEST_STANDARD_NAME", STYLE_STANDARD),
    ("RPC_RESPONSE_STANDARD_NAME", STYLE_STANDARD),
    ("SERVICE_PASCAL_CASE", STYLE_BASIC),
    ("SERVICE_SUFFIX", STYLE_STANDARD),
];

/// Breaking rules whose v1beta1 categories differ from v1's: the field's
/// type and cardinality protect the wire here, and FILE_SAME_PACKAGE is
/// `FILE` only.
const BREAKING: &[(&str, &[Category])] = &[
    ("FIELD_SAME_CARDINALITY", &[File, Package, WireJson, Wire]),
    ("FIELD_SAME_TYPE", &[File, Package, WireJson, Wire]),
    ("FILE_SAME_PACKAGE", &[File]),
];

/// v1 breaking rules that v1beta1 does not have.
const NOT_IN_BREAKING: &[&str] = &[
    "FIELD_WIRE_COMPATIBLE_TYPE",
    "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
];

fn is_topic(rule: &RuleSpec) -> bool {
    rule.categories.contains(&Category::Topic)
}

/// The rule's categories under v1beta1 where they differ from v1's (`None`:
/// the same as v1).
pub(crate) fn categories(rule: &RuleSpec) -> Option<&'static [Category]> {
    let table = match rule.kind {
        RuleKind::Lint => LINT,
        RuleKind::Breaking => BREAKING,
    };
    table
        .iter()
        .find(|(id, _)| *id == rule.id)
        .map(|(_, categories)| *categories)
}

/// Whether a `buf.yaml` with `version: v1beta1` has the rule.
pub(crate) fn exists(rule: &RuleSpec) -> bool {
    match rule.kind {
        RuleKind::Lint => is_topic(rule) || LINT.iter().any(|(id, _)| *id == rule.id),
        RuleKind::Breaking => rule.v1_exists && !NOT_IN_BREAKING.contains(&rule.id),
    }
}

/// Whether the rule exists in v1beta1 only (neither v1 nor v2 has it).
pub(crate) fn only_in_v1beta1(rule: &RuleSpec) -> bool {
    rule.id == "FIELD_NO_DESCRIPTOR"
}
