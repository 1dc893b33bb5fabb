//! The registry's model, without HTTP: the release history compiled
//! incrementally ([`History`]), topic versions with fingerprints and ids,
//! Confluent subjects and schemas ([`Registry`]), lookup by meaning and
//! compatibility ([`confluent`]), payload validation ([`validate`]) and
//! version diffs ([`diff`]).

pub mod confluent;
mod deadline;
pub mod diff;
mod history;
mod model;
pub mod normalize;
pub mod render;
pub mod validate;

pub use deadline::{Deadline, Expired};
pub use history::{History, RefreshError, RefreshReport, Release, ReleaseError};
pub use model::{
    BuildCache, DescriptorError, Reference, Registry, Schema, Subject, Topic, TopicVersion, hex,
    message_fingerprint,
};
/// The error of assembling a version's files ([`TopicVersion::pool`],
/// [`TopicVersion::descriptor_set`]).
pub use schemactl_compile::ImageError;

/// A history and the memo of registry builds over it: refresh, then build.
pub struct Loader {
    history: History,
    cache: BuildCache,
}

impl Loader {
    pub fn new(dir: &std::path::Path) -> Self {
        Loader {
            history: History::new(dir),
            cache: BuildCache::default(),
        }
    }

    /// Refresh the history; a new registry when anything changed.
    pub fn refresh(&mut self) -> Result<(RefreshReport, Option<Registry>), RefreshError> {
        let report = self.history.refresh()?;
        if !report.changed {
            return Ok((report, None));
        }
        let registry = Registry::build(
            self.history.releases(),
            self.history.errors(),
            &mut self.cache,
        );
        Ok((report, Some(registry)))
    }

    pub fn errors(&self) -> &[ReleaseError] {
        self.history.errors()
    }
}
