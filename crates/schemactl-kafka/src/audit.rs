//! One type per topic, checked on the records themselves: each record's
//! value must be in the Confluent wire format (magic byte 0, a schema id,
//! the message indexes) with the id of one of the topic's schema versions,
//! the indexes of the topic's message in that version's file, and bytes
//! that decode as that message with no field it does not declare.

use std::collections::BTreeMap;

use prost_reflect::{DynamicMessage, MessageDescriptor, Value};
use serde::Serialize;

use crate::admin::FetchedRecord;

/// How many offenders of each cause are listed by offset.
pub const FIRST_OFFENDERS: usize = 10;
/// Message indexes deeper than this are not a real schema's.
const MAX_INDEXES: usize = 64;
/// Nested messages checked for unknown fields, at most this deep.
const MAX_DEPTH: usize = 64;

/// One schema version of the topic, as the registry gives it.
#[derive(Debug, Clone)]
pub struct AcceptedVersion {
    /// The topic's version number (1, 2, ...).
    pub version: u32,
    /// Its Confluent schema id.
    pub schema_id: u32,
    /// The message's indexes in its file.
    pub index: Vec<i32>,
    pub message: MessageDescriptor,
}

/// Why a record is not the topic's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// No value, fewer than 6 bytes, or a first byte that is not 0.
    NoConfluentHeader,
    /// A schema id that is none of the topic's versions.
    UnknownSchemaId,
    /// The indexes name another message of the schema's file.
    WrongMessage,
    /// The bytes do not decode as the message, or carry fields it does not
    /// declare.
    Undecodable,
}

impl Cause {
    /// Every cause, in report order.
    pub const ALL: [Cause; 4] = [
        Cause::NoConfluentHeader,
        Cause::UnknownSchemaId,
        Cause::WrongMessage,
        Cause::Undecodable,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Cause::NoConfluentHeader => "no Confluent header (magic byte 0 and schema id)",
            Cause::UnknownSchemaId => "a schema id that is none of the topic's versions",
            Cause::WrongMessage => "message indexes naming another message of the schema",
            Cause::Undecodable => "bytes that do not decode as the topic's message",
        }
    }
}

/// What was found of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The topic's message, at this topic version.
    Ok {
        version: u32,
    },
    Bad {
        cause: Cause,
        detail: String,
    },
}

/// One offending record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offender {
    pub partition: i32,
    pub offset: i64,
    pub detail: String,
}

/// The offenders of one cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct CauseReport {
    pub count: usize,
    /// The first [`FIRST_OFFENDERS`], in the order read.
    pub first: Vec<Offender>,
}

/// The audit of one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub topic: String,
    pub message: String,
    pub records: usize,
    pub ok: usize,
    /// Records per topic version among the good ones.
    pub versions: BTreeMap<u32, usize>,
    pub causes: BTreeMap<Cause, CauseReport>,
}

impl AuditReport {
    pub fn offenders(&self) -> usize {
        self.causes.values().map(|c| c.count).sum()
    }
}

/// Audits the records read from `topic`.
pub fn audit(
    topic: &str,
    message: &str,
    versions: &[AcceptedVersion],
    records: &[FetchedRecord],
) -> AuditReport {
    let mut report = AuditReport {
        topic: topic.to_owned(),
        message: message.to_owned(),
        records: records.len(),
        ok: 0,
        versions: BTreeMap::new(),
        causes: BTreeMap::new(),
    };
    for record in records {
        match classify(record.value.as_deref(), versions) {
            Verdict::Ok { version } => {
                report.ok += 1;
                *report.versions.entry(version).or_default() += 1;
            }
            Verdict::Bad { cause, detail } => {
                let entry = report.causes.entry(cause).or_default();
                entry.count += 1;
                if entry.first.len() < FIRST_OFFENDERS {
                    entry.first.push(Offender {
                        partition: record.partition,
                        offset: record.offset,
                        detail,
                    });
                }
            }
        }
    }
    report
}

