//! `schemactl.yaml`.

use std::collections::BTreeMap;

use crate::buf::{Flavor, parse_breaking, parse_lint, parse_module_path};
use crate::decode::{Ctx, get};
use crate::yaml::{self, Node};
use crate::{
    Config, ConfigError, ConfigKind, Consumer, ConsumerKind, Module, ReleaseConfig, Topic,
};

const TOP_KEYS: &[&str] = &[
    "version",
    "roots",
    "lint",
    "breaking",
    "topics",
    "generate",
    "consumers",
    "release",
    "kafka",
];
const TOPIC_KEYS: &[&str] = &[
    "message",
    "owners",
    "producers",
    "description",
    "partitions",
    "retention",
    "readers",
    "configs",
];
const KAFKA_KEYS: &[&str] = &[
    "principal",
    "replication_factor",
    "partitions",
    "configs",
    "cluster_idempotent_write",
];

/// Kafka 4's topic-level configs, and what kind of value each takes.
const TOPIC_CONFIGS: &[(&str, ConfigValueKind)] = &[
    ("cleanup.policy", ConfigValueKind::CleanupPolicy),
    ("compression.gzip.level", ConfigValueKind::Int),
    ("compression.lz4.level", ConfigValueKind::Int),
    ("compression.type", ConfigValueKind::Compression),
    ("compression.zstd.level", ConfigValueKind::Int),
    ("delete.retention.ms", ConfigValueKind::Int),
    ("file.delete.delay.ms", ConfigValueKind::Int),
    ("flush.messages", ConfigValueKind::Int),
    ("flush.ms", ConfigValueKind::Int),
    (
        "follower.replication.throttled.replicas",
        ConfigValueKind::Text,
    ),
    ("index.interval.bytes", ConfigValueKind::Int),
    (
        "leader.replication.throttled.replicas",
        ConfigValueKind::Text,
    ),
    ("local.retention.bytes", ConfigValueKind::Int),
    ("local.retention.ms", ConfigValueKind::Int),
    ("max.compaction.lag.ms", ConfigValueKind::Int),
    ("max.message.bytes", ConfigValueKind::Int),
    ("message.timestamp.after.max.ms", ConfigValueKind::Int),
    ("message.timestamp.before.max.ms", ConfigValueKind::Int),
    ("message.timestamp.type", ConfigValueKind::TimestampType),
    ("min.cleanable.dirty.ratio", ConfigValueKind::Ratio),
    ("min.compaction.lag.ms", ConfigValueKind::Int),
    ("min.insync.replicas", ConfigValueKind::Int),
    ("preallocate", ConfigValueKind::Bool),
    ("remote.log.copy.disable", ConfigValueKind::Bool),
    ("remote.log.delete.on.disable", ConfigValueKind::Bool),
    ("remote.storage.enable", ConfigValueKind::Bool),
    ("retention.bytes", ConfigValueKind::Int),
    ("retention.ms", ConfigValueKind::Int),
    ("segment.bytes", ConfigValueKind::Int),
    ("segment.index.bytes", ConfigValueKind::Int),
    ("segment.jitter.ms", ConfigValueKind::Int),
    ("segment.ms", ConfigValueKind::Int),
    ("unclean.leader.election.enable", ConfigValueKind::Bool),
];

#[derive(Clone, Copy)]
enum ConfigValueKind {
    Int,
    Bool,
    Ratio,
    Text,
    CleanupPolicy,
    Compression,
    TimestampType,
}
const CONSUMER_KEYS: &[&str] = &["repo", "kind", "file", "pattern", "topics"];
const RELEASE_KEYS: &[&str] = &["tag_prefix", "branch", "allow_breaking_label"];

