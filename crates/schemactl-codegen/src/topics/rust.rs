//! Topic bindings for Rust (`topics: rust`): one file, `topics.rs`, with a
//! generic `Topic<M>` and one constant per topic of the catalog, typed by
//! the topic's message as `rust: prost` generates it. `Topic` has private
//! fields and no constructor, so the constants are its only values and
//! producing another type to a topic does not compile.
//!
//! The file is meant to be `include!`d as the crate's `topics` module (the
//! `lib.rs` that `packages: rust` writes does that), next to the prost
//! modules its message paths (`crate::acme::identity::v1::UserCreated`)
//! point into; so it carries no inner attributes or `//!` docs.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use prost_types::compiler::code_generator_response::File as ResponseFile;

use super::constant_name;
use crate::inprocess::{self, Input};
use crate::{TopicBinding, prost_gen};

/// The file generated, relative to the plugin's `out`.
pub(crate) const FILE: &str = "topics.rs";

pub(crate) fn generate(input: &Input<'_>) -> Result<Vec<ResponseFile>, String> {
    let mut constants: BTreeMap<String, &TopicBinding> = BTreeMap::new();
    for topic in &input.catalog.topics {
        let name = constant_name(&topic.name);
        if let Some(other) = constants.insert(name.clone(), topic) {
            return Err(format!(
                "topics `{}` and `{}` would both be the Rust constant `{name}`",
                other.name, topic.name
            ));
        }
    }
    let mut out = String::from(PRELUDE.trim_start());
    let _ = write!(
        out,
        "\n// The topics of the catalog at release `{}`.\n",
        input.catalog.release
    );
    for (constant, topic) in &constants {
        let package = input.topic_file(topic)?.package().to_owned();
        let path = prost_gen::type_path(&package, &topic.message);
        out.push('\n');
        binding(&mut out, constant, &path, topic, &input.catalog.release);
    }
    Ok(vec![inprocess::file(FILE, out)])
}

/// Confluent's message indexes as written after the schema id: the
/// count, then each index, all zigzag varints; `[0]` (the first message
/// of the file, the common case) is the single byte 0.
pub(crate) fn message_indexes(index: &[i32]) -> Vec<u8> {
    let mut out = Vec::new();
    if index == [0] {
        out.push(0);
        return out;
    }
    let count = i64::try_from(index.len()).unwrap_or(i64::MAX);
    put_zigzag(&mut out, count);
    for &i in index {
        put_zigzag(&mut out, i64::from(i));
    }
    out
}

fn put_zigzag(out: &mut Vec<u8>, value: i64) {
    // Zigzag: the sign in the lowest bit; reinterpreting the bits is the point.
    let mut v = ((value << 1) ^ (value >> 63)) as u64;
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn binding(out: &mut String, constant: &str, path: &str, topic: &TopicBinding, release: &str) {
    let _ = writeln!(out, "/// `{}`", topic.name);
    if !topic.description.is_empty() {
        out.push_str("///\n");
        for line in topic.description.lines() {
            let _ = writeln!(out, "/// {}", line.trim_end());
        }
    }
    out.push_str("///\n");
    let _ = writeln!(out, "/// - message: `{}`", topic.message);
    let list = |items: &[String]| {
        if items.is_empty() {
            "none listed".to_owned()
        } else {
            items.join(", ")
        }
    };
    let _ = writeln!(out, "/// - owners: {}", list(&topic.owners));
    let _ = writeln!(out, "/// - producers: {}", list(&topic.producers));
    if let Some(partitions) = topic.partitions {
        let _ = writeln!(out, "/// - partitions: {partitions}");
    }
    if let Some(retention) = &topic.retention {
        let _ = writeln!(out, "/// - retention: {retention}");
    }
    let _ = writeln!(
        out,
        "/// - schema id {} (version {} of `{}-value`) at release `{release}`",
        topic.current.id, topic.current.version, topic.name
    );
    let ids: Vec<String> = topic.versions.iter().map(|v| v.id.to_string()).collect();
    let _ = writeln!(out, "/// - `decode` accepts schema ids {}", ids.join(", "));
    let indexes: Vec<String> = message_indexes(&topic.current.index)
        .iter()
        .map(u8::to_string)
        .collect();
    let versions: Vec<String> = topic
        .versions
        .iter()
        .map(|v| {
            let index: Vec<String> = v.index.iter().map(i32::to_string).collect();
            format!("({}, &[{}])", v.id, index.join(", "))
        })
        .collect();
    let _ = writeln!(out, "pub const {constant}: Topic<{path}> = Topic {{");
    let _ = writeln!(out, "    name: {:?},", topic.name);
    let _ = writeln!(out, "    id: {},", topic.current.id);
    let _ = writeln!(out, "    indexes: &[{}],", indexes.join(", "));
    let _ = writeln!(out, "    versions: &[{}],", versions.join(", "));
    out.push_str("    message: ::core::marker::PhantomData,\n};\n");
}

/// Everything but the constants.
const PRELUDE: &str = r#"
// @generated by schemactl (topics: rust). DO NOT EDIT.
//
// Typed Kafka topic bindings: one constant per topic of the catalog, typed
// by the topic's one message. Encode writes the Confluent wire format (magic
// byte 0, the schema id big-endian, the message indexes, the message) with
// the schema id `schemactl serve` gives the topic at this release, without
// asking the registry.

/// A Kafka topic of the catalog, carrying only messages of type `M`.
///
/// The constants in this module are the only values of this type: it has no
/// public constructor, so nothing pairs a topic's name with another message
/// type.
pub struct Topic<M> {
    name: &'static str,
    /// The schema id `encode` writes.
    id: u32,
    /// The message indexes `encode` writes after the id, encoded.
    indexes: &'static [u8],
    /// Each version's schema id and message indexes, oldest first: what
    /// `decode` accepts.
    versions: &'static [(u32, &'static [i32])],
    message: ::core::marker::PhantomData<fn() -> M>,
}

