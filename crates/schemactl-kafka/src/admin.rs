//! The cluster operations schemactl needs, over [`Connection`]s: read what
//! the cluster has ([`Admin::observe`]), carry out a plan
//! ([`Admin::apply`]), and read a topic's records ([`Admin::read_records`]).

use std::collections::BTreeMap;

use bytes::Bytes;
use kafka_protocol::messages::{
    BrokerId, CreateAclsRequest, CreatePartitionsRequest, CreateTopicsRequest, DeleteAclsRequest,
    DescribeAclsRequest, DescribeConfigsRequest, FetchRequest, IncrementalAlterConfigsRequest,
    ListOffsetsRequest, MetadataRequest, TopicName,
    create_acls_request::AclCreation,
    create_partitions_request::CreatePartitionsTopic,
    create_topics_request::{CreatableTopic, CreatableTopicConfig},
    delete_acls_request::DeleteAclsFilter,
    describe_configs_request::DescribeConfigsResource,
    fetch_request::{FetchPartition, FetchTopic},
    incremental_alter_configs_request::{AlterConfigsResource, AlterableConfig},
    list_offsets_request::{ListOffsetsPartition, ListOffsetsTopic},
    metadata_request::MetadataRequestTopic,
};
use kafka_protocol::protocol::StrBytes;

use crate::conn::Connection;
use crate::error::{KafkaError, check_code, code_name, is_authorization};
use crate::model::{
    Acl, Desired, Observed, ObservedConfig, ObservedTopic, operation, pattern, permission, resource,
};
use crate::options::ConnectOptions;
use crate::plan::{Action, Plan};

/// `UNKNOWN_TOPIC_OR_PARTITION`.
const UNKNOWN_TOPIC: i16 = 3;
/// `TOPIC_ALREADY_EXISTS`.
const TOPIC_EXISTS: i16 = 36;
/// `SECURITY_DISABLED`: the cluster has no authorizer.
const SECURITY_DISABLED: i16 = 54;
/// `DYNAMIC_TOPIC_CONFIG` in DescribeConfigs' `config_source`.
const SOURCE_TOPIC: i8 = 1;
/// A record batch claiming more records than this is not decoded.
const MAX_BATCH_RECORDS: i32 = 1_000_000;

/// A partition of a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionInfo {
    pub index: i32,
    pub leader: i32,
    pub replicas: usize,
}

/// A topic's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInfo {
    pub partitions: Vec<PartitionInfo>,
}

/// One record read from a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedRecord {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
}

/// What Metadata answers: the brokers (node id → `HOST:PORT`) and the
/// topics that exist.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClusterMetadata {
    pub brokers: BTreeMap<i32, String>,
    pub topics: BTreeMap<String, TopicInfo>,
}

/// A session with the cluster through one of its brokers.
#[derive(Debug)]
pub struct Admin {
    options: ConnectOptions,
    conn: Connection,
    /// Connections to other brokers (partition leaders), by node id.
    others: BTreeMap<i32, Connection>,
}

