//! Buf-compatible rules: the neutral rule core ([`rule`]: IDs, categories,
//! the registry), selection from configuration ([`select`](mod@select)),
//! ignores (paths and comments, [`ignore`]), what the engines check
//! ([`Subject`]), the topic catalog as TOPIC rules see it ([`topics`]), the
//! resolved features the rules read instead of `syntax` ([`features`]), and
//! the lint and breaking rules themselves, one per file, run by their engines
//! ([`lint`], [`breaking`]).
//!
//! Rules see only in-memory images: no I/O, no clock, no network. Findings
//! are [`Diagnostic`](schemactl_diagnostics::Diagnostic)s, never `Err`.
//! `lint/` and `breaking/` never import from each other: what both need
//! lives in the neutral modules.

pub mod breaking;
pub mod diff;
pub mod docs;
pub mod features;
pub mod ignore;
pub mod lint;
pub mod package;
pub mod rule;
pub mod rule_refs;
pub mod select;
pub mod subject;
pub mod topics;
pub mod v1beta1;

pub use rule::{Category, Check, RuleKind, RuleSpec, all_rules, find_rule};
pub use rule_refs::check_rule_refs;
pub use select::{SelectError, Selection, select};
pub use subject::Subject;