impl<M> Topic<M> {
    /// The topic's name, as Kafka knows it.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The Confluent schema id of the topic's message at this release: the
    /// id `encode` writes.
    pub const fn schema_id(&self) -> u32 {
        self.id
    }

    /// Every schema id the topic has had up to this release, oldest first:
    /// the ids `decode` accepts.
    pub fn schema_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.versions.iter().map(|(id, _)| *id)
    }
}

impl<M: ::prost::Message + Default> Topic<M> {
    /// The record value for `message`, in the Confluent wire format.
    pub fn encode(&self, message: &M) -> ::std::vec::Vec<u8> {
        let len = 5 + self.indexes.len() + message.encoded_len();
        let mut out = ::std::vec::Vec::with_capacity(len);
        out.push(0);
        out.extend_from_slice(&self.id.to_be_bytes());
        out.extend_from_slice(self.indexes);
        message
            .encode(&mut out)
            .expect("a Vec<u8> grows to fit any message");
        out
    }

    /// The message in a record value written in the Confluent wire format
    /// with one of the topic's schema ids.
    pub fn decode(&self, bytes: &[u8]) -> ::core::result::Result<M, DecodeError> {
        let [magic, a, b, c, d, rest @ ..] = bytes else {
            return Err(DecodeError::Truncated);
        };
        if *magic != 0 {
            return Err(DecodeError::Magic(*magic));
        }
        let id = u32::from_be_bytes([*a, *b, *c, *d]);
        let Some((_, expected)) = self.versions.iter().find(|(v, _)| *v == id) else {
            return Err(DecodeError::SchemaId(id));
        };
        let (indexes, body) = read_indexes(rest).ok_or(DecodeError::MessageIndexes)?;
        if indexes != *expected {
            return Err(DecodeError::MessageIndexes);
        }
        M::decode(body).map_err(DecodeError::Message)
    }
}

// By hand: a derive would ask `M: Clone`.
impl<M> ::core::clone::Clone for Topic<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> ::core::marker::Copy for Topic<M> {}

impl<M> ::core::fmt::Debug for Topic<M> {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.debug_struct("Topic")
            .field("name", &self.name)
            .field("schema_id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Why `Topic::decode` refused a record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Shorter than the magic byte and the schema id.
    Truncated,
    /// The first byte is not the Confluent magic byte 0.
    Magic(u8),
    /// The schema id is not one of the topic's versions.
    SchemaId(u32),
    /// The message indexes are malformed, or name another message than the
    /// topic's.
    MessageIndexes,
    /// The payload is not a valid message.
    Message(::prost::DecodeError),
}

impl ::core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        match self {
            DecodeError::Truncated => f.write_str("record shorter than the Confluent header"),
            DecodeError::Magic(b) => write!(f, "magic byte is {b}, not 0"),
            DecodeError::SchemaId(id) => write!(f, "schema id {id} is not one of the topic's"),
            DecodeError::MessageIndexes => f.write_str("message indexes do not name the topic's message"),
            DecodeError::Message(e) => write!(f, "invalid message: {e}"),
        }
    }
}

