//! The Confluent Schema Registry semantics: subjects, lookup by meaning,
//! compatibility. HTTP-free; the server maps [`ConfluentError`] to a
//! response.

use std::sync::Arc;

use base64::Engine as _;
use prost_types::FileDescriptorProto;
use schemactl_compile::{FileSet, ReadImport, compile_text};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::deadline::{Deadline, Expired};
use crate::model::{Registry, Schema, Subject};
use crate::normalize::normal_form_within;

/// A Confluent error: HTTP status, `error_code`, `message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfluentError {
    pub status: u16,
    pub code: u32,
    pub message: String,
}

impl ConfluentError {
    pub fn new(status: u16, code: u32, message: impl Into<String>) -> Self {
        ConfluentError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn subject_not_found(subject: &str) -> Self {
        Self::new(404, 40401, format!("Subject '{subject}' not found."))
    }

    pub fn version_not_found(version: &str) -> Self {
        Self::new(404, 40402, format!("Version {version} not found."))
    }

    /// No schema has this id.
    pub fn schema_not_found(id: &str) -> Self {
        Self::new(404, 40403, format!("Schema {id} not found"))
    }

    /// A lookup found no version that means the same as the submitted
    /// schema.
    pub fn schema_not_in_subject(subject: &str) -> Self {
        Self::new(
            404,
            40403,
            format!(
                "Schema not found: no version of subject '{subject}' means the same as the submitted schema"
            ),
        )
    }

    /// The request's time ran out while its work was running.
    pub fn timed_out() -> Self {
        Self::new(
            503,
            50002,
            "The request took longer than the server's --request-timeout; its work was stopped",
        )
    }

    pub fn invalid_schema(message: impl Into<String>) -> Self {
        Self::new(422, 42201, message)
    }

    pub fn invalid_version(version: &str) -> Self {
        Self::new(
            422,
            42202,
            format!(
                "The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""
            ),
        )
    }

    /// Writes: the git repository is the source of truth.
    pub fn read_only() -> Self {
        Self::new(
            405,
            42205,
            "This registry is read-only: schemas change through pull requests to the schema repository (schemactl serves its release tags).",
        )
    }

    pub fn body(&self) -> Value {
        json!({ "error_code": self.code, "message": self.message })
    }
}

impl From<Expired> for ConfluentError {
    fn from(_: Expired) -> Self {
        ConfluentError::timed_out()
    }
}

/// The body of `POST /subjects/{s}` and the compatibility endpoints.
#[derive(Debug, Deserialize)]
pub struct SchemaRequest {
    pub schema: String,
    #[serde(rename = "schemaType", default)]
    pub schema_type: Option<String>,
    #[serde(default)]
    pub references: Option<Vec<RequestReference>>,
}

#[derive(Debug, Deserialize)]
pub struct RequestReference {
    pub name: String,
    pub subject: String,
    pub version: i64,
}

/// How a schema is printed: `.proto` text, or base64 of the
/// `FileDescriptorProto` (`format=serialized`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Serialized,
}

impl Format {
    pub fn from_query(value: Option<&str>) -> Format {
        match value {
            Some(v) if v.eq_ignore_ascii_case("serialized") => Format::Serialized,
            _ => Format::Text,
        }
    }
}

pub fn schema_string(schema: &Schema, format: Format) -> String {
    match format {
        Format::Text => schema.text.to_string(),
        Format::Serialized => base64::engine::general_purpose::STANDARD.encode(&*schema.descriptor),
    }
}

/// `GET /schemas/ids/{id}`.
pub fn schema_by_id(schema: &Schema, format: Format) -> Value {
    let mut v = json!({
        "schemaType": "PROTOBUF",
        "schema": schema_string(schema, format),
    });
    if !schema.references.is_empty() {
        v["references"] = json!(schema.references);
    }
    v
}

/// `GET /subjects/{s}/versions/{v}` and the lookup answer.
pub fn subject_version(subject: &str, version: u32, schema: &Schema, format: Format) -> Value {
    json!({
        "subject": subject,
        "version": version,
        "id": schema.id,
        "schemaType": "PROTOBUF",
        "schema": schema_string(schema, format),
        "references": schema.references,
    })
}