impl Admin {
    /// Connects to the first bootstrap server that answers. Wrong
    /// credentials stop at once: every broker would refuse them.
    pub fn connect(options: &ConnectOptions) -> Result<Admin, KafkaError> {
        let mut last = None;
        for addr in &options.bootstrap {
            match Connection::open(addr, options) {
                Ok(conn) => {
                    return Ok(Admin {
                        options: options.clone(),
                        conn,
                        others: BTreeMap::new(),
                    });
                }
                Err(e @ (KafkaError::Authentication { .. } | KafkaError::Tls { .. })) => {
                    return Err(e);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| KafkaError::Config {
            file: "--bootstrap-server".to_owned(),
            line: 0,
            message: "no broker given".to_owned(),
        }))
    }

    /// Whether the brokers predate Kafka 2.8, where an idempotent producer
    /// (every modern client's default) needs IDEMPOTENT_WRITE on the
    /// cluster; from 2.8 (KIP-679) WRITE on the topic is enough. 2.8 added
    /// the DescribeCluster API, so its absence tells.
    pub fn needs_cluster_idempotent_write(&self) -> bool {
        /// DescribeCluster.
        const DESCRIBE_CLUSTER: i16 = 60;
        !self.conn.supports(DESCRIBE_CLUSTER)
    }

    /// The brokers (node id → `HOST:PORT`) and the named topics (all
    /// topics for `None`); a topic that does not exist is absent.
    pub fn metadata(&mut self, topics: Option<&[String]>) -> Result<ClusterMetadata, KafkaError> {
        let mut request = MetadataRequest::default();
        request.topics = topics.map(|names| {
            names
                .iter()
                .map(|n| {
                    let mut t = MetadataRequestTopic::default();
                    t.name = Some(topic_name(n));
                    t
                })
                .collect()
        });
        request.allow_auto_topic_creation = false;
        let response = self.conn.send(&request, "Metadata")?;
        let brokers = response
            .brokers
            .iter()
            .map(|b| (b.node_id.0, format!("{}:{}", b.host.as_str(), b.port)))
            .collect();
        let mut out = BTreeMap::new();
        for topic in &response.topics {
            let name = topic
                .name
                .as_ref()
                .map(|n| n.0.to_string())
                .unwrap_or_default();
            if topic.error_code == UNKNOWN_TOPIC {
                continue;
            }
            check_code(
                || format!("describing topic {name}"),
                topic.error_code,
                None,
            )?;
            let mut partitions: Vec<PartitionInfo> = topic
                .partitions
                .iter()
                .map(|p| PartitionInfo {
                    index: p.partition_index,
                    leader: p.leader_id.0,
                    replicas: p.replica_nodes.len(),
                })
                .collect();
            partitions.sort_by_key(|p| p.index);
            out.insert(name, TopicInfo { partitions });
        }
        Ok(ClusterMetadata {
            brokers,
            topics: out,
        })
    }

    /// What the cluster has of the catalog: its topics that exist, with
    /// partitions and configs, and the ACLs that bear on them.
    pub fn observe(&mut self, desired: &Desired) -> Result<Observed, KafkaError> {
        let names: Vec<String> = desired.topics.iter().map(|t| t.name.clone()).collect();
        let mut observed = Observed::default();
        if !names.is_empty() {
            let topics = self.metadata(Some(&names))?.topics;
            let configs = self.topic_configs(&topics.keys().cloned().collect::<Vec<_>>())?;
            for (name, info) in topics {
                observed.topics.insert(
                    name.clone(),
                    ObservedTopic {
                        partitions: u32::try_from(info.partitions.len()).unwrap_or(u32::MAX),
                        replication_factor: info
                            .partitions
                            .first()
                            .map_or(0, |p| u16::try_from(p.replicas).unwrap_or(u16::MAX)),
                        configs: configs.get(&name).cloned().unwrap_or_default(),
                    },
                );
            }
        }
        let mut acls = self.describe_acls(resource::TOPIC, operation::ANY)?;
        acls.retain(|acl| names.iter().any(|n| acl.covers_topic(n)));
        if desired
            .acls
            .iter()
            .any(|a| a.resource_type == resource::CLUSTER)
        {
            acls.extend(self.describe_acls(resource::CLUSTER, operation::IDEMPOTENT_WRITE)?);
        }
        acls.sort();
        acls.dedup();
        observed.acls = acls;
        Ok(observed)
    }

    /// Every config of each topic, with whether the topic overrides it.
    pub fn topic_configs(
        &mut self,
        topics: &[String],
    ) -> Result<BTreeMap<String, BTreeMap<String, ObservedConfig>>, KafkaError> {
        let mut out = BTreeMap::new();
        if topics.is_empty() {
            return Ok(out);
        }
        let mut request = DescribeConfigsRequest::default();
        request.resources = topics
            .iter()
            .map(|t| {
                let mut r = DescribeConfigsResource::default();
                r.resource_type = resource::TOPIC;
                r.resource_name = StrBytes::from_string(t.clone());
                r.configuration_keys = None;
                r
            })
            .collect();
        let response = self.conn.send(&request, "DescribeConfigs")?;
        for result in response.results {
            let name = result.resource_name.to_string();
            check_code(
                || format!("describing the configs of topic {name}"),
                result.error_code,
                result.error_message.as_deref(),
            )?;
            let configs = result
                .configs
                .into_iter()
                .map(|c| {
                    (
                        c.name.to_string(),
                        ObservedConfig {
                            value: c.value.map(|v| v.to_string()),
                            topic_override: c.config_source == SOURCE_TOPIC,
                        },
                    )
                })
                .collect();
            out.insert(name, configs);
        }
        Ok(out)
    }

    /// The ACLs on resources of one type (any name, pattern, principal).
    pub fn describe_acls(&mut self, resource_type: i8, op: i8) -> Result<Vec<Acl>, KafkaError> {
        let mut request = DescribeAclsRequest::default();
        request.resource_type_filter = resource_type;
        request.resource_name_filter = None;
        request.pattern_type_filter = pattern::ANY;
        request.principal_filter = None;
        request.host_filter = None;
        request.operation = op;
        request.permission_type = permission::ANY;
        let response = self.conn.send(&request, "DescribeAcls")?;
        if response.error_code == SECURITY_DISABLED {
            return Err(KafkaError::Broker {
                operation: "listing ACLs".to_owned(),
                code: SECURITY_DISABLED,
                code_name: code_name(SECURITY_DISABLED),
                message: Some(
                    "the cluster has no authorizer, so the catalog's ACLs cannot be enforced: set authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer on the brokers"
                        .to_owned(),
                ),
            });
        }
        check_code(
            || "listing ACLs".to_owned(),
            response.error_code,
            response.error_message.as_deref(),
        )?;
        let mut out = Vec::new();
        for res in response.resources {
            for acl in res.acls {
                out.push(Acl {
                    resource_type: res.resource_type,
                    resource_name: res.resource_name.to_string(),
                    pattern_type: res.pattern_type,
                    principal: acl.principal.to_string(),
                    host: acl.host.to_string(),
                    operation: acl.operation,
                    permission: acl.permission_type,
                });
            }
        }
        Ok(out)
    }

    /// Carries out the plan's actions (with `prune`, the removals too), in
    /// order: topics, partitions, configs, ACLs. Returns the actions done.
    pub fn apply(&mut self, plan: &Plan, prune: bool) -> Result<Vec<Action>, KafkaError> {
        let chosen: Vec<&Action> = plan
            .actions
            .iter()
            .filter(|a| {
                a.applies_without_prune()
                    || prune
                        && !matches!(
                            a,
                            Action::ExtraAcl {
                                prunable: false,
                                ..
                            }
                        )
            })
            .collect();
        let creates: Vec<&Action> = chosen
            .iter()
            .copied()
            .filter(|a| matches!(a, Action::CreateTopic { .. }))
            .collect();
        self.create_topics(&creates)?;
        let partitions: Vec<(&str, u32)> = chosen
            .iter()
            .filter_map(|a| match a {
                Action::AddPartitions { topic, to, .. } => Some((topic.as_str(), *to)),
                _ => None,
            })
            .collect();
        self.create_partitions(&partitions)?;
        let mut alters: BTreeMap<&str, Vec<(&str, Option<&str>)>> = BTreeMap::new();
        for action in &chosen {
            match action {
                Action::SetConfig { topic, key, to, .. } => {
                    alters.entry(topic).or_default().push((key, Some(to)));
                }
                Action::UnmanagedConfig { topic, key, .. } => {
                    alters.entry(topic).or_default().push((key, None));
                }
                _ => {}
            }
        }
        self.alter_configs(&alters)?;
        let add: Vec<&Acl> = chosen
            .iter()
            .filter_map(|a| match a {
                Action::AddAcl { acl } => Some(acl),
                _ => None,
            })
            .collect();
        self.create_acls(&add)?;
        let remove: Vec<&Acl> = chosen
            .iter()
            .filter_map(|a| match a {
                Action::ExtraAcl { acl, .. } => Some(acl),
                _ => None,
            })
            .collect();
        self.delete_acls(&remove)?;
        Ok(chosen.into_iter().cloned().collect())
    }

    fn create_topics(&mut self, actions: &[&Action]) -> Result<(), KafkaError> {
        if actions.is_empty() {
            return Ok(());
        }
        let mut request = CreateTopicsRequest::default();
        request.timeout_ms = timeout_ms(&self.options);
        for action in actions {
            let Action::CreateTopic {
                topic,
                partitions,
                replication_factor,
                configs,
            } = action
            else {
                continue;
            };
            let mut t = CreatableTopic::default();
            t.name = topic_name(topic);
            t.num_partitions = partitions.map_or(-1, |p| i32::try_from(p).unwrap_or(i32::MAX));
            t.replication_factor =
                replication_factor.map_or(-1, |r| i16::try_from(r).unwrap_or(i16::MAX));
            t.configs = configs
                .iter()
                .map(|(k, v)| {
                    let mut c = CreatableTopicConfig::default();
                    c.name = StrBytes::from_string(k.clone());
                    c.value = Some(StrBytes::from_string(v.clone()));
                    c
                })
                .collect();
            request.topics.push(t);
        }
        let response = self.conn.send(&request, "CreateTopics")?;
        for result in response.topics {
            if result.error_code == TOPIC_EXISTS {
                continue;
            }
            let name = result.name.0.to_string();
            check_code(
                || format!("creating topic {name}"),
                result.error_code,
                result.error_message.as_deref(),
            )?;
        }
        Ok(())
    }

    fn create_partitions(&mut self, topics: &[(&str, u32)]) -> Result<(), KafkaError> {
        if topics.is_empty() {
            return Ok(());
        }
        let mut request = CreatePartitionsRequest::default();
        request.timeout_ms = timeout_ms(&self.options);
        request.topics = topics
            .iter()
            .map(|(name, count)| {
                let mut t = CreatePartitionsTopic::default();
                t.name = topic_name(name);
                t.count = i32::try_from(*count).unwrap_or(i32::MAX);
                t.assignments = None;
                t
            })
            .collect();
        let response = self.conn.send(&request, "CreatePartitions")?;
        for result in response.results {
            let name = result.name.0.to_string();
            check_code(
                || format!("adding partitions to topic {name}"),
                result.error_code,
                result.error_message.as_deref(),
            )?;
        }
        Ok(())
    }

    /// Sets (`Some`) or removes (`None`) topic configs.
    fn alter_configs(
        &mut self,
        topics: &BTreeMap<&str, Vec<(&str, Option<&str>)>>,
    ) -> Result<(), KafkaError> {
        if topics.is_empty() {
            return Ok(());
        }
        let mut request = IncrementalAlterConfigsRequest::default();
        request.resources = topics
            .iter()
            .map(|(topic, sets)| {
                let mut r = AlterConfigsResource::default();
                r.resource_type = resource::TOPIC;
                r.resource_name = StrBytes::from_string((*topic).to_owned());
                r.configs = sets
                    .iter()
                    .map(|(key, value)| {
                        let mut c = AlterableConfig::default();
                        c.name = StrBytes::from_string((*key).to_owned());
                        // 0 SET, 1 DELETE.
                        c.config_operation = if value.is_some() { 0 } else { 1 };
                        c.value = value.map(|v| StrBytes::from_string(v.to_owned()));
                        c
                    })
                    .collect();
                r
            })
            .collect();
        let response = self.conn.send(&request, "IncrementalAlterConfigs")?;
        for result in response.responses {
            let name = result.resource_name.to_string();
            check_code(
                || format!("changing the configs of topic {name}"),
                result.error_code,
                result.error_message.as_deref(),
            )?;
        }
        Ok(())
    }

    fn create_acls(&mut self, acls: &[&Acl]) -> Result<(), KafkaError> {
        if acls.is_empty() {
            return Ok(());
        }
        let mut request = CreateAclsRequest::default();
        request.creations = acls
            .iter()
            .map(|acl| {
                let mut c = AclCreation::default();
                c.resource_type = acl.resource_type;
                c.resource_name = StrBytes::from_string(acl.resource_name.clone());
                c.resource_pattern_type = acl.pattern_type;
                c.principal = StrBytes::from_string(acl.principal.clone());
                c.host = StrBytes::from_string(acl.host.clone());
                c.operation = acl.operation;
                c.permission_type = acl.permission;
                c
            })
            .collect();
        let response = self.conn.send(&request, "CreateAcls")?;
        for (result, acl) in response.results.iter().zip(acls) {
            check_code(
                || format!("adding ACL {}", acl.describe()),
                result.error_code,
                result.error_message.as_deref(),
            )?;
        }
        Ok(())
    }

    fn delete_acls(&mut self, acls: &[&Acl]) -> Result<(), KafkaError> {
        if acls.is_empty() {
            return Ok(());
        }
        let mut request = DeleteAclsRequest::default();
        request.filters = acls
            .iter()
            .map(|acl| {
                let mut f = DeleteAclsFilter::default();
                f.resource_type_filter = acl.resource_type;
                f.resource_name_filter = Some(StrBytes::from_string(acl.resource_name.clone()));
                f.pattern_type_filter = acl.pattern_type;
                f.principal_filter = Some(StrBytes::from_string(acl.principal.clone()));
                f.host_filter = Some(StrBytes::from_string(acl.host.clone()));
                f.operation = acl.operation;
                f.permission_type = acl.permission;
                f
            })
            .collect();
        let response = self.conn.send(&request, "DeleteAcls")?;
        for (result, acl) in response.filter_results.iter().zip(acls) {
            check_code(
                || format!("removing ACL {}", acl.describe()),
                result.error_code,
                result.error_message.as_deref(),
            )?;
        }
        Ok(())
    }

    /// Reads up to `max_records` records of `topic`, from the start of
    /// each partition, partition by partition, stopping at the end of each
    /// (the high watermark when reading started).
    pub fn read_records(
        &mut self,
        topic: &str,
        max_records: usize,
    ) -> Result<Vec<FetchedRecord>, KafkaError> {
        let ClusterMetadata { brokers, topics } = self.metadata(Some(&[topic.to_owned()]))?;
        let Some(info) = topics.get(topic) else {
            return Err(KafkaError::Broker {
                operation: format!("reading topic {topic}"),
                code: UNKNOWN_TOPIC,
                code_name: code_name(UNKNOWN_TOPIC),
                message: Some("the topic does not exist".to_owned()),
            });
        };
        let mut out = Vec::new();
        for partition in &info.partitions {
            if out.len() >= max_records {
                break;
            }
            let conn = self.leader(partition.leader, &brokers)?;
            let (start, end) = offsets(conn, topic, partition.index)?;
            let mut next = start;
            while next < end && out.len() < max_records {
                let fetched = fetch(conn, topic, partition.index, next)?;
                // No whole batch past `next` although the partition goes on:
                // stopping here would pass records the audit never read.
                if fetched.next <= next {
                    return Err(KafkaError::Protocol {
                        addr: conn.addr().to_owned(),
                        message: format!(
                            "the broker returned no whole record batch at offset {next} of \
                             {topic}-{} (the partition ends at {end})",
                            partition.index
                        ),
                    });
                }
                for record in fetched.records {
                    if record.offset < next || record.offset >= end {
                        continue;
                    }
                    if out.len() < max_records {
                        out.push(record);
                    }
                }
                // Past the batches' last offsets, not the last record read:
                // compaction leaves batches whose last records are gone, and
                // control batches (transaction markers) carry no record, so
                // the next fetch from the last record would return the same
                // batches again, for ever.
                next = fetched.next;
            }
        }
        Ok(out)
    }

    fn leader(
        &mut self,
        leader: i32,
        brokers: &BTreeMap<i32, String>,
    ) -> Result<&mut Connection, KafkaError> {
        let Some(addr) = brokers.get(&leader) else {
            return Err(KafkaError::Protocol {
                addr: self.conn.addr().to_owned(),
                message: format!("the partition's leader {leader} is not among the brokers"),
            });
        };
        if addr == self.conn.addr() {
            return Ok(&mut self.conn);
        }
        if !self.others.contains_key(&leader) {
            let conn = Connection::open(addr, &self.options)?;
            self.others.insert(leader, conn);
        }
        self.others
            .get_mut(&leader)
            .ok_or_else(|| KafkaError::Protocol {
                addr: addr.clone(),
                message: "lost the connection".to_owned(),
            })
    }
}

fn timeout_ms(options: &ConnectOptions) -> i32 {
    i32::try_from(options.request_timeout.as_millis()).unwrap_or(i32::MAX)
}

fn topic_name(name: &str) -> TopicName {
    TopicName(StrBytes::from_string(name.to_owned()))
}

/// The earliest and the end offset of a partition.
fn offsets(conn: &mut Connection, topic: &str, partition: i32) -> Result<(i64, i64), KafkaError> {
    let mut found = [0i64; 2];
    for (slot, timestamp) in [(0, -2i64), (1, -1i64)] {
        let mut request = ListOffsetsRequest::default();
        request.replica_id = BrokerId(-1);
        request.isolation_level = 0;
        let mut p = ListOffsetsPartition::default();
        p.partition_index = partition;
        p.current_leader_epoch = -1;
        p.timestamp = timestamp;
        let mut t = ListOffsetsTopic::default();
        t.name = topic_name(topic);
        t.partitions = vec![p];
        request.topics = vec![t];
        let response = conn.send(&request, "ListOffsets")?;
        let answer = response
            .topics
            .iter()
            .flat_map(|t| &t.partitions)
            .find(|p| p.partition_index == partition)
            .ok_or_else(|| KafkaError::Protocol {
                addr: conn.addr().to_owned(),
                message: format!("no offsets for {topic}-{partition}"),
            })?;
        check_code(
            || format!("reading the offsets of {topic}-{partition}"),
            answer.error_code,
            None,
        )?;
        found[slot] = answer.offset;
    }
    Ok((found[0], found[1]))
}

/// What one fetch returned: the records of its complete batches, and the
/// offset after the last of those batches (the fetch offset when none).
#[derive(Debug)]
struct Fetched {
    records: Vec<FetchedRecord>,
    next: i64,
}

/// One fetch from `offset`.
fn fetch(
    conn: &mut Connection,
    topic: &str,
    partition: i32,
    offset: i64,
) -> Result<Fetched, KafkaError> {
    // v12 names topics; v13 and later take topic ids.
    let version = conn.version::<FetchRequest>(Some(12))?;
    let mut request = FetchRequest::default();
    request.replica_id = BrokerId(-1);
    request.max_wait_ms = 500;
    request.min_bytes = 1;
    request.max_bytes = 8 << 20;
    request.isolation_level = 0;
    request.session_id = 0;
    request.session_epoch = -1;
    let mut p = FetchPartition::default();
    p.partition = partition;
    p.current_leader_epoch = -1;
    p.fetch_offset = offset;
    p.last_fetched_epoch = -1;
    p.log_start_offset = -1;
    p.partition_max_bytes = 4 << 20;
    let mut t = FetchTopic::default();
    t.topic = topic_name(topic);
    t.partitions = vec![p];
    request.topics = vec![t];
    let response = conn.send_version(&request, version, "Fetch")?;
    check_code(|| format!("reading {topic}"), response.error_code, None)?;
    let mut out = Fetched {
        records: Vec::new(),
        next: offset,
    };
    for data in response.responses.iter().flat_map(|t| &t.partitions) {
        if data.partition_index != partition {
            continue;
        }
        check_code(
            || {
                if is_authorization(data.error_code) {
                    format!("reading {topic}-{partition} (a fetch needs READ on the topic)")
                } else {
                    format!("reading {topic}-{partition}")
                }
            },
            data.error_code,
            None,
        )?;
        let Some(records) = &data.records else {
            continue;
        };
        let fetched = decode_fetched(records, partition, offset, conn.addr()).map_err(|e| {
            KafkaError::Protocol {
                addr: conn.addr().to_owned(),
                message: format!("reading {topic}-{partition} at offset {offset}: {e}"),
            }
        })?;
        out.next = out.next.max(fetched.next);
        out.records.extend(fetched.records);
    }
    Ok(out)
}

/// The records of the complete batches in a fetch response's `records`
/// (control records left out), and the offset after the last batch
/// (`offset` when there is no complete batch). Errors are messages for a
/// [`KafkaError::Protocol`].
fn decode_fetched(
    records: &Bytes,
    partition: i32,
    offset: i64,
    addr: &str,
) -> Result<Fetched, String> {
    let (mut complete, last) = complete_batches(records, addr).map_err(|e| e.to_string())?;
    let records = crate::records::decode(&mut complete)
        .map_err(|e| format!("cannot decode the records: {e}"))?
        .into_iter()
        .filter(|r| !r.control)
        .map(|r| FetchedRecord {
            partition,
            offset: r.offset,
            key: r.key,
            value: r.value,
        })
        .collect();
    Ok(Fetched {
        records,
        next: last.map_or(offset, |l| l.saturating_add(1).max(offset)),
    })
}

/// The whole record batches at the start of `records` (a fetch may end in
/// a partial one), each checked to claim a bounded number of records, and
/// the last offset of the last of them (from its header: base offset plus
/// last offset delta, which compaction keeps even when it removes the
/// batch's last records).
fn complete_batches(records: &Bytes, addr: &str) -> Result<(Bytes, Option<i64>), KafkaError> {
    let mut at = 0usize;
    let mut last = None;
    while records.len() >= at + 12 {
        let len = i32::from_be_bytes([
            records[at + 8],
            records[at + 9],
            records[at + 10],
            records[at + 11],
        ]);
        let Ok(len) = usize::try_from(len) else { break };
        let end = at + 12 + len;
        if end > records.len() {
            break;
        }
        // The record count sits at byte 57 of a v2 batch.
        if records.len() >= at + 61 {
            let count = i32::from_be_bytes([
                records[at + 57],
                records[at + 58],
                records[at + 59],
                records[at + 60],
            ]);
            if !(0..=MAX_BATCH_RECORDS).contains(&count) {
                return Err(KafkaError::Protocol {
                    addr: addr.to_owned(),
                    message: format!(
                        "a record batch claims {count} records; refusing to decode it"
                    ),
                });
            }
        }
        // The last offset delta sits at byte 23 of a v2 batch.
        if records.len() >= at + 27 {
            let base = i64::from_be_bytes(records[at..at + 8].try_into().unwrap_or_default());
            let delta =
                i32::from_be_bytes(records[at + 23..at + 27].try_into().unwrap_or_default());
            last = Some(base.saturating_add(i64::from(delta.max(0))));
        }
        at = end;
    }
    Ok((records.slice(..at), last))
}

#[cfg(test)]
mod tests {
    use bytes::BytesMut;
    use kafka_protocol::records::{
        Compression, Record, RecordBatchEncoder, RecordEncodeOptions, TimestampType,
    };

