//! The catalog's wanted state for teams that manage Kafka through GitOps:
//! Strimzi `KafkaTopic` and `KafkaUser` resources, or JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::model::{Acl, Desired, operation, pattern, resource};

/// How Strimzi authenticates the users it creates, which fixes the
/// principal Kafka sees for a `KafkaUser` named N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrimziAuth {
    /// `User:N`.
    ScramSha512,
    /// `User:CN=N`.
    Tls,
}

impl StrimziAuth {
    fn name(self) -> &'static str {
        match self {
            StrimziAuth::ScramSha512 => "scram-sha-512",
            StrimziAuth::Tls => "tls",
        }
    }

    fn principal_template(self) -> &'static str {
        match self {
            StrimziAuth::ScramSha512 => "User:{service}",
            StrimziAuth::Tls => "User:CN={service}",
        }
    }
}

/// Why the catalog cannot be exported to Strimzi.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error(
        "the catalog maps services to `{template}`, and Strimzi's {auth} users are `{expected}`"
    )]
    Principal {
        template: String,
        auth: &'static str,
        expected: &'static str,
    },
    #[error("`{name}` is not a valid Kubernetes resource name for a Strimzi resource")]
    Name { name: String },
}

impl ExportError {
    pub fn hint(&self) -> String {
        match self {
            ExportError::Principal { expected, .. } => format!(
                "set `kafka.principal: \"{expected}\"` in schemactl.yaml, or pick the other --authentication"
            ),
            ExportError::Name { .. } => {
                "Strimzi users are named by the service: use lower-case letters, digits, `-` and `.`"
                    .to_owned()
            }
        }
    }
}

/// `KafkaTopic` and `KafkaUser` resources (`kafka.strimzi.io/v1beta2`) for
/// the Strimzi cluster `cluster`, as one YAML stream.
pub fn strimzi(
    desired: &Desired,
    principal_template: &str,
    cluster: &str,
    namespace: Option<&str>,
    auth: StrimziAuth,
) -> Result<String, ExportError> {
    if principal_template != auth.principal_template() {
        return Err(ExportError::Principal {
            template: principal_template.to_owned(),
            auth: auth.name(),
            expected: auth.principal_template(),
        });
    }
    let mut out = String::new();
    let metadata = |out: &mut String, name: &str| {
        let _ = writeln!(out, "metadata:");
        let _ = writeln!(out, "  name: {}", quote(name));
        if let Some(ns) = namespace {
            let _ = writeln!(out, "  namespace: {}", quote(ns));
        }
        let _ = writeln!(out, "  labels:");
        let _ = writeln!(out, "    strimzi.io/cluster: {}", quote(cluster));
    };
    for topic in &desired.topics {
        out.push_str("---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\n");
        metadata(&mut out, &kubernetes_name(&topic.name));
        let _ = writeln!(out, "spec:");
        let _ = writeln!(out, "  topicName: {}", quote(&topic.name));
        if let Some(p) = topic.partitions {
            let _ = writeln!(out, "  partitions: {p}");
        }
        if let Some(r) = topic.replication_factor {
            let _ = writeln!(out, "  replicas: {r}");
        }
        if !topic.configs.is_empty() {
            let _ = writeln!(out, "  config:");
            for (k, v) in &topic.configs {
                let _ = writeln!(out, "    {}: {}", quote(k), quote(v));
            }
        }
    }
    // One user per service, with every ACL it is granted.
    let mut users: BTreeMap<&str, Vec<&Acl>> = BTreeMap::new();
    for (service, principal) in &desired.principals {
        let grants = desired
            .acls
            .iter()
            .filter(|a| &a.principal == principal)
            .collect();
        users.insert(service, grants);
    }
    for (service, acls) in users {
        if !valid_kubernetes_name(service) {
            return Err(ExportError::Name {
                name: service.to_owned(),
            });
        }
        out.push_str("---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaUser\n");
        metadata(&mut out, service);
        let _ = writeln!(out, "spec:");
        let _ = writeln!(out, "  authentication:");
        let _ = writeln!(out, "    type: {}", auth.name());
        let _ = writeln!(out, "  authorization:");
        let _ = writeln!(out, "    type: simple");
        let _ = writeln!(out, "    acls:");
        // Strimzi groups operations per resource.
        let mut by_resource: BTreeMap<(i8, &str, i8), Vec<&'static str>> = BTreeMap::new();
        for acl in acls {
            by_resource
                .entry((acl.resource_type, &acl.resource_name, acl.pattern_type))
                .or_default()
                .push(strimzi_operation(acl.operation));
        }
        for ((ty, name, pat), ops) in by_resource {
            let _ = writeln!(out, "      - resource:");
            if ty == resource::CLUSTER {
                let _ = writeln!(out, "          type: cluster");
            } else {
                let _ = writeln!(out, "          type: topic");
                let _ = writeln!(out, "          name: {}", quote(name));
                let _ = writeln!(
                    out,
                    "          patternType: {}",
                    if pat == pattern::PREFIXED {
                        "prefix"
                    } else {
                        "literal"
                    }
                );
            }
            let _ = writeln!(out, "        operations: [{}]", ops.join(", "));
            let _ = writeln!(out, "        host: \"*\"");
        }
    }
    Ok(out)
}

fn strimzi_operation(op: i8) -> &'static str {
    match op {
        operation::READ => "Read",
        operation::WRITE => "Write",
        operation::DESCRIBE => "Describe",
        operation::IDEMPOTENT_WRITE => "IdempotentWrite",
        operation::ALL => "All",
        _ => "Describe",
    }
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn quote(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

fn valid_kubernetes_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// The topic's name when it is a valid Kubernetes name; otherwise a
/// lower-cased, `_`-free form with a hash of the real name appended (the
/// real name is in `spec.topicName`).
fn kubernetes_name(topic: &str) -> String {
    if valid_kubernetes_name(topic) {
        return topic.to_owned();
    }
    let base: String = topic
        .chars()
        .map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            'a'..='z' | '0'..='9' | '-' | '.' => c,
            _ => '-',
        })
        .collect();
    let base = base.trim_matches(|c: char| c == '-' || c == '.');
    let hash = Sha256::digest(topic.as_bytes());
    let suffix: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let mut base = base.to_owned();
    base.truncate(200);
    format!("{base}---{suffix}")
        .trim_start_matches('-')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_names() {
        assert_eq!(
            kubernetes_name("identity.user-created.v1"),
            "identity.user-created.v1"
        );
        let odd = kubernetes_name("Billing_Events.v1");
        assert!(odd.starts_with("billing-events.v1---"), "{odd}");
        assert!(valid_kubernetes_name(&odd));
        assert_ne!(kubernetes_name("a_b"), kubernetes_name("a-b"));
    }
}