pub fn subject<'r>(registry: &'r Registry, name: &str) -> Result<&'r Subject, ConfluentError> {
    registry
        .subjects
        .get(name)
        .ok_or_else(|| ConfluentError::subject_not_found(name))
}

/// Check a version argument (`latest`, `-1` or 1..2^31-1) and find it.
pub fn version<'s>(
    subject: &'s Subject,
    which: &str,
) -> Result<(u32, &'s Arc<Schema>), ConfluentError> {
    let valid = which.eq_ignore_ascii_case("latest")
        || which == "-1"
        || which
            .parse::<u32>()
            .is_ok_and(|n| (1..=i32::MAX as u32).contains(&n));
    if !valid {
        return Err(ConfluentError::invalid_version(which));
    }
    subject
        .version(which)
        .ok_or_else(|| ConfluentError::version_not_found(which))
}

/// The descriptor a client submitted, encoded, named `file`: base64 of a
/// `FileDescriptorProto` (what the Python client sends) or `.proto` text
/// (compiled, its imports read from `references` or else from the latest
/// release).
pub fn submitted_descriptor(
    registry: &Registry,
    request: &SchemaRequest,
    file: &str,
    deadline: &Deadline,
) -> Result<Vec<u8>, ConfluentError> {
    deadline.check()?;
    match request.schema_type.as_deref() {
        Some(t) if t.eq_ignore_ascii_case("PROTOBUF") => {}
        other => {
            return Err(ConfluentError::invalid_schema(format!(
                "this registry serves Protobuf schemas only; send \"schemaType\": \"PROTOBUF\" (got {})",
                other.map_or_else(
                    || "no schemaType, which means AVRO".to_owned(),
                    |t| format!("\"{t}\"")
                )
            )));
        }
    }
    let trimmed = request.schema.trim();
    if let Some(bytes) = base64_descriptor(trimmed) {
        let mut proto =
            <FileDescriptorProto as prost::Message>::decode(bytes.as_slice()).map_err(|e| {
                ConfluentError::invalid_schema(format!("invalid FileDescriptorProto: {e}"))
            })?;
        proto.name = Some(file.to_owned());
        schemactl_compile::limits::check_descriptor(&proto).map_err(|e| {
            ConfluentError::invalid_schema(format!("Invalid schema: {}", e.message))
        })?;
        return Ok(prost::Message::encode_to_vec(&proto));
    }
    let mut texts: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for r in request.references.iter().flatten() {
        let s = subject(registry, &r.subject).map_err(|_| {
            ConfluentError::invalid_schema(format!(
                "reference `{}`: subject '{}' not found",
                r.name, r.subject
            ))
        })?;
        let (_, schema) = version(s, &r.version.to_string()).map_err(|_| {
            ConfluentError::invalid_schema(format!(
                "reference `{}`: version {} of '{}' not found",
                r.name, r.version, r.subject
            ))
        })?;
        texts.insert(r.name.clone(), schema.text.to_string());
    }
    let latest: Option<FileSet> = registry.latest_release().map(|r| r.files.clone());
    let read: ReadImport = Arc::new(move |name: &str| {
        texts
            .get(name)
            .cloned()
            .or_else(|| latest.as_ref()?.get(name).map(|f| f.text.to_string()))
    });
    let compiled = compile_text(file, trimmed, read)
        .map_err(|e| ConfluentError::invalid_schema(format!("Invalid schema: {e}")))?;
    deadline.check()?;
    Ok(compiled)
}

