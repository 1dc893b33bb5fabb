//! The topic catalog as topic bindings see it: each topic with its one
//! message and the Confluent schema ids `schemactl serve` gives it.

/// Every topic of the catalog at the release being generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// The release the ids are for: a version (`1.4.0`), or a name such as
    /// `working-tree` when generating a tree that is not released.
    pub release: String,
    /// Sorted by name.
    pub topics: Vec<TopicBinding>,
}

/// One topic, as a binding carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicBinding {
    /// `identity.user-created.v1`.
    pub name: String,
    /// Fully qualified message name, without a leading dot.
    pub message: String,
    /// The file that declares the message (import path).
    pub file: String,
    pub owners: Vec<String>,
    pub producers: Vec<String>,
    pub description: String,
    pub partitions: Option<u32>,
    pub retention: Option<String>,
    /// The version at the generated release: its schema id and message
    /// indexes are what `Encode` writes.
    pub current: BindingVersion,
    /// Every version of the topic up to the generated release, oldest
    /// first (the current one last): `Decode` accepts exactly these ids.
    pub versions: Vec<BindingVersion>,
}

/// One version of a topic's schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BindingVersion {
    /// The subject version (`<topic>-value`), from 1.
    pub version: u32,
    /// The Confluent schema id, as `schemactl serve` returns it.
    pub id: u32,
    /// Confluent's message indexes: the message's path in its file.
    pub index: Vec<i32>,
}

impl Catalog {
    pub fn topic(&self, name: &str) -> Option<&TopicBinding> {
        self.topics.iter().find(|t| t.name == name)
    }
}
