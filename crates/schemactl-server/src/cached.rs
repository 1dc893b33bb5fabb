//! Response bodies computed once per snapshot, and their ETags: the state
//! builds them when it swaps in a snapshot, the native API serves them.
//! (Neither module depends on the other for them.)

use axum::body::Bytes;
use schemactl_registry::{Topic, TopicVersion};

use crate::responses::{SourceFile, VersionBody};

/// A response body computed once per snapshot.
#[derive(Clone)]
pub struct Cached {
    pub body: Bytes,
    pub etag: String,
}

/// The strong ETag of a version's representation: its fingerprint and
/// number, plus `suffix` per representation.
pub fn etag(v: &TopicVersion, suffix: &str) -> String {
    let hex = v.fingerprint.trim_start_matches("sha256:");
    format!("\"{}-{}{suffix}\"", &hex[..hex.len().min(16)], v.version)
}

/// The body of `GET /api/v1/topics/{t}/versions/{v}` (the same bytes for
/// `latest` and its number).
pub fn version_body(topic: &Topic, v: &TopicVersion) -> Vec<u8> {
    let body = VersionBody {
        commit: &v.release.commit,
        file: &v.file,
        fingerprint: &v.fingerprint,
        id: v.schema.id,
        message: &v.message,
        message_index: &v.index,
        release: &v.release.name,
        sources: v
            .sources()
            .iter()
            .map(|f| SourceFile {
                content: &f.text,
                path: &f.name,
            })
            .collect(),
        subject: format!("{}-value", topic.name),
        topic: &topic.name,
        version: v.version,
    };
    // Serializing borrowed strings and numbers cannot fail.
    serde_json::to_vec(&body).unwrap_or_default()
}
