//! The Confluent Schema Registry API (read side, lookup, compatibility), so
//! existing serializers work with `schema.registry.url` pointing here.
//! Writes are refused: the git repository is the source of truth.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use schemactl_registry::confluent::{
    self as c, ConfluentError, Format, SchemaRequest, compatibility, lookup,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::jobs::JobError;
use crate::state::{AppState, Snapshot};

pub const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

type Q = Query<HashMap<String, String>>;

/// The error body of every Confluent route that the registry crate does
/// not answer itself (auth, limits, panics).
#[derive(Serialize)]
pub struct ErrorBody {
    pub error_code: u16,
    pub message: String,
}

/// `GET /config` and `GET /config/{subject}`.
#[derive(Serialize)]
struct CompatibilityConfig {
    #[serde(rename = "compatibilityLevel")]
    compatibility_level: &'static str,
}

/// `GET /mode`: always `READONLY`.
#[derive(Serialize)]
struct Mode {
    mode: &'static str,
}

/// An item of `GET /schemas/ids/{id}/versions`.
#[derive(Serialize)]
struct SubjectVersion<'a> {
    subject: &'a str,
    version: u32,
}

/// A response with `value` as its body and Confluent's content type.
/// Bodies with more than one field declare them in alphabetical order, as
/// a `serde_json::Value` map (which the registry's bodies are) sorts them.
pub fn respond<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        // Only a map with non-string keys fails, and no body has one.
        Err(_) => return crate::middleware::internal_error(false),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}

pub fn error(e: &ConfluentError) -> Response {
    respond(
        StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        &e.body(),
    )
}

fn result(r: Result<Value, ConfluentError>) -> Response {
    match r {
        Ok(v) => respond(StatusCode::OK, &v),
        Err(e) => error(&e),
    }
}

fn snapshot(state: &AppState) -> Result<Arc<Snapshot>, Response> {
    state.snapshot.load_full().ok_or_else(|| {
        error(&ConfluentError::new(
            503,
            50003,
            "the registry is still loading the schema repository",
        ))
    })
}

macro_rules! snap {
    ($state:expr) => {
        match snapshot(&$state) {
            Ok(s) => s,
            Err(r) => return r,
        }
    };
}

fn format(query: &HashMap<String, String>) -> Format {
    Format::from_query(query.get("format").map(String::as_str))
}

/// A query flag, whatever its case (`True`, `false`, `1`).
fn flag(query: &HashMap<String, String>, name: &str) -> bool {
    query
        .get(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

fn parse_request(body: &Bytes) -> Result<SchemaRequest, ConfluentError> {
    serde_json::from_slice(body).map_err(|e| {
        ConfluentError::new(
            422,
            42201,
            format!("Invalid request body: {e}; send {{\"schema\": \"...\", \"schemaType\": \"PROTOBUF\", \"references\": [...]}}"),
        )
    })
}

pub async fn subjects(State(state): State<Arc<AppState>>, Query(q): Q) -> Response {
    let snap = snap!(state);
    let prefix = q.get("subjectPrefix").map_or("", String::as_str);
    let names: Vec<&String> = snap
        .registry
        .subjects
        .keys()
        .filter(|s| s.starts_with(prefix))
        .collect();
    respond(StatusCode::OK, &names)
}

pub async fn subject_versions(
    State(state): State<Arc<AppState>>,
    Path(subject): Path<String>,
) -> Response {
    let snap = snap!(state);
    result(c::subject(&snap.registry, &subject).map(|s| {
        let versions: Vec<u32> = (1..=s.versions.len() as u32).collect();
        json!(versions)
    }))
}

pub async fn subject_version(
    State(state): State<Arc<AppState>>,
    Path((subject, which)): Path<(String, String)>,
    Query(q): Q,
) -> Response {
    let snap = snap!(state);
    result(c::subject(&snap.registry, &subject).and_then(|s| {
        let (n, schema) = c::version(s, &which)?;
        Ok(c::subject_version(&s.name, n, schema, format(&q)))
    }))
}

pub async fn subject_version_schema(
    State(state): State<Arc<AppState>>,
    Path((subject, which)): Path<(String, String)>,
    Query(q): Q,
) -> Response {
    let snap = snap!(state);
    match c::subject(&snap.registry, &subject).and_then(|s| c::version(s, &which)) {
        Ok((_, schema)) => {
            let mut r = Response::new(Body::from(c::schema_string(schema, format(&q))));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
            r
        }
        Err(e) => error(&e),
    }
}

pub async fn subject_version_referenced_by(
    State(state): State<Arc<AppState>>,
    Path((subject, which)): Path<(String, String)>,
) -> Response {
    let snap = snap!(state);
    result(c::subject(&snap.registry, &subject).and_then(|s| {
        let (n, _) = c::version(s, &which)?;
        let ids: Vec<u32> = snap
            .registry
            .schemas
            .values()
            .filter(|schema| {
                schema
                    .references
                    .iter()
                    .any(|r| r.subject == subject && r.version == n)
            })
            .map(|schema| schema.id)
            .collect();
        Ok(json!(ids))
    }))
}

pub async fn lookup_schema(
    State(state): State<Arc<AppState>>,
    Path(subject): Path<String>,
    Query(q): Q,
    body: Bytes,
) -> Response {
    let snap = snap!(state);
    let registry = snap.registry.clone();
    let format = format(&q);
    let outcome = state
        .jobs
        .run(
            move |deadline| {
                let request = parse_request(&body)?;
                lookup(&registry, &subject, &request, format, deadline)
            },
            timed_out,
        )
        .await;
    job_result(outcome)
}

pub async fn check_compatibility(
    State(state): State<Arc<AppState>>,
    Path(params): Path<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let snap = snap!(state);
    let registry = snap.registry.clone();
    let outcome = state
        .jobs
        .run(
            move |deadline| {
                let subject = params.get("subject").cloned().unwrap_or_default();
                let request = parse_request(&body)?;
                compatibility(
                    &registry,
                    &subject,
                    params.get("version").map(String::as_str),
                    &request,
                    deadline,
                )
            },
            timed_out,
        )
        .await;
    job_result(outcome)
}

fn timed_out(r: &Result<Value, ConfluentError>) -> bool {
    r.as_ref().is_err_and(|e| *e == ConfluentError::timed_out())
}

fn job_result(outcome: Result<Result<Value, ConfluentError>, JobError>) -> Response {
    match outcome {
        Ok(r) => result(r),
        Err(JobError::Busy) => {
            let mut r = error(&ConfluentError::new(
                429,
                42901,
                "Too many schema compilations are running; retry in a moment",
            ));
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            r
        }
        Err(JobError::Expired) => error(&ConfluentError::timed_out()),
        Err(JobError::Panicked) => crate::middleware::internal_error(false),
    }
}

pub async fn schema_by_id(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(q): Q,
) -> Response {
    let snap = snap!(state);
    match find_schema(&snap, &id) {
        Ok(schema) => respond(StatusCode::OK, &c::schema_by_id(schema, format(&q))),
        Err(e) => error(&e),
    }
}

pub async fn schema_by_id_raw(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(q): Q,
) -> Response {
    let snap = snap!(state);
    match find_schema(&snap, &id) {
        Ok(schema) => {
            let mut r = Response::new(Body::from(c::schema_string(schema, format(&q))));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
            r
        }
        Err(e) => error(&e),
    }
}

fn find_schema<'s>(
    snap: &'s Snapshot,
    id: &str,
) -> Result<&'s Arc<schemactl_registry::Schema>, ConfluentError> {
    id.parse::<u32>()
        .ok()
        .and_then(|n| snap.registry.schemas.get(&n))
        .ok_or_else(|| ConfluentError::schema_not_found(id))
}

