use semver::Version;

use crate::{GitRepo, SourceError};

/// A release: a tag `<prefix>MAJOR.MINOR.PATCH` on the schema repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseTag {
    pub name: String,
    pub version: Version,
    /// The commit the tag points to (hex).
    pub commit: String,
}

/// Every release tag: named `<prefix>MAJOR.MINOR.PATCH`, pointing (through
/// any annotated tags) to a commit; in ascending semver order.
///
/// A pre-release (`v2.0.0-rc.1`) is not a release: it is a candidate for one,
/// so it is neither the base of the next version, nor served as a topic
/// version, nor what `breaking` compares against by default. This is the one
/// place that decides what a release is, and every caller (`release`, the
/// default `--against`, the registry history) lists releases through it.
/// Tags that do not parse as semver after the prefix are skipped too.
pub fn release_tags(repo: &GitRepo, prefix: &str) -> Result<Vec<ReleaseTag>, SourceError> {
    let git = repo.inner();
    let names = git
        .tag_names(Some(&format!("{prefix}*")))
        .map_err(|e| SourceError::git(repo.path(), &e))?;
    let mut tags = Vec::new();
    for name in names.iter().flatten().flatten() {
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let Ok(version) = Version::parse(rest) else {
            continue;
        };
        if !version.pre.is_empty() {
            continue;
        }
        // The full ref name: a branch or a top-level ref of the same name
        // must not stand in for the tag. A tag of a tree or blob is no
        // release.
        let Ok(commit) = repo.resolve(&format!("refs/tags/{name}")) else {
            continue;
        };
        tags.push(ReleaseTag {
            name: name.to_owned(),
            version,
            commit: commit.id().to_string(),
        });
    }
    tags.sort_by(|a, b| a.version.cmp(&b.version).then_with(|| a.name.cmp(&b.name)));
    Ok(tags)
}

impl GitRepo {
    /// The highest release tag whose commit is an ancestor of (or equal to)
    /// `head`.
    pub fn latest_release_reachable(
        &self,
        prefix: &str,
        head: &str,
    ) -> Result<Option<ReleaseTag>, SourceError> {
        let head = self.resolve(head)?.id();
        let git = self.inner();
        let mut tags = release_tags(self, prefix)?;
        tags.reverse();
        for tag in tags {
            let Ok(oid) = git2::Oid::from_str(&tag.commit) else {
                continue;
            };
            if oid == head || git.graph_descendant_of(head, oid).unwrap_or(false) {
                return Ok(Some(tag));
            }
        }
        Ok(None)
    }
}
