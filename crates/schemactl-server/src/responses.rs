//! The JSON bodies of the native API (`/api/v1`), `/healthz`, `/readyz`
//! and the GitHub webhook, one type each; `openapi.json` describes them.
//!
//! Fields are declared in alphabetical order: these bodies used to be
//! built as `serde_json::Value` maps, which sort their keys, and the bytes
//! stay the same (a unit test checks the order of every type).
//!
//! The diff and validation bodies are the registry's own types; the
//! Confluent API's bodies are in `confluent.rs`.

use schemactl_registry::{Release, ReleaseError, Topic, TopicVersion};
use serde::Serialize;

/// Every error of the native API: `{"error": {"code", "message"}}`.
#[derive(Serialize)]
pub struct ApiError<'a> {
    pub error: ErrorBody<'a>,
}

#[derive(Serialize)]
pub struct ErrorBody<'a> {
    /// Stable, machine-readable: `topic_not_found`, `busy`, `timeout`, ...
    pub code: &'a str,
    pub message: String,
}

/// A version in lists: `GET /api/v1/topics/{t}` and `.../versions`.
#[derive(Serialize)]
pub struct VersionSummary<'a> {
    pub commit: &'a str,
    pub file: &'a str,
    pub fingerprint: &'a str,
    /// The Confluent schema id.
    pub id: u32,
    pub message: &'a str,
    pub release: &'a str,
    pub version: u32,
}

impl<'a> VersionSummary<'a> {
    pub fn new(v: &'a TopicVersion) -> Self {
        VersionSummary {
            commit: &v.release.commit,
            file: &v.file,
            fingerprint: &v.fingerprint,
            id: v.schema.id,
            message: &v.message,
            release: &v.release.name,
            version: v.version,
        }
    }
}

/// A topic in `GET /api/v1/topics`.
#[derive(Serialize)]
pub struct TopicSummary<'a> {
    pub active: bool,
    pub description: &'a str,
    pub latest_version: u32,
    pub message: &'a str,
    pub name: &'a str,
    pub owners: &'a [String],
    pub partitions: Option<u32>,
    pub producers: &'a [String],
    pub retention: Option<&'a str>,
    /// The Confluent subject of the topic's values: `{name}-value`.
    pub subject: String,
}

impl<'a> TopicSummary<'a> {
    pub fn new(t: &'a Topic) -> Self {
        TopicSummary {
            active: t.active,
            description: &t.description,
            latest_version: t.latest().version,
            message: &t.message,
            name: &t.name,
            owners: &t.owners,
            partitions: t.partitions,
            producers: &t.producers,
            retention: t.retention.as_deref(),
            subject: format!("{}-value", t.name),
        }
    }
}

/// `GET /api/v1/topics`.
#[derive(Serialize)]
pub struct Topics<'a> {
    pub topics: Vec<TopicSummary<'a>>,
}

/// `GET /api/v1/topics/{t}`: the summary and every version (`versions`
/// sorts after every summary field).
#[derive(Serialize)]
pub struct TopicDetail<'a> {
    #[serde(flatten)]
    pub summary: TopicSummary<'a>,
    pub versions: Vec<VersionSummary<'a>>,
}

/// `GET /api/v1/topics/{t}/versions`.
#[derive(Serialize)]
pub struct TopicVersions<'a> {
    pub topic: &'a str,
    pub versions: Vec<VersionSummary<'a>>,
}

/// `GET /api/v1/topics/{t}/versions/{v}`.
#[derive(Serialize)]
pub struct VersionBody<'a> {
    pub commit: &'a str,
    pub file: &'a str,
    pub fingerprint: &'a str,
    pub id: u32,
    pub message: &'a str,
    /// The message's path of indexes in its file (Confluent's wire format).
    pub message_index: &'a [i32],
    pub release: &'a str,
    /// The file and every file it imports.
    pub sources: Vec<SourceFile<'a>>,
    pub subject: String,
    pub topic: &'a str,
    pub version: u32,
}

#[derive(Serialize)]
pub struct SourceFile<'a> {
    pub content: &'a str,
    pub path: &'a str,
}

/// `POST /api/v1/topics/{t}/validate` when the payload could not be
/// checked against a version (422).
#[derive(Serialize)]
pub struct NotValidated<'a> {
    pub error: String,
    pub topic: &'a str,
    /// Always `false`.
    pub valid: bool,
}

/// `GET /api/v1/releases`.
#[derive(Serialize)]
pub struct Releases<'a> {
    pub errors: Vec<ReleaseProblem<'a>>,
    pub releases: Vec<ReleaseSummary<'a>>,
}

#[derive(Serialize)]
pub struct ReleaseSummary<'a> {
    pub commit: &'a str,
    /// Files in the release's tree, parsed and linked for it (the others
    /// were reused from earlier releases).
    pub files: usize,
    pub linked: usize,
    pub name: &'a str,
    pub parsed: usize,
}

