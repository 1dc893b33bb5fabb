//! Response bodies computed once per snapshot, and their ETags: the state
//! builds them when it swaps in a snapshot, the native API serves them.
//! (Neither module depends on the other for them.)

use axum::body::Bytes;
use schemactl_registry::{Topic, TopicVersion};
use serde_json::{Value, json};

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
    let sources: Vec<Value> = v
        .sources()
        .iter()
        .map(|f| json!({ "path": f.name, "content": &*f.text }))
        .collect();
    let body = json!({
        "topic": topic.name,
        "version": v.version,
        "release": v.release.name,
        "commit": v.release.commit,
        "message": v.message,
        "file": v.file,
        "message_index": v.index,
        "fingerprint": v.fingerprint,
        "id": v.schema.id,
        "subject": format!("{}-value", topic.name),
        "sources": sources,
    });
    body.to_string().into_bytes()
}