/// Classifies one record value.
pub fn classify(value: Option<&[u8]>, versions: &[AcceptedVersion]) -> Verdict {
    let bad = |cause, detail: String| Verdict::Bad { cause, detail };
    let Some(value) = value else {
        return bad(
            Cause::NoConfluentHeader,
            "the record has no value (a tombstone)".to_owned(),
        );
    };
    if value.len() < 6 || value[0] != 0 {
        return bad(
            Cause::NoConfluentHeader,
            match value.first() {
                None => "the value is empty".to_owned(),
                Some(0) => format!(
                    "the value is {} bytes long, too short for a header",
                    value.len()
                ),
                Some(b) => format!("the first byte is {b:#04x}, not the magic byte 0"),
            },
        );
    }
    let id = u32::from_be_bytes([value[1], value[2], value[3], value[4]]);
    let candidates: Vec<&AcceptedVersion> = versions.iter().filter(|v| v.schema_id == id).collect();
    if candidates.is_empty() {
        let known: Vec<String> = versions.iter().map(|v| v.schema_id.to_string()).collect();
        return bad(
            Cause::UnknownSchemaId,
            format!("schema id {id}; the topic's are {}", known.join(", ")),
        );
    }
    let mut rest = &value[5..];
    let Some(indexes) = read_indexes(&mut rest) else {
        return bad(
            Cause::WrongMessage,
            format!("schema id {id}: the message indexes are malformed"),
        );
    };
    let Some(version) = candidates.iter().find(|v| v.index == indexes) else {
        let ours = &candidates[0].message;
        let named = match message_at(ours, &indexes) {
            Some(other) => other.full_name().to_owned(),
            None => format!("no message of {}", ours.parent_file().name()),
        };
        return bad(
            Cause::WrongMessage,
            format!(
                "schema id {id}: indexes {indexes:?} name {named}, not {} (indexes {:?})",
                ours.full_name(),
                candidates[0].index
            ),
        );
    };
    match DynamicMessage::decode(version.message.clone(), rest) {
        Err(e) => bad(Cause::Undecodable, format!("schema id {id}: {e}")),
        Ok(message) => match unknown_field(&message, 0) {
            Some(path) => bad(
                Cause::Undecodable,
                format!(
                    "schema id {id}: field number {path} is not a field of {}",
                    version.message.full_name()
                ),
            ),
            None => Verdict::Ok {
                version: version.version,
            },
        },
    }
}

/// The message `indexes` name in the file of `message` (top-level
/// position, then nested positions), if there is one.
fn message_at(message: &MessageDescriptor, indexes: &[i32]) -> Option<MessageDescriptor> {
    let (first, rest) = indexes.split_first()?;
    let mut found = message
        .parent_file()
        .messages()
        .nth(usize::try_from(*first).ok()?)?;
    for &index in rest {
        let nested = found.child_messages().nth(usize::try_from(index).ok()?)?;
        found = nested;
    }
    Some(found)
}

/// Confluent's message indexes: a zigzag varint count, then each index;
/// a count of 0 means `[0]`, the file's first message.
fn read_indexes(bytes: &mut &[u8]) -> Option<Vec<i32>> {
    let count = read_zigzag(bytes)?;
    if count == 0 {
        return Some(vec![0]);
    }
    let count = usize::try_from(count).ok().filter(|&c| c <= MAX_INDEXES)?;
    (0..count).map(|_| read_zigzag(bytes)).collect()
}

fn read_zigzag(bytes: &mut &[u8]) -> Option<i32> {
    let mut value: u64 = 0;
    for shift in (0..35).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            let raw = u32::try_from(value).ok()?;
            return Some(((raw >> 1) as i32) ^ -((raw & 1) as i32));
        }
    }
    None
}

