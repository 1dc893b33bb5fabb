//! The native API, `/api/v1`: JSON, described by `/api/v1/openapi.json`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use schemactl_registry::diff::DiffError;
use schemactl_registry::validate::{Encoding, validate};
use schemactl_registry::{Topic, TopicVersion};
use serde::Serialize;

use crate::cached::{Cached, etag, version_body};
use crate::jobs::JobError;
use crate::responses::{
    ApiError, ErrorBody, NotValidated, ReleaseProblem, ReleaseSummary, Releases, TopicDetail,
    TopicSummary, TopicVersions, Topics, VersionSummary,
};
use crate::state::{AppState, Snapshot};

/// The value of a `Result<T, Response>`, or return the error response.
macro_rules! or_return {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(response) => return response,
        }
    };
}

pub const OPENAPI: &str = include_str!("openapi.json");

/// A JSON response with `value` as its body.
pub fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        // Only a map with non-string keys fails, and no body has one.
        Err(_) => return crate::middleware::internal_error(true),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

pub fn api_error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    json_response(
        status,
        &ApiError {
            error: ErrorBody {
                code,
                message: message.into(),
            },
        },
    )
}

/// [`Path`], rejecting in the API's error shape (axum's own rejection is
/// plain text): 400 `bad_request` for a parameter that is not UTF-8 once
/// percent-decoded.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(e) => {
                let code = if e.status() == StatusCode::BAD_REQUEST {
                    "bad_request"
                } else {
                    "internal"
                };
                Err(api_error(e.status(), code, e.body_text()))
            }
        }
    }
}

/// The current snapshot, or 503 while the first load runs.
pub fn current(state: &AppState) -> Result<Arc<Snapshot>, Response> {
    state.snapshot.load_full().ok_or_else(|| {
        let status = state.status();
        let message = match status.last_error {
            Some(e) => format!("the registry has not loaded yet: {e}"),
            None => "the registry is loading".to_owned(),
        };
        let mut r = api_error(StatusCode::SERVICE_UNAVAILABLE, "not_ready", message);
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        r
    })
}

fn topic<'s>(snap: &'s Snapshot, name: &str) -> Result<&'s Topic, Response> {
    snap.registry.topics.get(name).ok_or_else(|| {
        api_error(
            StatusCode::NOT_FOUND,
            "topic_not_found",
            format!("no topic `{name}`; GET /api/v1/topics lists them"),
        )
    })
}

/// How a version is written in native API URLs: `latest`, `-1` (Confluent's
/// alias of `latest`) or a number without sign or leading zero. One spelling
/// per version: `LATEST` or `+2` would otherwise be served (and cached, for
/// numbers `immutable`) as other URLs of the same resource.
fn is_version(which: &str) -> bool {
    which == "latest"
        || which == "-1"
        || (which.starts_with(|c: char| matches!(c, '1'..='9'))
            && which.bytes().all(|b| b.is_ascii_digit()))
}

fn version<'t>(topic: &'t Topic, which: &str) -> Result<&'t Arc<TopicVersion>, Response> {
    topic
        .version(which)
        .filter(|_| is_version(which))
        .ok_or_else(|| {
            api_error(
                StatusCode::NOT_FOUND,
                "version_not_found",
                format!(
                    "topic `{}` has no version `{which}`; it has versions 1..{} and `latest`",
                    topic.name,
                    topic.versions.len()
                ),
            )
        })
}

pub async fn topics(State(state): State<Arc<AppState>>) -> Response {
    let snap = or_return!(current(&state));
    let topics = snap
        .registry
        .topics
        .values()
        .map(TopicSummary::new)
        .collect();
    json_response(StatusCode::OK, &Topics { topics })
}

pub async fn topic_detail(
    State(state): State<Arc<AppState>>,
    ApiPath(name): ApiPath<String>,
) -> Response {
    let snap = or_return!(current(&state));
    match topic(&snap, &name) {
        Ok(t) => {
            let body = TopicDetail {
                summary: TopicSummary::new(t),
                versions: t.versions.iter().map(|v| VersionSummary::new(v)).collect(),
            };
            json_response(StatusCode::OK, &body)
        }
        Err(r) => r,
    }
}

pub async fn topic_versions(
    State(state): State<Arc<AppState>>,
    ApiPath(name): ApiPath<String>,
) -> Response {
    let snap = or_return!(current(&state));
    match topic(&snap, &name) {
        Ok(t) => {
            let versions = t.versions.iter().map(|v| VersionSummary::new(v)).collect();
            json_response(
                StatusCode::OK,
                &TopicVersions {
                    topic: &t.name,
                    versions,
                },
            )
        }
        Err(r) => r,
    }
}

/// Serve a cached body with its strong ETag; numbered versions never
/// change, `latest` must be revalidated.
fn cached(
    headers: &HeaderMap,
    c: &Cached,
    immutable: bool,
    content_type: &'static str,
) -> Response {
    let cache_control = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == c.etag || t.trim() == "*"));
    let mut response = if matches {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        let mut r = Response::new(Body::from(c.body.clone()));
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&c.etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}

