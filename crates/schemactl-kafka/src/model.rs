//! What the catalog wants of a cluster, and what a cluster has: topics with
//! their partitions and configs, and ACLs. Built from `schemactl.yaml` by
//! [`desired`], read from a broker by [`crate::admin::Admin::observe`].

use std::collections::{BTreeMap, BTreeSet};

use schemactl_config::Config;
use serde::Serialize;

/// Kafka's resource types (the subset the catalog grants on, and the
/// others by number).
pub mod resource {
    pub const ANY: i8 = 1;
    pub const TOPIC: i8 = 2;
    pub const GROUP: i8 = 3;
    pub const CLUSTER: i8 = 4;
    pub const TRANSACTIONAL_ID: i8 = 5;
}

/// Kafka's resource pattern types.
pub mod pattern {
    pub const ANY: i8 = 1;
    pub const MATCH: i8 = 2;
    pub const LITERAL: i8 = 3;
    pub const PREFIXED: i8 = 4;
}

/// Kafka's ACL operations.
pub mod operation {
    pub const ANY: i8 = 1;
    pub const ALL: i8 = 2;
    pub const READ: i8 = 3;
    pub const WRITE: i8 = 4;
    pub const DESCRIBE: i8 = 8;
    pub const IDEMPOTENT_WRITE: i8 = 12;
}

/// Kafka's ACL permission types.
pub mod permission {
    pub const ANY: i8 = 1;
    pub const DENY: i8 = 2;
    pub const ALLOW: i8 = 3;
}

/// The cluster resource's only name.
pub const CLUSTER_NAME: &str = "kafka-cluster";

/// One ACL binding, with Kafka's codes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Acl {
    pub resource_type: i8,
    pub resource_name: String,
    pub pattern_type: i8,
    pub principal: String,
    pub host: String,
    pub operation: i8,
    pub permission: i8,
}

impl Acl {
    /// An ALLOW from any host on one literal resource.
    pub fn allow(resource_type: i8, resource_name: &str, principal: &str, operation: i8) -> Acl {
        Acl {
            resource_type,
            resource_name: resource_name.to_owned(),
            pattern_type: pattern::LITERAL,
            principal: principal.to_owned(),
            host: "*".to_owned(),
            operation,
            permission: permission::ALLOW,
        }
    }

    /// Whether the ACL's resource pattern covers the topic `name`.
    pub fn covers_topic(&self, name: &str) -> bool {
        self.resource_type == resource::TOPIC
            && match self.pattern_type {
                pattern::LITERAL => self.resource_name == name || self.resource_name == "*",
                pattern::PREFIXED => name.starts_with(&self.resource_name),
                _ => false,
            }
    }

    /// `ALLOW User:a WRITE on TOPIC t` (Kafka's words, as `kafka-acls.sh`
    /// prints them).
    pub fn describe(&self) -> String {
        let pattern = if self.pattern_type == pattern::LITERAL {
            String::new()
        } else {
            format!(" ({})", pattern_name(self.pattern_type))
        };
        let host = if self.host == "*" {
            String::new()
        } else {
            format!(" from {}", self.host)
        };
        format!(
            "{} {} {} on {} {}{pattern}{host}",
            permission_name(self.permission),
            self.principal,
            operation_name(self.operation),
            resource_name(self.resource_type),
            self.resource_name
        )
    }
}

impl Serialize for Acl {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Acl", 7)?;
        s.serialize_field("resource_type", &resource_name(self.resource_type))?;
        s.serialize_field("resource_name", &self.resource_name)?;
        s.serialize_field("pattern_type", &pattern_name(self.pattern_type))?;
        s.serialize_field("principal", &self.principal)?;
        s.serialize_field("host", &self.host)?;
        s.serialize_field("operation", &operation_name(self.operation))?;
        s.serialize_field("permission", &permission_name(self.permission))?;
        s.end()
    }
}

/// Kafka's name of a resource type.
pub fn resource_name(code: i8) -> String {
    match code {
        resource::ANY => "ANY".to_owned(),
        resource::TOPIC => "TOPIC".to_owned(),
        resource::GROUP => "GROUP".to_owned(),
        resource::CLUSTER => "CLUSTER".to_owned(),
        resource::TRANSACTIONAL_ID => "TRANSACTIONAL_ID".to_owned(),
        6 => "DELEGATION_TOKEN".to_owned(),
        7 => "USER".to_owned(),
        other => format!("UNKNOWN({other})"),
    }
}

/// Kafka's name of a pattern type.
pub fn pattern_name(code: i8) -> String {
    match code {
        pattern::ANY => "ANY".to_owned(),
        pattern::MATCH => "MATCH".to_owned(),
        pattern::LITERAL => "LITERAL".to_owned(),
        pattern::PREFIXED => "PREFIXED".to_owned(),
        other => format!("UNKNOWN({other})"),
    }
}