/// The path of the first field number the message (or a message in it)
/// does not declare, like `3` or `2.7`.
fn unknown_field(message: &DynamicMessage, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(field) = message.unknown_fields().next() {
        return Some(field.number().to_string());
    }
    for (field, value) in message.fields() {
        let nested = |m: &DynamicMessage| {
            unknown_field(m, depth + 1).map(|p| format!("{}.{p}", field.number()))
        };
        let found = match value {
            Value::Message(m) => nested(m),
            Value::List(items) => items.iter().find_map(|v| v.as_message().and_then(nested)),
            Value::Map(entries) => entries
                .values()
                .find_map(|v| v.as_message().and_then(nested)),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_confluents_indexes() {
        let mut b: &[u8] = &[0, 1, 2];
        assert_eq!(read_indexes(&mut b), Some(vec![0]));
        assert_eq!(b, &[1, 2]);
        // Two indexes, 1 and 0: count 2 → 4, 1 → 2, 0 → 0.
        let mut b: &[u8] = &[4, 2, 0, 9];
        assert_eq!(read_indexes(&mut b), Some(vec![1, 0]));
        assert_eq!(b, &[9]);
        let mut b: &[u8] = &[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
        assert_eq!(read_indexes(&mut b), None);
        let mut b: &[u8] = &[200, 1];
        assert_eq!(
            read_indexes(&mut b),
            None,
            "100 indexes is more than a file nests"
        );
    }

    /// `Outer { Inner }` then `Other` in one file; versions of `Outer`.
    fn outer() -> Vec<AcceptedVersion> {
        use prost_reflect::DescriptorPool;
        use prost_reflect::prost_types::{DescriptorProto, FileDescriptorProto, FileDescriptorSet};
        let message = |name: &str, nested: Vec<DescriptorProto>| DescriptorProto {
            name: Some(name.to_owned()),
            nested_type: nested,
            ..Default::default()
        };
        let file = FileDescriptorProto {
            name: Some("acme/x/v1/x.proto".to_owned()),
            package: Some("acme.x.v1".to_owned()),
            syntax: Some("proto3".to_owned()),
            message_type: vec![
                message("Outer", vec![message("Inner", vec![])]),
                message("Other", vec![]),
            ],
            ..Default::default()
        };
        let pool = DescriptorPool::from_file_descriptor_set(FileDescriptorSet { file: vec![file] })
            .expect("a valid file");
        let message = pool.get_message_by_name("acme.x.v1.Outer").expect("Outer");
        vec![AcceptedVersion {
            version: 1,
            schema_id: 7,
            index: vec![0],
            message,
        }]
    }

    fn detail(value: &[u8], versions: &[AcceptedVersion]) -> (Cause, String) {
        match classify(Some(value), versions) {
            Verdict::Bad { cause, detail } => (cause, detail),
            Verdict::Ok { .. } => panic!("accepted"),
        }
    }

    #[test]
    fn wrong_indexes_name_the_message_they_point_at() {
        let versions = outer();
        assert_eq!(
            classify(Some(&[0, 0, 0, 0, 7, 0]), &versions),
            Verdict::Ok { version: 1 }
        );
        // [1]: count 1, index 1.
        assert_eq!(
            detail(&[0, 0, 0, 0, 7, 2, 2], &versions),
            (
                Cause::WrongMessage,
                "schema id 7: indexes [1] name acme.x.v1.Other, not acme.x.v1.Outer (indexes [0])"
                    .to_owned()
            )
        );
        // [0, 0]: count 2, indexes 0 and 0.
        assert_eq!(
            detail(&[0, 0, 0, 0, 7, 4, 0, 0], &versions).1,
            "schema id 7: indexes [0, 0] name acme.x.v1.Outer.Inner, not acme.x.v1.Outer (indexes [0])"
        );
        // [2]: count 1, index 2.
        assert_eq!(
            detail(&[0, 0, 0, 0, 7, 2, 4], &versions).1,
            "schema id 7: indexes [2] name no message of acme/x/v1/x.proto, not acme.x.v1.Outer (indexes [0])"
        );
    }

    #[test]
    fn classifies_headers_before_decoding() {
        assert!(matches!(
            classify(None, &[]),
            Verdict::Bad {
                cause: Cause::NoConfluentHeader,
                ..
            }
        ));
        assert!(matches!(
            classify(Some(b"\x0a\x03abc"), &[]),
            Verdict::Bad {
                cause: Cause::NoConfluentHeader,
                ..
            }
        ));
        let Verdict::Bad { cause, detail } = classify(Some(&[0, 0, 0, 0, 9, 0, 8, 1]), &[]) else {
            panic!("not accepted")
        };
        assert_eq!(cause, Cause::UnknownSchemaId);
        assert_eq!(detail, "schema id 9; the topic's are ");
    }
}
