//! The registry: an immutable view of the history, built after every
//! refresh and swapped in whole.
//!
//! - A **topic's versions** are the releases where the fingerprint of its
//!   message changed. The fingerprint covers the message, every message and
//!   enum it references (transitively), and where the message sits (file,
//!   package, index path), because Confluent's wire format names the message
//!   by its index in the file.
//! - A **schema** is a file as Confluent sees it: its descriptor plus
//!   references to the files it imports. Its **id** is derived from the
//!   schema hash (the descriptor and, recursively, the imports' hashes), so
//!   every replica and every restart gives the same id to the same schema.
//! - **Subjects**: `<topic>-value` for each topic (versions = topic
//!   versions), and one per imported file, named by its import path
//!   (versions = the distinct schemas of that file), for `references`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use prost_reflect::{DescriptorPool, Kind, MessageDescriptor};
use prost_types::FileDescriptorProto;
use schemactl_compile::{Hash, ImageError, LinkedFile, Text};
use sha2::{Digest, Sha256};

use crate::history::{Release, ReleaseError};

/// A file as a Confluent schema.
#[derive(Debug)]
pub struct Schema {
    pub id: u32,
    /// Import path.
    pub file: String,
    /// The `.proto` text as of that release.
    pub text: Text,
    /// Encoded `FileDescriptorProto` (for `format=serialized`).
    pub descriptor: Arc<[u8]>,
    pub references: Vec<Reference>,
    pub hash: Hash,
    /// The release where this schema first appeared; its files build
    /// pools and images.
    pub origin: Arc<Release>,
    normal: OnceLock<Vec<u8>>,
}

impl Schema {
    /// The normalised descriptor, for matching by meaning.
    pub fn normal(&self) -> &[u8] {
        self.normal.get_or_init(|| {
            <FileDescriptorProto as prost::Message>::decode(&*self.descriptor)
                .map(|f| crate::normalize::normal_form(f, None))
                .unwrap_or_default()
        })
    }
}

/// A Confluent schema reference: an imported file, by subject and version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reference {
    pub name: String,
    pub subject: String,
    pub version: u32,
}

/// One version of a topic.
#[derive(Debug)]
pub struct TopicVersion {
    pub version: u32,
    pub release: Arc<Release>,
    /// Full name of the message.
    pub message: String,
    /// The file that declares it.
    pub file: String,
    /// Index path of the message in its file (Confluent's message indexes).
    pub index: Vec<i32>,
    /// `sha256:<hex>` of the normalised descriptor.
    pub fingerprint: String,
    pub schema: Arc<Schema>,
    pool: OnceLock<Result<DescriptorPool, ImageError>>,
}

/// Why a version's message descriptor could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DescriptorError {
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error("`{message}` is not in `{file}`")]
    MissingMessage { message: String, file: String },
}