    use super::*;

    fn record(offset: i64, control: bool) -> Record {
        Record {
            transactional: control,
            control,
            delete_horizon: false,
            partition_leader_epoch: 0,
            producer_id: -1,
            producer_epoch: -1,
            timestamp_type: TimestampType::Creation,
            offset,
            sequence: i32::try_from(offset).unwrap_or_default(),
            timestamp: 1_700_000_000_000,
            key: None,
            value: Some(Bytes::from(format!("value {offset}"))),
            headers: Default::default(),
        }
    }

    /// One v2 batch of `records`, with the given compression (none, gzip
    /// or zstd: the codecs compressed here, with the crates that
    /// decompress them in `records`).
    fn batch(records: &[Record], compression: Compression) -> BytesMut {
        let mut buf = BytesMut::new();
        let options = RecordEncodeOptions {
            version: 2,
            compression,
        };
        let compress = |data: &mut BytesMut, out: &mut BytesMut, compression| {
            let compressed = match compression {
                Compression::None => data.to_vec(),
                Compression::Gzip => {
                    let mut gz =
                        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                    std::io::Write::write_all(&mut gz, data)?;
                    gz.finish()?
                }
                Compression::Zstd => zstd::stream::encode_all(&data[..], 3)?,
                other => anyhow::bail!("{other:?} is not compressed in these tests"),
            };
            out.extend_from_slice(&compressed);
            Ok(())
        };
        RecordBatchEncoder::encode_with_custom_compression(
            &mut buf,
            records.iter(),
            &options,
            Some(compress),
        )
        .expect("encode a batch");
        buf
    }

