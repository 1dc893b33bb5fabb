//! The change between two versions of a topic: the change summary of the
//! breaking-change engine, restricted to the topic, plus a unified diff of
//! the `.proto` files involved.

use std::collections::BTreeSet;

use schemactl_rules::diff::{Bump, Change, ChangeKind};
use serde::Serialize;

use crate::deadline::{Deadline, Expired};
use crate::model::{Topic, TopicVersion};

/// Why a diff could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error(transparent)]
    Expired(#[from] Expired),
    /// A version's files do not assemble into an image.
    #[error(transparent)]
    Image(#[from] schemactl_compile::ImageError),
    /// The repository's breaking configuration names an unknown rule.
    #[error(transparent)]
    Rules(#[from] schemactl_rules::SelectError),
}

impl DiffError {
    /// What the user can do about it, when there is something.
    pub fn hint(&self) -> Option<String> {
        match self {
            DiffError::Expired(_) => None,
            DiffError::Image(e) => e.hint(),
            DiffError::Rules(e) => Some(e.hint()),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TopicDiff {
    pub topic: String,
    pub from: u32,
    pub to: u32,
    pub from_release: String,
    pub to_release: String,
    pub bump: Bump,
    /// Breaking findings under the repository's rules.
    pub breaking: Vec<String>,
    pub changes: Vec<Change>,
    pub files: Vec<FileDiff>,
}

#[derive(Debug, Serialize)]
pub struct FileDiff {
    pub path: String,
    /// A unified diff, `---`/`+++` headers included.
    pub unified: String,
}

pub fn topic_diff(
    topic: &Topic,
    from: &TopicVersion,
    to: &TopicVersion,
    deadline: &Deadline,
) -> Result<TopicDiff, DiffError> {
    let old = from.release.files.image(&[&from.file])?;
    deadline.check()?;
    let new = to.release.files.image(&[&to.file])?;
    deadline.check()?;
    // One catalog on both sides: this is the diff of one topic's schema,
    // not of the catalog (the release pipeline compares catalogs).
    let config = &to.release.config;
    let subject = |image| schemactl_rules::Subject {
        image,
        config,
        config_path: config.kind.file().unwrap_or("schemactl.yaml"),
    };
    let findings = schemactl_rules::breaking::breaking(&subject(&old), &subject(&new))?;
    deadline.check()?;
    let summary = schemactl_rules::diff::diff(
        &old,
        &from.release.config,
        &new,
        &to.release.config,
        findings.len(),
    );
    let changes: Vec<Change> = summary
        .topics
        .into_iter()
        .find(|t| t.topic == topic.name)
        .map(|t| t.changes)
        .unwrap_or_default();
    let bump = if !findings.is_empty() {
        Bump::Major
    } else if changes.iter().any(|c| c.kind != ChangeKind::Changed) {
        Bump::Minor
    } else if changes.is_empty() {
        Bump::Patch
    } else {
        summary.bump.min(Bump::Minor)
    };
    let breaking = findings
        .iter()
        .map(|f| {
            let at = f
                .location
                .map(|l| format!(" ({}:{})", f.path, l.start_line))
                .unwrap_or_default();
            format!("{}: {}{at}", f.rule, f.message)
        })
        .collect();

    let old_files = from.sources();
    let new_files = to.sources();
    let paths: BTreeSet<&str> = old_files
        .iter()
        .chain(&new_files)
        .map(|f| f.name.as_str())
        .collect();
    let mut files = Vec::new();
    for path in paths {
        deadline.check()?;
        let a = old_files
            .iter()
            .find(|f| f.name == path)
            .map_or("", |f| &*f.text);
        let b = new_files
            .iter()
            .find(|f| f.name == path)
            .map_or("", |f| &*f.text);
        if a == b {
            continue;
        }
        let unified = similar::TextDiff::from_lines(a, b)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string();
        files.push(FileDiff {
            path: path.to_owned(),
            unified,
        });
    }
    Ok(TopicDiff {
        topic: topic.name.clone(),
        from: from.version,
        to: to.version,
        from_release: from.release.name.clone(),
        to_release: to.release.name.clone(),
        bump,
        breaking,
        changes,
        files,
    })
}