impl TopicVersion {
    /// A pool holding the message's file and everything it imports.
    pub fn pool(&self) -> Result<&DescriptorPool, ImageError> {
        self.pool
            .get_or_init(|| {
                self.release
                    .files
                    .image(&[&self.file])
                    .map(|image| image.pool().clone())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn descriptor(&self) -> Result<MessageDescriptor, DescriptorError> {
        self.pool()?
            .get_message_by_name(&self.message)
            .ok_or_else(|| DescriptorError::MissingMessage {
                message: self.message.clone(),
                file: self.file.clone(),
            })
    }

    /// The encoded `FileDescriptorSet` of the message's file and everything
    /// it imports, without source info (`GET .../descriptor`).
    pub fn descriptor_set(&self) -> Result<Vec<u8>, ImageError> {
        Ok(self.release.files.image(&[&self.file])?.encode(true, false))
    }

    /// The `.proto` files of the message: its own file first, then every
    /// file it imports (the well-known types aside).
    pub fn sources(&self) -> Vec<&LinkedFile> {
        let mut closure: Vec<&LinkedFile> = self
            .release
            .files
            .closure(&[&self.file])
            .into_iter()
            .map(|f| &**f)
            .collect();
        closure.reverse();
        closure
    }
}

/// A topic and its versions.
#[derive(Debug)]
pub struct Topic {
    pub name: String,
    /// The message in the latest release that has the topic.
    pub message: String,
    pub owners: Vec<String>,
    pub producers: Vec<String>,
    pub description: String,
    pub partitions: Option<u32>,
    pub retention: Option<String>,
    /// Oldest first; never empty.
    pub versions: Vec<Arc<TopicVersion>>,
    /// Whether the latest release still has the topic.
    pub active: bool,
}

impl Topic {
    pub fn latest(&self) -> &Arc<TopicVersion> {
        // Topics are only created with a version.
        &self.versions[self.versions.len() - 1]
    }

    /// `latest`, `-1` (Confluent's alias) or a number.
    pub fn version(&self, which: &str) -> Option<&Arc<TopicVersion>> {
        if which.eq_ignore_ascii_case("latest") || which == "-1" {
            return Some(self.latest());
        }
        let n: u32 = which.parse().ok()?;
        self.versions.get((n as usize).checked_sub(1)?)
    }
}

/// A Confluent subject.
#[derive(Debug)]
pub struct Subject {
    pub name: String,
    /// The topic, for `<topic>-value` subjects.
    pub topic: Option<String>,
    /// Schemas by version (version `n` is `versions[n - 1]`).
    pub versions: Vec<Arc<Schema>>,
}

impl Subject {
    /// `latest`, `-1` or a number; returns (version, schema).
    pub fn version(&self, which: &str) -> Option<(u32, &Arc<Schema>)> {
        let n = if which.eq_ignore_ascii_case("latest") || which == "-1" {
            self.versions.len()
        } else {
            which.parse::<usize>().ok()?
        };
        let schema = self.versions.get(n.checked_sub(1)?)?;
        Some((n as u32, schema))
    }
}

/// Everything the service answers from.
#[derive(Debug)]
pub struct Registry {
    /// Ordered by version, oldest first.
    pub releases: Vec<Arc<Release>>,
    pub errors: Vec<ReleaseError>,
    pub topics: BTreeMap<String, Topic>,
    pub subjects: BTreeMap<String, Subject>,
    pub schemas: BTreeMap<u32, Arc<Schema>>,
    /// Subject versions that use each schema id.
    pub schema_subjects: BTreeMap<u32, Vec<(String, u32)>>,
}

/// A message's fingerprint and index path.
type Fingerprint = (String, Vec<i32>);

/// Memoised work that does not depend on the rest of the history: kept
/// across refreshes so a new tag costs only what changed.
#[derive(Default)]
pub struct BuildCache {
    /// (file key, message) → (fingerprint, index path).
    fingerprints: HashMap<(Hash, String), Option<Fingerprint>>,
    /// File key → full names of the messages it declares.
    declared: HashMap<Hash, Arc<Vec<String>>>,
    /// Message → the file that declared it last time.
    last_file: HashMap<String, String>,
}

impl Registry {
    pub fn latest_release(&self) -> Option<&Arc<Release>> {
        self.releases.last()
    }

    /// Build the registry from compiled releases (oldest first).
    pub fn build(
        releases: &[Arc<Release>],
        errors: &[ReleaseError],
        cache: &mut BuildCache,
    ) -> Registry {
        let mut b = Builder {
            schemas_by_hash: HashMap::new(),
            ids: BTreeMap::new(),
            subjects: BTreeMap::new(),
            subject_index: HashMap::new(),
        };
        let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
        for release in releases {
            for (name, topic) in &release.config.topics {
                let Some(file) = find_message_file(release, &topic.message, cache) else {
                    continue;
                };
                let Some(linked) = release.files.get(&file) else {
                    continue;
                };
                let key = (linked.key, topic.message.clone());
                let found = cache
                    .fingerprints
                    .entry(key)
                    .or_insert_with(|| fingerprint(release, &file, &topic.message))
                    .clone();
                let Some((fingerprint, index)) = found else {
                    continue;
                };
                let schema = b.schema_for(release, linked);
                let entry = topics.entry(name.clone()).or_insert_with(|| Topic {
                    name: name.clone(),
                    message: topic.message.clone(),
                    owners: Vec::new(),
                    producers: Vec::new(),
                    description: String::new(),
                    partitions: None,
                    retention: None,
                    versions: Vec::new(),
                    active: false,
                });
                entry.message = topic.message.clone();
                entry.owners = topic.owners.clone();
                entry.producers = topic.producers.clone();
                entry.description = topic.description.clone();
                entry.partitions = topic.partitions;
                entry.retention = topic.retention.clone();
                if entry
                    .versions
                    .last()
                    .is_some_and(|v| v.fingerprint == fingerprint)
                {
                    continue;
                }
                let version = entry.versions.len() as u32 + 1;
                entry.versions.push(Arc::new(TopicVersion {
                    version,
                    release: release.clone(),
                    message: topic.message.clone(),
                    file: file.clone(),
                    index,
                    fingerprint,
                    schema: schema.clone(),
                    pool: OnceLock::new(),
                }));
                let subject = format!("{name}-value");
                let s = b
                    .subjects
                    .entry(subject.clone())
                    .or_insert_with(|| Subject {
                        name: subject,
                        topic: Some(name.clone()),
                        versions: Vec::new(),
                    });
                s.versions.push(schema);
            }
        }
        if let Some(last) = releases.last() {
            for (name, t) in &mut topics {
                t.active = last.config.topics.contains_key(name);
            }
        }
        let mut schema_subjects: BTreeMap<u32, Vec<(String, u32)>> = BTreeMap::new();
        for s in b.subjects.values() {
            for (i, schema) in s.versions.iter().enumerate() {
                schema_subjects
                    .entry(schema.id)
                    .or_default()
                    .push((s.name.clone(), i as u32 + 1));
            }
        }
        Registry {
            releases: releases.to_vec(),
            errors: errors.to_vec(),
            topics,
            subjects: b.subjects,
            schemas: b.ids,
            schema_subjects,
        }
    }
}

struct Builder {
    schemas_by_hash: HashMap<Hash, Arc<Schema>>,
    ids: BTreeMap<u32, Arc<Schema>>,
    subjects: BTreeMap<String, Subject>,
    /// (file subject, schema hash) → version.
    subject_index: HashMap<(String, Hash), u32>,
}

impl Builder {
    /// The schema of `file` in `release`, creating it (and the file subjects
    /// of its imports) on first sight.
    fn schema_for(&mut self, release: &Arc<Release>, file: &LinkedFile) -> Arc<Schema> {
        if let Some(s) = self.schemas_by_hash.get(&file.schema_hash) {
            return s.clone();
        }
        let mut references = Vec::new();
        for dep in &file.dependencies {
            let Some(linked) = release.files.get(dep) else {
                // A well-known type. Listed too: kafkajs loads imports only
                // through references (Python skips `google/protobuf/`).
                if let Some(schema) = self.well_known(release, dep) {
                    references.push(self.reference(dep, &schema));
                }
                continue;
            };
            let linked = linked.clone();
            let schema = self.schema_for(release, &linked);
            references.push(self.reference(dep, &schema));
        }
        self.register(Schema {
            id: 0,
            file: file.name.clone(),
            text: file.text.clone(),
            descriptor: file.descriptor.clone(),
            references,
            hash: file.schema_hash,
            origin: release.clone(),
            normal: OnceLock::new(),
        })
    }

    /// Give `schema` its id and index it.
    fn register(&mut self, mut schema: Schema) -> Arc<Schema> {
        schema.id = self.allocate_id(&schema.hash);
        let schema = Arc::new(schema);
        self.schemas_by_hash.insert(schema.hash, schema.clone());
        self.ids.insert(schema.id, schema.clone());
        schema
    }

    /// A reference to `schema` as the import `dep` (its file subject).
    fn reference(&mut self, dep: &str, schema: &Arc<Schema>) -> Reference {
        Reference {
            name: dep.to_owned(),
            subject: dep.to_owned(),
            version: self.file_subject_version(dep, schema),
        }
    }

    /// The schema of a well-known file, its text rendered from the
    /// descriptor compiled into schemactl.
    fn well_known(&mut self, release: &Arc<Release>, name: &str) -> Option<Arc<Schema>> {
        let file = DescriptorPool::global().get_file_by_name(name)?;
        let proto = file.file_descriptor_proto().clone();
        let descriptor: Arc<[u8]> = Arc::from(file.encode_to_vec());
        let mut h = Sha256::new();
        h.update(b"well-known\0");
        h.update(&descriptor);
        let hash: Hash = h.finalize().into();
        if let Some(s) = self.schemas_by_hash.get(&hash) {
            return Some(s.clone());
        }
        let mut references = Vec::new();
        for dep in &proto.dependency {
            let schema = self.well_known(release, dep)?;
            references.push(self.reference(dep, &schema));
        }
        let text = crate::render::proto_text(&proto);
        Some(self.register(Schema {
            id: 0,
            file: name.to_owned(),
            text: Text::new(Arc::from(text.into_bytes()))?,
            descriptor,
            references,
            hash,
            origin: release.clone(),
            normal: OnceLock::new(),
        }))
    }

    fn file_subject_version(&mut self, subject: &str, schema: &Arc<Schema>) -> u32 {
        if let Some(&v) = self.subject_index.get(&(subject.to_owned(), schema.hash)) {
            return v;
        }
        let s = self
            .subjects
            .entry(subject.to_owned())
            .or_insert_with(|| Subject {
                name: subject.to_owned(),
                topic: None,
                versions: Vec::new(),
            });
        s.versions.push(schema.clone());
        let v = s.versions.len() as u32;
        self.subject_index
            .insert((subject.to_owned(), schema.hash), v);
        v
    }

    /// The id of a schema: 31 bits of its hash (never 0); a collision takes
    /// the next free id, in history order, so it is deterministic too.
    fn allocate_id(&self, hash: &Hash) -> u32 {
        let mut id = u32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]]) & 0x7fff_ffff;
        if id == 0 {
            id = 1;
        }
        while self.ids.contains_key(&id) {
            id = id % 0x7fff_fffe + 1;
        }
        id
    }
}