    /// CRC-32C (Castagnoli), as a v2 batch header carries it.
    fn crc32c(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0x82f6_3b78
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// What compaction leaves: the batch keeps its last offset delta while
    /// its last records are gone.
    fn compacted(mut batch: BytesMut, last_offset_delta: i32) -> BytesMut {
        batch[23..27].copy_from_slice(&last_offset_delta.to_be_bytes());
        let crc = crc32c(&batch[21..]);
        batch[17..21].copy_from_slice(&crc.to_be_bytes());
        batch
    }

    fn offsets(fetched: &Fetched) -> Vec<i64> {
        fetched.records.iter().map(|r| r.offset).collect()
    }

    #[test]
    fn a_compacted_batch_moves_the_next_fetch_past_its_last_offset() {
        // Offsets 10 and 11 remain of a batch that ended at 13.
        let bytes = compacted(
            batch(&[record(10, false), record(11, false)], Compression::None),
            3,
        )
        .freeze();
        let fetched = decode_fetched(&bytes, 0, 12, "broker").expect("decodes");
        assert_eq!(offsets(&fetched), [10, 11]);
        assert_eq!(
            fetched.next, 14,
            "a fetch from 12 would return this batch again"
        );
    }

    #[test]
    fn control_batches_count_for_the_next_offset_but_yield_no_record() {
        let mut bytes = batch(&[record(0, false), record(1, false)], Compression::Zstd);
        bytes.extend_from_slice(&batch(&[record(2, true)], Compression::None));
        let fetched = decode_fetched(&bytes.freeze(), 3, 0, "broker").expect("decodes");
        assert_eq!(offsets(&fetched), [0, 1]);
        assert!(fetched.records.iter().all(|r| r.partition == 3));
        assert_eq!(fetched.next, 3);

        let marker = batch(&[record(7, true)], Compression::None).freeze();
        let fetched = decode_fetched(&marker, 0, 7, "broker").expect("decodes");
        assert!(fetched.records.is_empty());
        assert_eq!(fetched.next, 8);
    }

    #[test]
    fn a_partial_batch_at_the_end_is_left_for_the_next_fetch() {
        let mut bytes = batch(&[record(5, false)], Compression::Gzip);
        let second = batch(&[record(6, false), record(7, false)], Compression::Zstd);
        bytes.extend_from_slice(&second[..second.len() - 3]);
        let fetched = decode_fetched(&bytes.freeze(), 0, 5, "broker").expect("decodes");
        assert_eq!(offsets(&fetched), [5]);
        assert_eq!(fetched.next, 6);

        let nothing =
            decode_fetched(&second.freeze().slice(..20), 0, 6, "broker").expect("no whole batch");
        assert!(nothing.records.is_empty());
        assert_eq!(nothing.next, 6, "no progress: the reader reports it");
    }

    #[test]
    fn a_corrupt_batch_is_an_error() {
        let mut bytes = batch(&[record(0, false)], Compression::None);
        let len = bytes.len();
        bytes[len - 1] ^= 0xff;
        let error = decode_fetched(&bytes.freeze(), 0, 0, "broker").expect_err("bad CRC");
        assert!(error.contains("cannot decode the records"), "{error}");
    }
}