/// Kafka's name of an operation.
pub fn operation_name(code: i8) -> String {
    let name = match code {
        operation::ANY => "ANY",
        operation::ALL => "ALL",
        operation::READ => "READ",
        operation::WRITE => "WRITE",
        5 => "CREATE",
        6 => "DELETE",
        7 => "ALTER",
        operation::DESCRIBE => "DESCRIBE",
        9 => "CLUSTER_ACTION",
        10 => "DESCRIBE_CONFIGS",
        11 => "ALTER_CONFIGS",
        operation::IDEMPOTENT_WRITE => "IDEMPOTENT_WRITE",
        13 => "CREATE_TOKENS",
        14 => "DESCRIBE_TOKENS",
        15 => "TWO_PHASE_COMMIT",
        other => return format!("UNKNOWN({other})"),
    };
    name.to_owned()
}

/// Kafka's name of a permission type.
pub fn permission_name(code: i8) -> String {
    match code {
        permission::ANY => "ANY".to_owned(),
        permission::DENY => "DENY".to_owned(),
        permission::ALLOW => "ALLOW".to_owned(),
        other => format!("UNKNOWN({other})"),
    }
}

/// A topic as the catalog wants it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DesiredTopic {
    pub name: String,
    /// `None`: the broker's `num.partitions`.
    pub partitions: Option<u32>,
    /// `None`: the broker's `default.replication.factor`.
    pub replication_factor: Option<u16>,
    /// Every config the catalog sets (cluster-wide ones included).
    pub configs: BTreeMap<String, String>,
    /// Where the topic is declared in `schemactl.yaml`.
    #[serde(skip)]
    pub line: usize,
}

/// Everything the catalog wants of the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Desired {
    pub topics: Vec<DesiredTopic>,
    pub acls: BTreeSet<Acl>,
    /// Service → its principal, for every service the catalog names.
    pub principals: BTreeMap<String, String>,
    /// The principals of the services that produce.
    pub producers: BTreeSet<String>,
}

impl Desired {
    /// Grants every producer IDEMPOTENT_WRITE on the cluster: brokers
    /// before Kafka 2.8 need it for idempotent producers (the default of
    /// every modern client); later ones take WRITE on the topic (KIP-679).
    pub fn grant_cluster_idempotent_write(&mut self) {
        for principal in &self.producers {
            self.acls.insert(Acl::allow(
                resource::CLUSTER,
                CLUSTER_NAME,
                principal,
                operation::IDEMPOTENT_WRITE,
            ));
        }
    }
}

/// What the catalog wants: every topic with its partitions and configs;
/// WRITE and DESCRIBE on its topic for each producer, READ and DESCRIBE
/// for each reader, and IDEMPOTENT_WRITE on the cluster when asked (the
/// CLI also asks for it when the brokers are older than Kafka 2.8).
pub fn desired(config: &Config) -> Desired {
    let kafka = &config.kafka;
    let mut topics = Vec::new();
    let mut acls = BTreeSet::new();
    let mut principals = BTreeMap::new();
    let mut producers = BTreeSet::new();
    for (name, topic) in &config.topics {
        topics.push(DesiredTopic {
            name: name.clone(),
            partitions: topic.partitions.or(kafka.partitions),
            replication_factor: kafka.replication_factor,
            configs: topic.kafka_configs(kafka),
            line: topic.line,
        });
        for producer in &topic.producers {
            let principal = kafka.principal_of(producer);
            acls.insert(Acl::allow(
                resource::TOPIC,
                name,
                &principal,
                operation::WRITE,
            ));
            acls.insert(Acl::allow(
                resource::TOPIC,
                name,
                &principal,
                operation::DESCRIBE,
            ));
            producers.insert(principal.clone());
            principals.insert(producer.clone(), principal);
        }
        for reader in &topic.readers {
            let principal = kafka.principal_of(reader);
            acls.insert(Acl::allow(
                resource::TOPIC,
                name,
                &principal,
                operation::READ,
            ));
            acls.insert(Acl::allow(
                resource::TOPIC,
                name,
                &principal,
                operation::DESCRIBE,
            ));
            principals.insert(reader.clone(), principal);
        }
    }
    let mut desired = Desired {
        topics,
        acls,
        principals,
        producers,
    };
    if kafka.cluster_idempotent_write {
        desired.grant_cluster_idempotent_write();
    }
    desired
}

/// A topic config as the cluster reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedConfig {
    pub value: Option<String>,
    /// Set on the topic itself (`DYNAMIC_TOPIC_CONFIG`), not inherited from
    /// the broker or Kafka's defaults.
    pub topic_override: bool,
}

/// A topic as the cluster has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedTopic {
    pub partitions: u32,
    pub replication_factor: u16,
    pub configs: BTreeMap<String, ObservedConfig>,
}

/// What the cluster has, as far as the catalog is concerned: the catalog's
/// topics that exist, and the ACLs that bear on them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Observed {
    pub topics: BTreeMap<String, ObservedTopic>,
    /// Topic ACLs whose pattern covers a catalog topic, and the cluster's
    /// IDEMPOTENT_WRITE ACLs.
    pub acls: Vec<Acl>,
}