impl ::std::error::Error for DecodeError {
    fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
        match self {
            DecodeError::Message(e) => Some(e),
            _ => None,
        }
    }
}

/// The message indexes at the start of `bytes` (zigzag varints: the count,
/// then each index; a count of 0 means `[0]`) and what follows them.
fn read_indexes(mut bytes: &[u8]) -> ::core::option::Option<(::std::vec::Vec<i32>, &[u8])> {
    let mut next = || -> ::core::option::Option<i64> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = bytes.split_first()?;
            bytes = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(((value >> 1) as i64) ^ -((value & 1) as i64));
            }
        }
        None
    };
    let count = next()?;
    let indexes = if count == 0 {
        ::std::vec![0]
    } else {
        let count = usize::try_from(count).ok()?;
        let mut indexes = ::std::vec::Vec::new();
        for _ in 0..count {
            indexes.push(i32::try_from(next()?).ok()?);
        }
        indexes
    };
    Some((indexes, bytes))
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prost_gen::tests::{MONEY, USER, files, input};
    use crate::{BindingVersion, Catalog};

    #[test]
    fn message_indexes_are_confluents() {
        assert_eq!(message_indexes(&[0]), [0]);
        // count 1 → 2, index 1 → 2
        assert_eq!(message_indexes(&[1]), [2, 2]);
        // count 2 → 4, 0 → 0, 3 → 6
        assert_eq!(message_indexes(&[0, 3]), [4, 0, 6]);
        assert_eq!(message_indexes(&[70]), [2, 140, 1]);
    }

    #[test]
    fn constant_names() {
        assert_eq!(
            constant_name("identity.user-created.v1"),
            "IDENTITY_USER_CREATED_V1"
        );
        assert_eq!(constant_name("3d.x"), "TOPIC_3D_X");
    }

    fn catalog() -> Catalog {
        let version = |version, id, index: &[i32]| BindingVersion {
            version,
            id,
            index: index.to_vec(),
        };
        Catalog {
            release: "1.2.0".to_owned(),
            topics: vec![TopicBinding {
                name: "identity.user-created.v1".to_owned(),
                message: "acme.identity.v1.UserCreated.Address".to_owned(),
                file: "acme/identity/v1/user.proto".to_owned(),
                owners: vec!["team-identity".to_owned()],
                producers: vec!["identity-service".to_owned()],
                description: "A user was created.".to_owned(),
                partitions: Some(12),
                retention: Some("7d".to_owned()),
                current: version(2, 7, &[0, 0]),
                versions: vec![version(1, 3, &[0, 0]), version(2, 7, &[0, 0])],
            }],
        }
    }

    #[test]
    fn topic_bindings_name_the_prost_type_and_the_ids() {
        let files = files(&[
            ("acme/common/v1/money.proto", MONEY),
            ("acme/identity/v1/user.proto", USER),
        ]);
        let catalog = catalog();
        let out = generate(&input(&files, &[], &catalog)).expect("generates");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].name(), "topics.rs");
        let code = out[0].content();
        assert!(code.starts_with("// @generated by schemactl (topics: rust). DO NOT EDIT.\n"));
        assert!(
            code.contains(
                "pub const IDENTITY_USER_CREATED_V1: Topic<crate::acme::identity::v1::user_created::Address> = Topic {\n    name: \"identity.user-created.v1\",\n    id: 7,\n    indexes: &[4, 0, 0],\n    versions: &[(3, &[0, 0]), (7, &[0, 0])],\n"
            ),
            "{code}"
        );
        for doc in [
            "/// A user was created.\n",
            "/// - owners: team-identity\n",
            "/// - producers: identity-service\n",
            "/// - partitions: 12\n",
            "/// - retention: 7d\n",
            "/// - schema id 7 (version 2 of `identity.user-created.v1-value`) at release `1.2.0`\n",
        ] {
            assert!(code.contains(doc), "{doc}\n{code}");
        }
        assert!(!code.contains("pub fn new"), "no public constructor");
    }
}
