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
];
const TOPIC_KEYS: &[&str] = &[
    "message",
    "owners",
    "producers",
    "description",
    "partitions",
    "retention",
];
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
