//! One lint rule per file. Each file defines `pub(crate) static RULE` with
//! the rule's ID, categories, documentation and check, and is listed in
//! [`ALL`].

use crate::registry::RuleSpec;

pub mod naming;

mod directory_same_package;
mod message_pascal_case;

/// Every lint rule.
pub static ALL: &[&RuleSpec] = &[&directory_same_package::RULE, &message_pascal_case::RULE];
