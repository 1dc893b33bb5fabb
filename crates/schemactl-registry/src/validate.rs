//! `POST /api/v1/topics/{topic}/validate`: is this payload a valid message
//! of the topic's type? One event type per topic, enforced at the edge.

use prost_reflect::{DynamicMessage, MessageDescriptor, ReflectMessage, SerializeOptions, Value};
use serde_json::json;

use crate::model::{DescriptorError, Registry, Topic, TopicVersion};

/// Why a payload is not a valid message of its topic (the server answers
/// 422 with this text).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("topic `{topic}` has no version `{which}` (it has 1..{versions})")]
    NoVersion {
        topic: String,
        which: String,
        versions: usize,
    },
    #[error(transparent)]
    Descriptor(#[from] DescriptorError),
    #[error("not a valid `{message}` in JSON: {source}")]
    Json {
        message: String,
        source: serde_json::Error,
    },
    #[error(
        "framed payload too short: a Confluent header is the magic byte 0 and a 4-byte schema id"
    )]
    FrameTooShort,
    #[error(
        "schema id {id} is `{file}`, which is not a schema of topic `{topic}` (its ids: {ids})"
    )]
    ForeignSchemaId {
        id: u32,
        file: String,
        topic: String,
        ids: String,
    },
    #[error("unknown schema id {id}; topic `{topic}` has ids {ids}")]
    UnknownSchemaId { id: u32, topic: String, ids: String },
    #[error(transparent)]
    OtherMessage(Box<OtherMessage>),
    #[error(transparent)]
    Indexes(#[from] IndexError),
    #[error("not a valid `{message}`: {source}")]
    Binary {
        message: String,
        source: prost::DecodeError,
    },
    #[error(
        "`{message}` has no field {}: the payload is of another type or a newer version",
        .fields.join(", ")
    )]
    UnknownFields {
        message: String,
        /// Field numbers as `path.number`.
        fields: Vec<String>,
    },
    #[error("{0}")]
    ToJson(String),
}

impl ValidateError {
    /// What the sender can do about it, when there is something.
    pub fn hint(&self) -> Option<String> {
        match self {
            ValidateError::NoVersion { .. } => {
                Some("pass `version=latest` or a version number the topic has".to_owned())
            }
            ValidateError::UnknownFields { .. } => Some(
                "validate against the version the producer was built with (`version=N`)".to_owned(),
            ),
            _ => None,
        }
    }
}

/// A Confluent header that names another message of the file than the
/// topic's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the header names message index {indexes:?} of `{file}` ({named}); topic `{topic}` carries `{message}` (index {index:?})"
)]
pub struct OtherMessage {
    pub indexes: Vec<i32>,
    pub file: String,
    /// The message the indexes name, in backticks, or `no message`.
    pub named: String,
    pub topic: String,
    pub message: String,
    pub index: Vec<i32>,
}

/// A Confluent header whose message indexes cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    #[error("invalid message index count {count} in the Confluent header")]
    Count { count: i32 },
    #[error("truncated message indexes in the Confluent header")]
    Truncated,
}

/// How the payload is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Protobuf JSON.
    Json,
    /// Binary protobuf, or Confluent-framed binary (magic byte 0, schema id,
    /// message indexes) — told apart by the first byte, which is never 0 in
    /// a protobuf message.
    Binary,
}

/// A valid payload.
#[derive(Debug)]
pub struct Valid {
    pub version: u32,
    pub message: String,
    /// The schema id of the Confluent header, when framed.
    pub schema_id: Option<u32>,
    pub json: serde_json::Value,
}

impl Valid {
    pub fn to_json(&self, topic: &str) -> serde_json::Value {
        json!({
            "valid": true,
            "topic": topic,
            "version": self.version,
            "message": self.message,
            "schema_id": self.schema_id,
            "framed": self.schema_id.is_some(),
            "json": self.json,
        })
    }
}