pub async fn topic_version(
    State(state): State<Arc<AppState>>,
    ApiPath((name, which)): ApiPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let snap = or_return!(current(&state));
    // `-1` is Confluent's alias of `latest`: the same cached body.
    let key = (
        name,
        if which == "-1" {
            "latest".to_owned()
        } else {
            which
        },
    );
    if let Some(c) = snap.versions.get(&key) {
        return cached(&headers, c, key.1 != "latest", "application/json");
    }
    let t = or_return!(topic(&snap, &key.0));
    match version(t, &key.1) {
        Ok(v) => {
            let body = version_body(t, v);
            let c = Cached {
                etag: etag(v, ""),
                body: Bytes::from(body),
            };
            cached(&headers, &c, false, "application/json")
        }
        Err(r) => r,
    }
}

pub async fn topic_descriptor(
    State(state): State<Arc<AppState>>,
    ApiPath((name, which)): ApiPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let snap = or_return!(current(&state));
    let t = or_return!(topic(&snap, &name));
    let v = or_return!(version(t, &which));
    match state.jobs.descriptor_set(v.clone()).await {
        Ok(Ok(set)) => {
            let c = Cached {
                etag: etag(v, "-fds"),
                body: Bytes::from(set),
            };
            let mut r = cached(
                &headers,
                &c,
                which != "latest" && which != "-1",
                "application/x-protobuf",
            );
            if let Ok(value) = HeaderValue::from_str(&format!(
                "attachment; filename=\"{}-v{}.binpb\"",
                t.name, v.version
            )) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, value);
            }
            r
        }
        Ok(Err(e)) => api_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
        Err(e) => job_error(e),
    }
}

pub async fn topic_diff(
    State(state): State<Arc<AppState>>,
    ApiPath(name): ApiPath<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let snap = or_return!(current(&state));
    let t = or_return!(topic(&snap, &name));
    let latest = t.latest().version.to_string();
    let previous = t.latest().version.saturating_sub(1).max(1).to_string();
    let from = query.get("from").map_or(previous.as_str(), String::as_str);
    let to = query.get("to").map_or(latest.as_str(), String::as_str);
    let (a, b) = match (version(t, from), version(t, to)) {
        (Ok(a), Ok(b)) => (a.clone(), b.clone()),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let outcome = state
        .jobs
        .topic_diff(snap.registry.clone(), name, a, b)
        .await;
    match outcome {
        // The registry's type, through a `Value`, whose maps sort their
        // keys, as this body always has.
        Ok(Some(Ok(diff))) => match serde_json::to_value(&diff) {
            Ok(value) => json_response(StatusCode::OK, &value),
            Err(_) => crate::middleware::internal_error(true),
        },
        Ok(Some(Err(DiffError::Expired(_)))) => job_error(JobError::Expired),
        Ok(Some(Err(e))) => api_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
        // The snapshot is held by the job, so the topic cannot vanish.
        Ok(None) => api_error(StatusCode::NOT_FOUND, "topic_not_found", "no such topic"),
        Err(e) => job_error(e),
    }
}

pub async fn topic_validate(
    State(state): State<Arc<AppState>>,
    ApiPath(name): ApiPath<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let snap = or_return!(current(&state));
    let t = or_return!(topic(&snap, &name));
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_ascii_lowercase();
    let encoding = if content_type.contains("json") {
        Encoding::Json
    } else {
        Encoding::Binary
    };
    let which = query.get("version").cloned();
    if let Some(w) = which.as_deref().filter(|w| !is_version(w)) {
        return json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NotValidated {
                error: format!(
                    "topic `{}` has no version `{w}` (it has 1..{}, `latest` and `-1`)",
                    t.name,
                    t.versions.len()
                ),
                topic: &t.name,
                valid: false,
            },
        );
    }
    let job_snap = snap.clone();
    let outcome = state
        .jobs
        .run(
            move |_deadline| {
                let t = job_snap.registry.topics.get(&name)?;
                Some(validate(
                    &job_snap.registry,
                    t,
                    which.as_deref(),
                    encoding,
                    &body,
                ))
            },
            |_| false,
        )
        .await;
    match outcome {
        Ok(Some(Ok(valid))) => json_response(StatusCode::OK, &valid.to_json(&t.name)),
        Ok(Some(Err(e))) => json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NotValidated {
                error: e.to_string(),
                topic: &t.name,
                valid: false,
            },
        ),
        Ok(None) => api_error(StatusCode::NOT_FOUND, "topic_not_found", "no such topic"),
        Err(e) => job_error(e),
    }
}

/// The answer when a CPU-heavy job gave no result.
pub fn job_error(e: JobError) -> Response {
    match e {
        JobError::Busy => {
            let mut r = api_error(
                StatusCode::TOO_MANY_REQUESTS,
                "busy",
                "too many CPU-heavy requests (validate, diff, lookup, compatibility) are running; retry in a moment",
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            r
        }
        JobError::Expired => api_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "the request took longer than the server's --request-timeout; its work was stopped",
        ),
        JobError::Panicked => crate::middleware::internal_error(true),
    }
}

pub async fn releases(State(state): State<Arc<AppState>>) -> Response {
    let snap = or_return!(current(&state));
    let body = Releases {
        errors: snap
            .registry
            .errors
            .iter()
            .map(ReleaseProblem::new)
            .collect(),
        releases: snap
            .registry
            .releases
            .iter()
            .map(|r| ReleaseSummary::new(r))
            .collect(),
    };
    json_response(StatusCode::OK, &body)
}

pub async fn openapi() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        OPENAPI,
    )
}