pub(crate) fn parse(text: &str, display: &str, file: &str) -> Result<Config, ConfigError> {
    let ctx = Ctx::new(display);
    let root = yaml::parse(text).map_err(|e| ctx.syntax_error(e))?;
    let ctx = ctx.with_root(&root);
    let top = ctx.map(&root, "the file")?;
    ctx.check_keys(top, TOP_KEYS, "")?;
    match get(top, "version") {
        None => {
            let mut err = ctx.error(root.pos(), "missing required key `version`");
            err.hint = Some("add `version: v1` at the top of the file".to_owned());
            return Err(err);
        }
        Some(v) => {
            let version = ctx.string(v, "version")?;
            if version != "v1" {
                let mut err = ctx.error(v.pos(), format!("unsupported version `{version}`"));
                err.hint = Some("the only version is `v1`".to_owned());
                return Err(err);
            }
        }
    }
    let mut config = Config {
        kind: ConfigKind::Schemactl {
            file: file.to_owned(),
        },
        ..Config::buf_default()
    };
    config.lint = crate::LintConfig::default();
    if let Some(roots) = get(top, "roots") {
        let items = ctx.seq(roots, "roots")?;
        if items.is_empty() {
            return Err(ctx.error(roots.pos(), "`roots` must name at least one directory"));
        }
        config.modules = items
            .iter()
            .map(|n| parse_module_path(&ctx, n, "roots").map(|p| Module::root(&p)))
            .collect::<Result<_, _>>()?;
    }
    if let Some(lint) = get(top, "lint") {
        config.lint = parse_lint(&ctx, lint, Flavor::Schemactl, &config.lint)?;
    }
    if let Some(breaking) = get(top, "breaking") {
        config.breaking = parse_breaking(&ctx, breaking, Flavor::Schemactl)?;
    }
    if let Some(topics) = get(top, "topics") {
        config.topics = parse_topics(&ctx, topics, text)?;
    }
    if let Some(generate) = get(top, "generate") {
        config.generate = Some(crate::generate::parse_section(&ctx, generate)?);
    }
    if let Some(consumers) = get(top, "consumers") {
        config.consumers = ctx
            .seq(consumers, "consumers")?
            .iter()
            .map(|n| parse_consumer(&ctx, n, &config.topics))
            .collect::<Result<_, _>>()?;
    }
    if let Some(release) = get(top, "release") {
        config.release = parse_release(&ctx, release)?;
    }
    if let Some(kafka) = get(top, "kafka") {
        config.kafka = parse_kafka(&ctx, kafka)?;
    }
    Ok(config)
}

fn parse_topics(
    ctx: &Ctx<'_>,
    node: &Node,
    text: &str,
) -> Result<BTreeMap<String, Topic>, ConfigError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut topics = BTreeMap::new();
    for (key, value) in ctx.map(node, "topics")? {
        if !valid_topic_name(&key.name) {
            return Err(ctx.error(
                key.pos,
                format!(
                    "invalid topic name `{}`: Kafka topic names use only letters, digits, `.`, `_` and `-` (at most 249 characters)",
                    key.name
                ),
            ));
        }
        let section = format!("topics.{}", key.name);
        let entries = ctx.map(value, &section)?;
        ctx.check_keys(entries, TOPIC_KEYS, &section)?;
        let message_line = get(entries, "message").map_or(key.pos.line, |m| m.pos().line);
        let message = match get(entries, "message") {
            Some(m) => {
                let name = ctx.string(m, "message")?;
                let name = name.strip_prefix('.').unwrap_or(&name).to_owned();
                if name.is_empty()
                    || !name.split('.').all(|p| {
                        !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    })
                {
                    return Err(ctx.error(
                        m.pos(),
                        format!("`message` must be a fully qualified message name like `acme.identity.v1.UserCreated`, found `{name}`"),
                    ));
                }
                name
            }
            None => {
                let mut err = ctx.error(key.pos, format!("topic `{}` has no `message`", key.name));
                err.hint = Some("name the one message type the topic carries, e.g. `message: acme.identity.v1.UserCreated`".to_owned());
                return Err(err);
            }
        };
        let partitions = match get(entries, "partitions") {
            Some(p) => Some(ctx.positive_u32(p, "partitions")?),
            None => None,
        };
        let retention = match get(entries, "retention") {
            Some(r) => {
                let text = ctx.string(r, "retention")?;
                if !valid_duration(&text) {
                    let mut err = ctx.error(r.pos(), format!("invalid retention `{text}`"));
                    err.hint = Some(
                        "write a duration like `7d`, `24h`, `90m`, or `-1` for infinite retention"
                            .to_owned(),
                    );
                    return Err(err);
                }
                Some(text)
            }
            None => None,
        };
        let opt_strings = |k: &str| -> Result<Vec<String>, ConfigError> {
            get(entries, k).map_or(Ok(Vec::new()), |n| ctx.strings(n, k))
        };
        let configs = match get(entries, "configs") {
            Some(n) => parse_topic_configs(ctx, n, &format!("{section}.configs"))?,
            None => BTreeMap::new(),
        };
        if let (Some(r), Some(n)) = (get(entries, "retention"), get(entries, "configs"))
            && let Ok(map) = ctx.map(n, "configs")
            && let Some((k, _)) = map.iter().find(|(k, _)| k.name == "retention.ms")
        {
            let mut err = ctx.error(
                k.pos,
                format!(
                    "topic `{}` sets both `retention` (line {}) and `configs.retention.ms`",
                    key.name,
                    r.pos().line
                ),
            );
            err.hint = Some("keep one: `retention` is written as a duration (`7d`)".to_owned());
            return Err(err);
        }
        let readers = opt_strings("readers")?;
        for (k, list) in [
            ("producers", opt_strings("producers")?),
            ("readers", readers.clone()),
        ] {
            if let Some(bad) = list.iter().find(|s| !valid_service(s)) {
                let node = get(entries, k).unwrap_or(value);
                return Err(ctx.error(
                    node.pos(),
                    format!("`{bad}` in `{k}` is not a service name: use letters, digits, `.`, `_` and `-`"),
                ));
            }
        }
        topics.insert(
            key.name.clone(),
            Topic {
                message,
                owners: opt_strings("owners")?,
                producers: opt_strings("producers")?,
                description: get(entries, "description")
                    .map_or(Ok(String::new()), |n| ctx.string(n, "description"))?,
                partitions,
                retention,
                readers,
                configs,
                line: key.pos.line,
                column: key.pos.column,
                message_line,
                leading_comment: leading_comment(&lines, key.pos.line),
            },
        );
    }
    Ok(topics)
}

