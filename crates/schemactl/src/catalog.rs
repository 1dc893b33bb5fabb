//! The topic catalog code generation binds to: the topics of the schemas
//! being generated, with the Confluent schema ids `schemactl serve` will
//! return for them once they are released (built from the release history
//! with those schemas as the newest release).

use std::path::Path;

use schemactl_codegen::{BindingVersion, Catalog, TopicBinding};
use schemactl_registry::{BuildCache, History, TopicVersion};

use crate::Failure;

/// The catalog of the schemas in `dir` (at `reference`, or the working
/// tree), released as `version` (or not released yet).
pub fn catalog(
    dir: &Path,
    reference: Option<&str>,
    version: Option<&semver::Version>,
) -> Result<Catalog, Failure> {
    let mut history = History::new(dir);
    let registry = history
        .registry_with_pending(reference, version, &mut BuildCache::default())
        .map_err(|e| {
            let hint = e.hint();
            Failure::new(format!("cannot compute the topics' schema ids: {e}")).hint(hint)
        })?;
    let Some(pending) = registry.latest_release() else {
        return Ok(Catalog::default());
    };
    let binding = |v: &TopicVersion| BindingVersion {
        version: v.version,
        id: v.schema.id,
        index: v.index.clone(),
    };
    let topics = registry
        .topics
        .values()
        .filter(|t| pending.config.topics.contains_key(&t.name))
        .map(|t| {
            let latest = t.latest();
            TopicBinding {
                name: t.name.clone(),
                message: t.message.clone(),
                file: latest.file.clone(),
                owners: t.owners.clone(),
                producers: t.producers.clone(),
                description: t.description.clone(),
                partitions: t.partitions,
                retention: t.retention.clone(),
                current: binding(latest),
                versions: t.versions.iter().map(|v| binding(v)).collect(),
            }
        })
        .collect();
    Ok(Catalog {
        release: match version {
            Some(v) => v.to_string(),
            None => pending.name.clone(),
        },
        topics,
    })
}