pub async fn schema_versions(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Response {
    let snap = snap!(state);
    match find_schema(&snap, &id) {
        Ok(schema) => {
            let list: Vec<SubjectVersion<'_>> = snap
                .registry
                .schema_subjects
                .get(&schema.id)
                .into_iter()
                .flatten()
                .map(|(s, v)| SubjectVersion {
                    subject: s,
                    version: *v,
                })
                .collect();
            respond(StatusCode::OK, &list)
        }
        Err(e) => error(&e),
    }
}

pub async fn schema_subjects(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Response {
    let snap = snap!(state);
    result(find_schema(&snap, &id).map(|schema| {
        let mut list: Vec<&str> = snap
            .registry
            .schema_subjects
            .get(&schema.id)
            .into_iter()
            .flatten()
            .map(|(s, _)| s.as_str())
            .collect();
        list.dedup();
        json!(list)
    }))
}

pub async fn schemas(State(state): State<Arc<AppState>>, Query(q): Q) -> Response {
    let snap = snap!(state);
    let prefix = q.get("subjectPrefix").map_or("", String::as_str);
    let latest_only = flag(&q, "latestOnly");
    let mut list = Vec::new();
    for s in snap.registry.subjects.values() {
        if !s.name.starts_with(prefix) {
            continue;
        }
        let skip = if latest_only {
            s.versions.len().saturating_sub(1)
        } else {
            0
        };
        for (i, schema) in s.versions.iter().enumerate().skip(skip) {
            list.push(c::subject_version(
                &s.name,
                i as u32 + 1,
                schema,
                format(&q),
            ));
        }
    }
    respond(StatusCode::OK, &list)
}

pub async fn schema_types() -> Response {
    respond(StatusCode::OK, &["PROTOBUF"])
}

pub async fn config(State(state): State<Arc<AppState>>) -> Response {
    let snap = snap!(state);
    respond(
        StatusCode::OK,
        &CompatibilityConfig {
            compatibility_level: c::compatibility_level(&snap.registry),
        },
    )
}

pub async fn subject_config(
    State(state): State<Arc<AppState>>,
    Path(subject): Path<String>,
) -> Response {
    let snap = snap!(state);
    match c::subject(&snap.registry, &subject) {
        Ok(_) => respond(
            StatusCode::OK,
            &CompatibilityConfig {
                compatibility_level: c::compatibility_level(&snap.registry),
            },
        ),
        Err(e) => error(&e),
    }
}

pub async fn mode() -> Response {
    respond(StatusCode::OK, &Mode { mode: "READONLY" })
}

pub async fn contexts() -> Response {
    respond(StatusCode::OK, &["."])
}

/// Schema associations (Confluent Cloud) do not exist here; recent clients
/// probe this path first and treat 404 as "not supported".
pub async fn associations() -> Response {
    error(&ConfluentError::new(
        404,
        404,
        "HTTP 404 Not Found: schema associations are not supported",
    ))
}

pub async fn read_only() -> Response {
    error(&ConfluentError::read_only())
}

pub async fn not_found() -> Response {
    error(&ConfluentError::new(404, 404, "HTTP 404 Not Found"))
}

/// `GET /`: Confluent answers `{}`; a browser gets the web UI.
pub fn root_json() -> Response {
    respond(StatusCode::OK, &json!({}))
}