/// The comment lines directly above 1-based `line` (no blank line between),
/// without their `#`, in order, each ending in a newline.
fn leading_comment(lines: &[&str], line: usize) -> String {
    let above = &lines[..line.saturating_sub(1).min(lines.len())];
    let start = above
        .iter()
        .rposition(|l| !l.trim_start().starts_with('#'))
        .map_or(0, |i| i + 1);
    above[start..]
        .iter()
        .map(|l| format!("{}\n", l.trim_start().strip_prefix('#').unwrap_or_default()))
        .collect()
}

fn valid_topic_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 249
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn valid_duration(text: &str) -> bool {
    if text == "-1" {
        return true;
    }
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &text[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(unit, "ms" | "s" | "m" | "h" | "d" | "w")
}

fn parse_consumer(
    ctx: &Ctx<'_>,
    node: &Node,
    topics: &BTreeMap<String, Topic>,
) -> Result<Consumer, ConfigError> {
    let entries = ctx.map(node, "consumers[]")?;
    ctx.check_keys(entries, CONSUMER_KEYS, "consumers[]")?;
    let required = |k: &str| -> Result<(String, &Node), ConfigError> {
        match get(entries, k) {
            Some(n) => Ok((ctx.string(n, k)?, n)),
            None => Err(ctx.error(node.pos(), format!("consumer is missing `{k}`"))),
        }
    };
    let (repo, repo_node) = required("repo")?;
    let repo_ok = repo.split('/').count() == 2
        && repo.split('/').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    if !repo_ok {
        return Err(ctx.error(
            repo_node.pos(),
            format!("`repo` must be `owner/name`, found `{repo}`"),
        ));
    }
    let (kind, kind_node) = required("kind")?;
    let kind = match kind.as_str() {
        "server" => ConsumerKind::Server,
        "client" => ConsumerKind::Client,
        other => {
            let mut err = ctx.error(kind_node.pos(), format!("unknown consumer kind `{other}`"));
            err.hint = Some("use `server` (updated first) or `client`".to_owned());
            return Err(err);
        }
    };
    let (file, _) = required("file")?;
    let (pattern, pattern_node) = required("pattern")?;
    if !pattern.contains('(') {
        let mut err = ctx.error(
            pattern_node.pos(),
            "`pattern` has no capture group for the version",
        );
        err.hint = Some(
            r"put the version in parentheses, e.g. 'proto-schema v(\d+\.\d+\.\d+)'".to_owned(),
        );
        return Err(err);
    }
    let mut consumer_topics = Vec::new();
    if let Some(list) = get(entries, "topics") {
        for item in ctx.seq(list, "topics")? {
            let name = ctx.string(item, "topics")?;
            if !topics.contains_key(&name) {
                let names: Vec<&str> = topics.keys().map(String::as_str).collect();
                let mut err = ctx.error(
                    item.pos(),
                    format!("consumer topic `{name}` is not in `topics`"),
                );
                err.hint = crate::closest(&name, &names).map(|b| format!("did you mean `{b}`?"));
                return Err(err);
            }
            consumer_topics.push(name);
        }
    }
    Ok(Consumer {
        repo,
        kind,
        file,
        pattern,
        topics: consumer_topics,
        line: node.pos().line,
    })
}

fn parse_release(ctx: &Ctx<'_>, node: &Node) -> Result<ReleaseConfig, ConfigError> {
    let entries = ctx.map(node, "release")?;
    ctx.check_keys(entries, RELEASE_KEYS, "release")?;
    let mut release = ReleaseConfig::default();
    if let Some(n) = get(entries, "tag_prefix") {
        release.tag_prefix = match n {
            Node::Scalar { value, .. } => value.clone(),
            _ => return Err(ctx.expected(n, "a string", "tag_prefix")),
        };
    }
    if let Some(n) = get(entries, "branch") {
        release.branch = ctx.string(n, "branch")?;
    }
    if let Some(n) = get(entries, "allow_breaking_label") {
        release.allow_breaking_label = ctx.string(n, "allow_breaking_label")?;
    }
    Ok(release)
}

fn valid_service(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// A `configs:` map of Kafka topic configs: known keys, values of the
/// right kind, kept as the strings Kafka takes.
fn parse_topic_configs(
    ctx: &Ctx<'_>,
    node: &Node,
    section: &str,
) -> Result<BTreeMap<String, String>, ConfigError> {
    let names: Vec<&str> = TOPIC_CONFIGS.iter().map(|(k, _)| *k).collect();
    let mut out = BTreeMap::new();
    let mut seen = Vec::new();
    for (key, value) in ctx.map(node, section)? {
        if seen.contains(&key.name) {
            return Err(ctx.error(key.pos, format!("duplicate key `{}`", key.name)));
        }
        seen.push(key.name.clone());
        let Some((_, kind)) = TOPIC_CONFIGS.iter().find(|(k, _)| *k == key.name) else {
            let mut err = ctx.error(
                key.pos,
                format!("`{}` in `{section}` is not a Kafka topic config", key.name),
            );
            err.hint = Some(match crate::closest(&key.name, &names) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "see Kafka's topic configs: https://kafka.apache.org/documentation/#topicconfigs".to_owned(),
            });
            return Err(err);
        };
        let text = ctx.string(value, &key.name)?;
        let ok = match kind {
            ConfigValueKind::Int => text.parse::<i64>().is_ok(),
            ConfigValueKind::Bool => matches!(text.as_str(), "true" | "false"),
            ConfigValueKind::Ratio => text.parse::<f64>().is_ok_and(|r| (0.0..=1.0).contains(&r)),
            ConfigValueKind::Text => true,
            ConfigValueKind::CleanupPolicy => {
                !text.is_empty()
                    && text
                        .split(',')
                        .all(|p| matches!(p.trim(), "delete" | "compact"))
            }
            ConfigValueKind::Compression => matches!(
                text.as_str(),
                "uncompressed" | "zstd" | "lz4" | "snappy" | "gzip" | "producer"
            ),
            ConfigValueKind::TimestampType => {
                matches!(text.as_str(), "CreateTime" | "LogAppendTime")
            }
        };
        if !ok {
            let what = match kind {
                ConfigValueKind::Int => "a whole number",
                ConfigValueKind::Bool => "true or false",
                ConfigValueKind::Ratio => "a number from 0 to 1",
                ConfigValueKind::Text => "a string",
                ConfigValueKind::CleanupPolicy => "`delete`, `compact` or `delete,compact`",
                ConfigValueKind::Compression => {
                    "one of uncompressed, zstd, lz4, snappy, gzip, producer"
                }
                ConfigValueKind::TimestampType => "`CreateTime` or `LogAppendTime`",
            };
            return Err(ctx.error(
                value.pos(),
                format!("`{}` must be {what}, found `{text}`", key.name),
            ));
        }
        out.insert(key.name.clone(), text);
    }
    Ok(out)
}

fn parse_kafka(ctx: &Ctx<'_>, node: &Node) -> Result<crate::KafkaConfig, ConfigError> {
    let entries = ctx.map(node, "kafka")?;
    ctx.check_keys(entries, KAFKA_KEYS, "kafka")?;
    let mut kafka = crate::KafkaConfig::default();
    if let Some(n) = get(entries, "principal") {
        let text = ctx.string(n, "principal")?;
        let valid = text.contains("{service}")
            && text.split_once(':').is_some_and(|(ty, name)| {
                !ty.is_empty() && !name.is_empty() && ty.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if !valid {
            let mut err = ctx.error(
                n.pos(),
                format!(
                    "`principal` must be a Kafka principal with `{{service}}` in it, found `{text}`"
                ),
            );
            err.hint =
                Some("for example `User:{service}` or `User:CN={service},OU=kafka`".to_owned());
            return Err(err);
        }
        kafka.principal = text;
    }
    if let Some(n) = get(entries, "replication_factor") {
        let rf = ctx.positive_u32(n, "replication_factor")?;
        kafka.replication_factor = Some(
            u16::try_from(rf)
                .map_err(|_| {
                    ctx.error(
                        n.pos(),
                        format!("`replication_factor` {rf} is larger than Kafka allows (32767)"),
                    )
                })?
                .min(i16::MAX as u16),
        );
    }
    if let Some(n) = get(entries, "partitions") {
        kafka.partitions = Some(ctx.positive_u32(n, "partitions")?);
    }
    if let Some(n) = get(entries, "configs") {
        kafka.configs = parse_topic_configs(ctx, n, "kafka.configs")?;
    }
    if let Some(n) = get(entries, "cluster_idempotent_write") {
        kafka.cluster_idempotent_write = ctx.bool(n, "cluster_idempotent_write")?;
    }
    Ok(kafka)
}
