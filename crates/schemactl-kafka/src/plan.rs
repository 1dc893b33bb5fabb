//! The difference between the catalog and the cluster, as a list of
//! actions `kafka apply` carries out. Pure: computed from [`Desired`] and
//! [`Observed`], so it is tested without a broker.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Acl, Desired, DesiredTopic, Observed, resource};

/// One change to the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// The topic does not exist.
    CreateTopic {
        topic: String,
        partitions: Option<u32>,
        replication_factor: Option<u16>,
        configs: BTreeMap<String, String>,
    },
    /// The catalog asks for more partitions than the topic has.
    AddPartitions { topic: String, from: u32, to: u32 },
    /// A config the catalog sets has another value on the cluster (drift),
    /// or is not set on the topic.
    SetConfig {
        topic: String,
        key: String,
        /// The topic's own value on the cluster; `None` when it inherits
        /// the broker's.
        from: Option<String>,
        to: String,
    },
    /// A topic-level override the catalog does not set (removed with
    /// `--prune`: the topic falls back to the broker's value).
    UnmanagedConfig {
        topic: String,
        key: String,
        value: Option<String>,
    },
    /// An ACL the catalog grants is missing.
    AddAcl { acl: Acl },
    /// An ACL on a catalog topic that the catalog does not grant. Literal
    /// ACLs on the topic are removed with `--prune`; a prefixed or wildcard
    /// one also covers topics outside the catalog, so it is reported and
    /// left alone (`prunable: false`).
    ExtraAcl { acl: Acl, prunable: bool },
}

impl Action {
    /// One line, for the text output.
    pub fn describe(&self) -> String {
        match self {
            Action::CreateTopic {
                topic,
                partitions,
                replication_factor,
                configs,
            } => {
                let mut parts = vec![
                    format!(
                        "{} partitions",
                        partitions.map_or("default".to_owned(), |p| p.to_string())
                    ),
                    format!(
                        "replication factor {}",
                        replication_factor.map_or("default".to_owned(), |r| r.to_string())
                    ),
                ];
                parts.extend(configs.iter().map(|(k, v)| format!("{k}={v}")));
                format!("create topic {topic} ({})", parts.join(", "))
            }
            Action::AddPartitions { topic, from, to } => {
                format!("add partitions to {topic}: {from} -> {to}")
            }
            Action::SetConfig {
                topic,
                key,
                from,
                to,
            } => match from {
                Some(from) => {
                    format!("config drift on {topic}: {key} is {from}, the catalog says {to}")
                }
                None => format!("set {key}={to} on {topic}"),
            },
            Action::UnmanagedConfig { topic, key, value } => format!(
                "{topic} overrides {key}={} and the catalog does not set it (removed with --prune)",
                value.as_deref().unwrap_or("")
            ),
            Action::AddAcl { acl } => format!("add ACL: {}", acl.describe()),
            Action::ExtraAcl {
                acl,
                prunable: true,
            } => {
                format!(
                    "extra ACL the catalog does not grant (removed with --prune): {}",
                    acl.describe()
                )
            }
            Action::ExtraAcl {
                acl,
                prunable: false,
            } => format!(
                "extra ACL the catalog does not grant, covering topics outside the catalog too (left alone): {}",
                acl.describe()
            ),
        }
    }

    /// Whether `apply` (without `--prune`) carries it out.
    pub fn applies_without_prune(&self) -> bool {
        !matches!(
            self,
            Action::UnmanagedConfig { .. } | Action::ExtraAcl { .. }
        )
    }

    /// The topic the action concerns, if any.
    pub fn topic(&self) -> Option<&str> {
        match self {
            Action::CreateTopic { topic, .. }
            | Action::AddPartitions { topic, .. }
            | Action::SetConfig { topic, .. }
            | Action::UnmanagedConfig { topic, .. } => Some(topic),
            Action::AddAcl { acl } | Action::ExtraAcl { acl, .. } => {
                (acl.resource_type == resource::TOPIC).then_some(acl.resource_name.as_str())
            }
        }
    }
}

/// What cannot be planned: the catalog asks for something Kafka cannot do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum PlanError {
    /// Kafka cannot remove partitions.
    PartitionDecrease {
        topic: String,
        cluster: u32,
        catalog: u32,
        line: usize,
    },
}

impl PlanError {
    pub fn describe(&self) -> String {
        match self {
            PlanError::PartitionDecrease {
                topic,
                cluster,
                catalog,
                ..
            } => format!(
                "topic {topic} has {cluster} partitions on the cluster and the catalog says {catalog}: Kafka cannot remove partitions"
            ),
        }
    }