fn base64_descriptor(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || text.contains(|c: char| c.is_whitespace() || c == ';' || c == '"') {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    <FileDescriptorProto as prost::Message>::decode(bytes.as_slice()).ok()?;
    Some(bytes)
}

/// The file name a subject's schemas have (its latest version's file).
pub fn subject_file(subject: &Subject) -> &str {
    subject
        .versions
        .last()
        .map_or(subject.name.as_str(), |s| s.file.as_str())
}

/// `POST /subjects/{s}`: the newest version of `subject` whose schema means
/// the same as the submitted one.
pub fn lookup(
    registry: &Registry,
    subject_name: &str,
    request: &SchemaRequest,
    format: Format,
    deadline: &Deadline,
) -> Result<Value, ConfluentError> {
    let s = subject(registry, subject_name)?;
    // Compiled once per file name the subject's versions have.
    let mut compiled: Vec<(&str, Vec<u8>)> = Vec::new();
    for (i, schema) in s.versions.iter().enumerate().rev() {
        deadline.check()?;
        let normal = match compiled.iter().find(|(f, _)| *f == schema.file) {
            Some((_, n)) => n,
            None => {
                let submitted = submitted_descriptor(registry, request, &schema.file, deadline)?;
                let Ok(proto) =
                    <FileDescriptorProto as prost::Message>::decode(submitted.as_slice())
                else {
                    continue;
                };
                let normal = normal_form_within(proto, Some(&schema.file), deadline)?;
                compiled.push((&schema.file, normal));
                &compiled[compiled.len() - 1].1
            }
        };
        if normal.as_slice() == schema.normal() {
            return Ok(subject_version(&s.name, i as u32 + 1, schema, format));
        }
    }
    Err(ConfluentError::schema_not_in_subject(&s.name))
}

/// `POST /compatibility/subjects/{s}/versions/{v}` (or every version when
/// `which` is `None`): is the submitted schema compatible under the
/// repository's breaking rules?
pub fn compatibility(
    registry: &Registry,
    subject_name: &str,
    which: Option<&str>,
    request: &SchemaRequest,
    deadline: &Deadline,
) -> Result<Value, ConfluentError> {
    let s = subject(registry, subject_name)?;
    let against: Vec<&Arc<Schema>> = match which {
        Some(w) => vec![version(s, w)?.1],
        None => s.versions.iter().collect(),
    };
    let Some(latest) = registry.latest_release() else {
        return Err(ConfluentError::new(
            404,
            40403,
            "Schema not found: no release of the schema repository is loaded",
        ));
    };
    let mut messages = Vec::new();
    // The submitted schema compiles to the same bytes for every version
    // with the same file name: compiled once per name.
    let mut compiled: Vec<(&str, Vec<u8>)> = Vec::new();
    for previous in against {
        deadline.check()?;
        let submitted = match compiled.iter().find(|(f, _)| *f == previous.file) {
            Some((_, bytes)) => bytes,
            None => {
                let bytes = submitted_descriptor(registry, request, &previous.file, deadline)?;
                compiled.push((&previous.file, bytes));
                &compiled[compiled.len() - 1].1
            }
        };
        let current = latest
            .files
            .image_with(submitted)
            .map_err(|e| ConfluentError::invalid_schema(e.to_string()))?;
        deadline.check()?;
        let old = previous
            .origin
            .files
            .image(&[&previous.file])
            .map_err(|e| ConfluentError::new(500, 50001, e.to_string()))?
            .only_inputs(&[&previous.file]);
        deadline.check()?;
        // The catalog is the latest release's on both sides: a submitted
        // schema changes no topic.
        let subject = |image| schemactl_rules::Subject {
            image,
            config: &latest.config,
            config_path: latest.config.kind.file().unwrap_or("schemactl.yaml"),
        };
        let findings = schemactl_rules::breaking::breaking(&subject(&old), &subject(&current))
            .map_err(|e| ConfluentError::new(500, 50001, e.to_string()))?;
        for f in findings {
            let at = f
                .location
                .map(|l| format!(" ({}:{}:{})", previous.file, l.start_line, l.start_column))
                .unwrap_or_default();
            messages.push(format!("{}: {}{at}", f.rule, f.message));
        }
    }
    Ok(json!({ "is_compatible": messages.is_empty(), "messages": messages }))
}

/// The Confluent compatibility level that matches the repository's
/// breaking rules.
pub fn compatibility_level(registry: &Registry) -> &'static str {
    let Some(release) = registry.latest_release() else {
        return "NONE";
    };
    if release.config.breaking.use_.is_empty() {
        "NONE"
    } else {
        "FULL_TRANSITIVE"
    }
}