/// The file of `release` that declares `message`.
fn find_message_file(release: &Release, message: &str, cache: &mut BuildCache) -> Option<String> {
    // Usually where it was in the release before; else look everywhere.
    let previous = cache
        .last_file
        .get(message)
        .and_then(|name| release.files.get(name));
    let found = previous
        .into_iter()
        .chain(release.files.files())
        .find(|file| cache.declares(file, message))?
        .name
        .clone();
    cache.last_file.insert(message.to_owned(), found.clone());
    Some(found)
}

impl BuildCache {
    /// Whether `file` declares `message` (memoised per file key).
    fn declares(&mut self, file: &LinkedFile, message: &str) -> bool {
        self.declared
            .entry(file.key)
            .or_insert_with(|| Arc::new(declared_messages(&file.descriptor)))
            .iter()
            .any(|m| m == message)
    }
}

fn declared_messages(descriptor: &[u8]) -> Vec<String> {
    let Ok(file) = <FileDescriptorProto as prost::Message>::decode(descriptor) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack: Vec<(String, &prost_types::DescriptorProto)> = file
        .message_type
        .iter()
        .map(|m| (file.package().to_owned(), m))
        .collect();
    while let Some((scope, m)) = stack.pop() {
        let name = if scope.is_empty() {
            m.name().to_owned()
        } else {
            format!("{scope}.{}", m.name())
        };
        for nested in &m.nested_type {
            stack.push((name.clone(), nested));
        }
        out.push(name);
    }
    out
}

