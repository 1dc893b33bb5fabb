//! Buf-compatible rules: the registry (IDs, categories, documentation),
//! selection from configuration (`use`, `except`), ignores (paths and
//! comments), and the lint rules themselves, one per file.
//!
//! Rules see only in-memory images: no I/O, no clock, no network. Findings
//! are [`Diagnostic`](schemactl_diagnostics::Diagnostic)s, never `Err`.

pub mod breaking;
pub mod diff;
pub mod docs;
pub mod lint;
mod registry;
pub mod rule_refs;
mod source_index;

pub use registry::{RuleKind, RuleSpec, all_rules, find_rule};
pub use rule_refs::check_rule_refs;
pub use source_index::SourceIndex;