/// Validate `payload` against `version` (or, for framed payloads, the
/// version its schema id names; else the latest). `Err` says what is wrong.
pub fn validate(
    registry: &Registry,
    topic: &Topic,
    version: Option<&str>,
    encoding: Encoding,
    payload: &[u8],
) -> Result<Valid, ValidateError> {
    let pick = |which: Option<&str>| -> Result<&TopicVersion, ValidateError> {
        match which {
            None => Ok(topic.latest()),
            Some(w) => topic
                .version(w)
                .map(|v| &**v)
                .ok_or_else(|| ValidateError::NoVersion {
                    topic: topic.name.clone(),
                    which: w.to_owned(),
                    versions: topic.versions.len(),
                }),
        }
    };
    match encoding {
        Encoding::Json => {
            let v = pick(version)?;
            let desc = v.descriptor()?;
            let mut de = serde_json::Deserializer::from_slice(payload);
            let message = DynamicMessage::deserialize(desc, &mut de)
                .and_then(|m| de.end().map(|()| m))
                .map_err(|source| ValidateError::Json {
                    message: v.message.clone(),
                    source,
                })?;
            finish(v, None, &message)
        }
        Encoding::Binary if payload.first() == Some(&0) => {
            if payload.len() < 5 {
                return Err(ValidateError::FrameTooShort);
            }
            let id = u32::from_be_bytes([payload[1], payload[2], payload[3], payload[4]]);
            let candidates: Vec<&TopicVersion> = topic
                .versions
                .iter()
                .filter(|v| v.schema.id == id)
                .map(|v| &**v)
                .collect();
            let v = match (version, candidates.last()) {
                (Some(w), _) => pick(Some(w))?,
                (None, Some(v)) => v,
                (None, None) => {
                    return Err(match registry.schemas.get(&id) {
                        Some(s) => ValidateError::ForeignSchemaId {
                            id,
                            file: s.file.clone(),
                            topic: topic.name.clone(),
                            ids: ids(topic),
                        },
                        None => ValidateError::UnknownSchemaId {
                            id,
                            topic: topic.name.clone(),
                            ids: ids(topic),
                        },
                    });
                }
            };
            let mut rest = &payload[5..];
            let indexes = read_indexes(&mut rest)?;
            if indexes != v.index {
                let named = message_at(v, &indexes).unwrap_or_else(|| "no message".to_owned());
                return Err(ValidateError::OtherMessage(Box::new(OtherMessage {
                    indexes,
                    file: v.file.clone(),
                    named,
                    topic: topic.name.clone(),
                    message: v.message.clone(),
                    index: v.index.clone(),
                })));
            }
            let desc = v.descriptor()?;
            let message = decode(&desc, rest)?;
            finish(v, Some(id), &message)
        }
        Encoding::Binary => {
            let v = pick(version)?;
            let desc = v.descriptor()?;
            let message = decode(&desc, payload)?;
            finish(v, None, &message)
        }
    }
}

fn ids(topic: &Topic) -> String {
    let mut ids: Vec<String> = topic
        .versions
        .iter()
        .map(|v| v.schema.id.to_string())
        .collect();
    ids.dedup();
    ids.join(", ")
}

fn decode(desc: &MessageDescriptor, bytes: &[u8]) -> Result<DynamicMessage, ValidateError> {
    let message =
        DynamicMessage::decode(desc.clone(), bytes).map_err(|source| ValidateError::Binary {
            message: desc.full_name().to_owned(),
            source,
        })?;
    let mut unknown = Vec::new();
    unknown_fields(&message, "", &mut unknown);
    if !unknown.is_empty() {
        return Err(ValidateError::UnknownFields {
            message: desc.full_name().to_owned(),
            fields: unknown,
        });
    }
    Ok(message)
}

/// Field numbers the schema does not know, as `path.number`.
fn unknown_fields(message: &DynamicMessage, path: &str, out: &mut Vec<String>) {
    for f in message.unknown_fields() {
        out.push(format!("{path}{}", f.number()));
    }
    for (field, value) in message.fields() {
        let here = format!("{path}{}.", field.name());
        visit_value(value, &here, out);
    }
}

fn visit_value(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Message(m) => unknown_fields(m, path, out),
        Value::List(items) => items.iter().for_each(|v| visit_value(v, path, out)),
        Value::Map(map) => map.values().for_each(|v| visit_value(v, path, out)),
        _ => {}
    }
}

fn finish(
    v: &TopicVersion,
    id: Option<u32>,
    message: &DynamicMessage,
) -> Result<Valid, ValidateError> {
    let json = message
        .serialize_with_options(
            serde_json::value::Serializer,
            &SerializeOptions::new().skip_default_fields(false),
        )
        .map_err(|e| ValidateError::ToJson(e.to_string()))?;
    Ok(Valid {
        version: v.version,
        message: message.descriptor().full_name().to_owned(),
        schema_id: id,
        json,
    })
}

/// Confluent message indexes: a zigzag varint count, then that many zigzag
/// varints; a lone 0 means `[0]`.
pub fn read_indexes(buf: &mut &[u8]) -> Result<Vec<i32>, IndexError> {
    let count = read_zigzag(buf)?;
    if count == 0 {
        return Ok(vec![0]);
    }
    if !(0..=64).contains(&count) {
        return Err(IndexError::Count { count });
    }
    (0..count).map(|_| read_zigzag(buf)).collect()
}

fn read_zigzag(buf: &mut &[u8]) -> Result<i32, IndexError> {
    let raw = prost::encoding::decode_varint(buf).map_err(|_| IndexError::Truncated)?;
    let raw = raw as u32;
    Ok(((raw >> 1) as i32) ^ -((raw & 1) as i32))
}

/// The message at `indexes` in the version's file.
fn message_at(v: &TopicVersion, indexes: &[i32]) -> Option<String> {
    let pool = v.pool().ok()?;
    let file = pool.get_file_by_name(&v.file)?;
    let (first, rest) = indexes.split_first()?;
    let mut m = file.messages().nth(usize::try_from(*first).ok()?)?;
    for i in rest {
        let child = m.child_messages().nth(usize::try_from(*i).ok()?)?;
        m = child;
    }
    Some(format!("`{}`", m.full_name()))
}