/// The fingerprint and index path of `message` in `file` of `release`.
fn fingerprint(release: &Release, file: &str, message: &str) -> Option<(String, Vec<i32>)> {
    let image = release.files.image(&[file]).ok()?;
    let root = image.pool().get_message_by_name(message)?;
    Some(message_fingerprint(&root))
}

/// The fingerprint of a message: where it is, and the normalised
/// descriptors of it and everything it references.
pub fn message_fingerprint(root: &MessageDescriptor) -> (String, Vec<i32>) {
    let index: Vec<i32> = root.path().iter().skip(1).step_by(2).copied().collect();
    let mut types: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(m) = stack.pop() {
        if types.contains_key(m.full_name()) {
            continue;
        }
        let mut proto = m.descriptor_proto().clone();
        proto.nested_type.clear();
        proto.enum_type.clear();
        let mut bytes = prost::Message::encode_to_vec(&proto);
        bytes.extend(prost::Message::encode_to_vec(&m.options()));
        for f in m.fields() {
            bytes.extend(prost::Message::encode_to_vec(&f.options()));
            match f.kind() {
                Kind::Message(child) => stack.push(child),
                Kind::Enum(e) => {
                    let mut ebytes = prost::Message::encode_to_vec(e.enum_descriptor_proto());
                    ebytes.extend(prost::Message::encode_to_vec(&e.options()));
                    types.insert(e.full_name().to_owned(), ebytes);
                }
                _ => {}
            }
        }
        types.insert(m.full_name().to_owned(), bytes);
    }
    let mut h = Sha256::new();
    h.update(root.parent_file().name().as_bytes());
    h.update([0]);
    h.update(root.package_name().as_bytes());
    h.update([0]);
    h.update(root.full_name().as_bytes());
    for i in &index {
        h.update(i.to_be_bytes());
    }
    for (name, bytes) in &types {
        h.update([0]);
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    }
    (format!("sha256:{}", hex(&h.finalize())), index)
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