    pub fn hint(&self) -> String {
        match self {
            PlanError::PartitionDecrease { cluster, .. } => format!(
                "set `partitions: {cluster}` (or more), or create a new topic version with fewer partitions"
            ),
        }
    }

    pub fn line(&self) -> usize {
        match self {
            PlanError::PartitionDecrease { line, .. } => *line,
        }
    }
}

/// The plan: actions in the order `apply` carries them out, and errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Plan {
    pub actions: Vec<Action>,
    pub errors: Vec<PlanError>,
}

impl Plan {
    /// Nothing to do and nothing wrong.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty() && self.errors.is_empty()
    }
}

/// Compares the catalog with the cluster.
pub fn plan(desired: &Desired, observed: &Observed) -> Plan {
    let mut plan = Plan::default();
    for topic in &desired.topics {
        match observed.topics.get(&topic.name) {
            None => plan.actions.push(Action::CreateTopic {
                topic: topic.name.clone(),
                partitions: topic.partitions,
                replication_factor: topic.replication_factor,
                configs: topic.configs.clone(),
            }),
            Some(have) => diff_topic(topic, have, &mut plan),
        }
    }

    let catalog_topics: BTreeSet<&str> = desired.topics.iter().map(|t| t.name.as_str()).collect();
    let have: BTreeSet<&Acl> = observed.acls.iter().collect();
    for acl in &desired.acls {
        if !have.contains(acl) {
            plan.actions.push(Action::AddAcl { acl: acl.clone() });
        }
    }
    for acl in &observed.acls {
        if desired.acls.contains(acl) || acl.resource_type != resource::TOPIC {
            continue;
        }
        if !catalog_topics.iter().any(|t| acl.covers_topic(t)) {
            continue;
        }
        let literal_catalog = acl.pattern_type == crate::model::pattern::LITERAL
            && catalog_topics.contains(acl.resource_name.as_str());
        plan.actions.push(Action::ExtraAcl {
            acl: acl.clone(),
            prunable: literal_catalog,
        });
    }
    plan
}

fn diff_topic(topic: &DesiredTopic, have: &crate::model::ObservedTopic, plan: &mut Plan) {
    if let Some(want) = topic.partitions {
        if want < have.partitions {
            plan.errors.push(PlanError::PartitionDecrease {
                topic: topic.name.clone(),
                cluster: have.partitions,
                catalog: want,
                line: topic.line,
            });
        } else if want > have.partitions {
            plan.actions.push(Action::AddPartitions {
                topic: topic.name.clone(),
                from: have.partitions,
                to: want,
            });
        }
    }
    for (key, want) in &topic.configs {
        // The topic's own value; an inherited one (the broker's default)
        // is not the catalog's setting even when equal today.
        let own = have
            .configs
            .get(key)
            .filter(|c| c.topic_override)
            .and_then(|c| c.value.as_deref());
        if !own.is_some_and(|v| same_value(key, v, want)) {
            plan.actions.push(Action::SetConfig {
                topic: topic.name.clone(),
                key: key.clone(),
                from: own.map(str::to_owned),
                to: want.clone(),
            });
        }
    }
    for (key, config) in &have.configs {
        if config.topic_override && !topic.configs.contains_key(key) {
            plan.actions.push(Action::UnmanagedConfig {
                topic: topic.name.clone(),
                key: key.clone(),
                value: config.value.clone(),
            });
        }
    }
}

