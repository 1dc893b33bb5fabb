//! The check policy as a library: what `schemactl lint`, `breaking`,
//! `check`, `diff` and `release` decide, in one place, so the CLI, the pull
//! request comment, the GitHub Action and the release pipeline share it.
//!
//! - [`load()`] reads an input (directory, git ref, image) with its
//!   configuration and compiles it; compile errors are data in
//!   [`Loaded::compilation`].
//! - [`run`] is the one entry point of the policy: lint and TOPIC rules with
//!   severity overrides, breaking changes (against a given input or the
//!   latest release), the baseline, and the change summary with its semver
//!   bump, returned as one [`Report`].
//! - [`release::plan`] decides which version HEAD becomes, or why it must
//!   not be released (the same check, plus the release refusals).
//! - [`render`] turns a change summary into text or Markdown, and
//!   [`render::comment`] a whole report into a pull request comment's body.
//! - [`generate`] decides whose `generate:` section a check follows (the
//!   trusted base ref's on a pull request) for the freshness check of
//!   generated code that [`run`] does.
//!
//! Errors are [`CheckError`]s with a [`hint`](CheckError::hint); findings are
//! never errors. This crate reads files and git but never prints: what the
//! user sees is rendered by the caller.

mod baseline;
mod error;
pub mod generate;
mod load;
pub mod paths;
mod policy;
pub mod release;
pub mod render;

pub use baseline::{Baseline, BaselineError};
pub use error::CheckError;
pub use load::{DefaultAgainst, Loaded, against_spec, default_against, load, load_against};
pub use paths::PathFilter;
pub use policy::{Against, ChangedFile, Notice, Ran, Report, Request, run};