impl<'a> ReleaseSummary<'a> {
    pub fn new(r: &'a Release) -> Self {
        ReleaseSummary {
            commit: &r.commit,
            files: r.stats.files,
            linked: r.stats.linked,
            name: &r.name,
            parsed: r.stats.parsed,
        }
    }
}

/// A release tag that could not be served (in `/api/v1/releases` and
/// `/readyz`).
#[derive(Serialize)]
pub struct ReleaseProblem<'a> {
    pub message: &'a str,
    pub release: &'a str,
}

impl<'a> ReleaseProblem<'a> {
    pub fn new(e: &'a ReleaseError) -> Self {
        ReleaseProblem {
            message: &e.message,
            release: &e.release,
        }
    }
}

/// `GET /healthz`.
#[derive(Serialize)]
pub struct Health {
    /// Always `ok`.
    pub status: &'static str,
}

/// `GET /readyz` before the first snapshot (503).
#[derive(Serialize)]
pub struct Loading {
    pub last_error: Option<String>,
    /// Always `loading`.
    pub status: &'static str,
}

/// `GET /readyz` once a snapshot is served.
#[derive(Serialize)]
pub struct Ready<'a> {
    pub consecutive_refresh_failures: u32,
    pub last_refresh_error: Option<String>,
    pub latest_release: Option<&'a str>,
    pub release_errors: Vec<ReleaseProblem<'a>>,
    pub releases: usize,
    pub snapshot_age_seconds: f64,
    /// `ready`, or `degraded` when the last refresh failed.
    pub status: &'static str,
    pub topics: usize,
}

/// The webhook's answer to `ping`.
#[derive(Serialize)]
pub struct Pong<'a> {
    pub event: &'a str,
    /// Always `true`.
    pub ok: bool,
}

/// The webhook's answer to any other event.
#[derive(Serialize)]
pub struct Hooked<'a> {
    pub event: &'a str,
    /// `scheduled` (a push, a tag created or deleted) or `ignored`.
    pub refresh: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes of `value` are those of the same value as a
    /// `serde_json::Value`, whose maps sort their keys: the fields are in
    /// alphabetical order.
    fn sorted<T: Serialize>(value: &T) {
        let typed = serde_json::to_string(value).expect("serializes");
        let untyped = serde_json::to_value(value).expect("serializes").to_string();
        assert_eq!(typed, untyped);
    }

    #[test]
    fn fields_are_declared_in_alphabetical_order() {
        let owners = vec!["team".to_owned()];
        let version = || VersionSummary {
            commit: "c",
            file: "f.proto",
            fingerprint: "sha256:00",
            id: 1,
            message: "m.M",
            release: "v1",
            version: 1,
        };
        let summary = || TopicSummary {
            active: true,
            description: "d",
            latest_version: 1,
            message: "m.M",
            name: "t",
            owners: &owners,
            partitions: Some(3),
            producers: &owners,
            retention: Some("7d"),
            subject: "t-value".to_owned(),
        };
        sorted(&ApiError {
            error: ErrorBody {
                code: "busy",
                message: "m".to_owned(),
            },
        });
        sorted(&Topics {
            topics: vec![summary()],
        });
        sorted(&TopicDetail {
            summary: summary(),
            versions: vec![version()],
        });
        sorted(&TopicVersions {
            topic: "t",
            versions: vec![version()],
        });
        sorted(&VersionBody {
            commit: "c",
            file: "f.proto",
            fingerprint: "sha256:00",
            id: 1,
            message: "m.M",
            message_index: &[0, 1],
            release: "v1",
            sources: vec![SourceFile {
                content: "syntax = \"proto3\";",
                path: "f.proto",
            }],
            subject: "t-value".to_owned(),
            topic: "t",
            version: 1,
        });
        sorted(&NotValidated {
            error: "e".to_owned(),
            topic: "t",
            valid: false,
        });
        sorted(&Releases {
            errors: vec![ReleaseProblem {
                message: "m",
                release: "v0",
            }],
            releases: vec![ReleaseSummary {
                commit: "c",
                files: 3,
                linked: 2,
                name: "v1",
                parsed: 1,
            }],
        });
        sorted(&Health { status: "ok" });
        sorted(&Loading {
            last_error: Some("e".to_owned()),
            status: "loading",
        });
        sorted(&Ready {
            consecutive_refresh_failures: 0,
            last_refresh_error: None,
            latest_release: Some("v1"),
            release_errors: vec![],
            releases: 1,
            snapshot_age_seconds: 1.5,
            status: "ready",
            topics: 1,
        });
        sorted(&Pong {
            event: "ping",
            ok: true,
        });
        sorted(&Hooked {
            event: "push",
            refresh: "scheduled",
        });
    }
}