/// Kafka reports lists as it stores them (`compact,delete`).
fn same_value(key: &str, have: &str, want: &str) -> bool {
    if key == "cleanup.policy" {
        let set =
            |s: &str| -> BTreeSet<String> { s.split(',').map(|p| p.trim().to_owned()).collect() };
        return set(have) == set(want);
    }
    if let (Ok(a), Ok(b)) = (have.parse::<f64>(), want.parse::<f64>())
        && !have.contains(|c: char| c.is_ascii_alphabetic())
    {
        return a == b;
    }
    have == want
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ObservedConfig, ObservedTopic, operation, pattern};

    fn desired() -> Desired {
        let yaml = "version: v1\ntopics:\n  a.b.v1:\n    message: a.v1.B\n    producers: [svc]\n    readers: [r]\n    partitions: 6\n    retention: 7d\n";
        let config =
            schemactl_config::parse_file("schemactl.yaml", yaml, "schemactl.yaml", &|_| None)
                .expect("valid");
        crate::model::desired(&config)
    }

    fn observed(partitions: u32, retention: &str) -> Observed {
        let mut configs = BTreeMap::new();
        configs.insert(
            "retention.ms".to_owned(),
            ObservedConfig {
                value: Some(retention.to_owned()),
                topic_override: true,
            },
        );
        let mut topics = BTreeMap::new();
        topics.insert(
            "a.b.v1".to_owned(),
            ObservedTopic {
                partitions,
                replication_factor: 1,
                configs,
            },
        );
        Observed {
            topics,
            acls: desired().acls.into_iter().collect(),
        }
    }

    #[test]
    fn a_fresh_cluster_gets_everything() {
        let plan = plan(&desired(), &Observed::default());
        let lines: Vec<String> = plan.actions.iter().map(Action::describe).collect();
        assert_eq!(
            lines,
            [
                "create topic a.b.v1 (6 partitions, replication factor default, retention.ms=604800000)",
                "add ACL: ALLOW User:r READ on TOPIC a.b.v1",
                "add ACL: ALLOW User:r DESCRIBE on TOPIC a.b.v1",
                "add ACL: ALLOW User:svc WRITE on TOPIC a.b.v1",
                "add ACL: ALLOW User:svc DESCRIBE on TOPIC a.b.v1",
            ]
        );
    }

    #[test]
    fn in_sync_is_empty_and_drift_is_reported() {
        assert!(plan(&desired(), &observed(6, "604800000")).is_empty());
        let drift = plan(&desired(), &observed(6, "1000"));
        assert_eq!(
            drift
                .actions
                .iter()
                .map(Action::describe)
                .collect::<Vec<_>>(),
            ["config drift on a.b.v1: retention.ms is 1000, the catalog says 604800000"]
        );
        let more = plan(&desired(), &observed(3, "604800000"));
        assert_eq!(
            more.actions[0].describe(),
            "add partitions to a.b.v1: 3 -> 6"
        );
        let fewer = plan(&desired(), &observed(12, "604800000"));
        assert_eq!(fewer.errors.len(), 1);
        assert!(
            fewer.errors[0]
                .describe()
                .contains("Kafka cannot remove partitions")
        );
    }

    #[test]
    fn principals_follow_the_template_and_idempotent_write_is_opt_in() {
        let yaml = "version: v1\nkafka:\n  principal: \"User:CN={service},OU=kafka\"\n  cluster_idempotent_write: true\n  replication_factor: 3\n  configs:\n    min.insync.replicas: \"2\"\ntopics:\n  a.b.v1:\n    message: a.v1.B\n    producers: [svc]\n    configs:\n      min.insync.replicas: 1\n";
        let config =
            schemactl_config::parse_file("schemactl.yaml", yaml, "schemactl.yaml", &|_| None)
                .expect("valid");
        let desired = crate::model::desired(&config);
        let lines: Vec<String> = plan(&desired, &Observed::default())
            .actions
            .iter()
            .map(Action::describe)
            .collect();
        assert_eq!(
            lines,
            [
                "create topic a.b.v1 (default partitions, replication factor 3, min.insync.replicas=1)",
                "add ACL: ALLOW User:CN=svc,OU=kafka WRITE on TOPIC a.b.v1",
                "add ACL: ALLOW User:CN=svc,OU=kafka DESCRIBE on TOPIC a.b.v1",
                "add ACL: ALLOW User:CN=svc,OU=kafka IDEMPOTENT_WRITE on CLUSTER kafka-cluster",
            ]
        );
    }

    #[test]
    fn extra_acls_literal_are_prunable_and_wildcards_are_not() {
        let mut observed = observed(6, "604800000");
        let rogue = Acl::allow(resource::TOPIC, "a.b.v1", "User:billing", operation::WRITE);
        let mut wildcard = Acl::allow(resource::TOPIC, "a.", "User:ops", operation::ALL);
        wildcard.pattern_type = pattern::PREFIXED;
        let elsewhere = Acl::allow(resource::TOPIC, "other", "User:x", operation::WRITE);
        observed
            .acls
            .extend([rogue.clone(), wildcard.clone(), elsewhere]);
        let plan = plan(&desired(), &observed);
        assert_eq!(
            plan.actions,
            [
                Action::ExtraAcl {
                    acl: rogue,
                    prunable: true
                },
                Action::ExtraAcl {
                    acl: wildcard,
                    prunable: false
                },
            ]
        );
    }
}
