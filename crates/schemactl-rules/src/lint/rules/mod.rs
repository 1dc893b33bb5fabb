//! One lint rule per file, the TOPIC rules included. Each file defines
//! `pub(crate) static RULE` with the rule's ID, categories, documentation and
//! check, and is listed in [`ALL`]. Rule files do not import each other: what
//! several share lives in the helper modules of `lint/`.

use crate::rule::RuleSpec;

mod comment_enum;
mod comment_enum_value;
mod comment_field;
mod comment_message;
mod comment_oneof;
mod comment_rpc;
mod comment_service;
mod directory_same_package;
mod enum_first_value_zero;
mod enum_no_allow_alias;
mod enum_pascal_case;
mod enum_value_prefix;
mod enum_value_upper_snake_case;
mod enum_zero_value_suffix;
mod field_lower_snake_case;
mod field_no_descriptor;
mod field_not_required;
mod file_lower_snake_case;
mod import_no_public;
mod import_used;
mod message_pascal_case;
mod oneof_lower_snake_case;
mod package_defined;
mod package_directory_match;
mod package_lower_snake_case;
mod package_no_import_cycle;
mod package_same_csharp_namespace;
mod package_same_directory;
mod package_same_go_package;
mod package_same_java_multiple_files;
mod package_same_java_package;
mod package_same_php_namespace;
mod package_same_ruby_package;
mod package_same_swift_prefix;
mod package_version_suffix;
mod protovalidate;
mod rpc_no_client_streaming;
mod rpc_no_server_streaming;
mod rpc_pascal_case;
mod rpc_request_response_unique;
mod rpc_request_standard_name;
mod rpc_response_standard_name;
mod service_pascal_case;
mod service_suffix;
mod stable_package_no_import_unstable;
mod syntax_specified;
mod topic_message_exists;
mod topic_name_pattern;
mod topic_one_per_message;
mod topic_top_level_message;
mod topic_version_matches_package;

/// Every lint rule.
pub static ALL: &[&RuleSpec] = &[
    &comment_enum::RULE,
    &comment_enum_value::RULE,
    &comment_field::RULE,
    &comment_message::RULE,
    &comment_oneof::RULE,
    &comment_rpc::RULE,
    &comment_service::RULE,
    &directory_same_package::RULE,
    &enum_first_value_zero::RULE,
    &enum_no_allow_alias::RULE,
    &enum_pascal_case::RULE,
    &enum_value_prefix::RULE,
    &enum_value_upper_snake_case::RULE,
    &enum_zero_value_suffix::RULE,
    &field_lower_snake_case::RULE,
    &field_no_descriptor::RULE,
    &field_not_required::RULE,
    &file_lower_snake_case::RULE,
    &import_no_public::RULE,
    &import_used::RULE,
    &message_pascal_case::RULE,
    &oneof_lower_snake_case::RULE,
    &package_defined::RULE,
    &package_directory_match::RULE,
    &package_lower_snake_case::RULE,
    &package_no_import_cycle::RULE,
    &package_same_csharp_namespace::RULE,
    &package_same_directory::RULE,
    &package_same_go_package::RULE,
    &package_same_java_multiple_files::RULE,
    &package_same_java_package::RULE,
    &package_same_php_namespace::RULE,
    &package_same_ruby_package::RULE,
    &package_same_swift_prefix::RULE,
    &package_version_suffix::RULE,
    &protovalidate::RULE,
    &rpc_no_client_streaming::RULE,
    &rpc_no_server_streaming::RULE,
    &rpc_pascal_case::RULE,
    &rpc_request_response_unique::RULE,
    &rpc_request_standard_name::RULE,
    &rpc_response_standard_name::RULE,
    &service_pascal_case::RULE,
    &service_suffix::RULE,
    &stable_package_no_import_unstable::RULE,
    &syntax_specified::RULE,
    &topic_message_exists::RULE,
    &topic_name_pattern::RULE,
    &topic_one_per_message::RULE,
    &topic_top_level_message::RULE,
    &topic_version_matches_package::RULE,
];
