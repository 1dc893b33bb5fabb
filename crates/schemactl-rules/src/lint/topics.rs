//! TOPIC rules (beyond Buf): the topic catalog in `schemactl.yaml` against
//! the compiled schemas. One event type per topic, topics versioned with
//! their message's package.
//!
//! Findings point at the topic's entry in the configuration file.

use std::collections::BTreeMap;

use prost_reflect::DescriptorPool;
use schemactl_compile::Image;
use schemactl_config::{Config, Topic};
use schemactl_diagnostics::{Diagnostic, Location};

use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

/// What a topic rule sees.
pub struct TopicCx<'a> {
    pub pool: &'a DescriptorPool,
    pub topics: &'a BTreeMap<String, Topic>,
    pub pattern: &'a regex::Regex,
    pub pattern_text: &'a str,
}

/// A topic finding: the topic, the line to point at, the message.
pub struct TopicFinding {
    pub topic: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The default topic name pattern: `<domain>.<kebab-event>.v<N>`.
pub const DEFAULT_TOPIC_PATTERN: &str =
    r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.v[1-9][0-9]*$";

const CATEGORIES: &[Category] = &[Category::Topic];

pub(crate) static TOPIC_MESSAGE_EXISTS: RuleSpec = RuleSpec {
    id: "TOPIC_MESSAGE_EXISTS",
    kind: RuleKind::Lint,
    categories: CATEGORIES,
    v1_categories: None,
    v1_exists: true,
    summary: "Every topic names a message that exists in the schemas.",
    doc: r#"## What it catches

A topic in `schemactl.yaml` whose `message` is not a message of the compiled
schemas (a typo, a message that was renamed or deleted, a package that moved).

## Why it matters

Producers and consumers resolve a topic's type through the catalog; the
registry serves it to Kafka serializers. A topic pointing at nothing means
nobody can validate or decode what flows through it.

## Bad

```yaml
topics:
  identity.user-created.v1:
    message: acme.identity.v1.UserCreate   # no such message
```

## Good

```yaml
topics:
  identity.user-created.v1:
    message: acme.identity.v1.UserCreated
```

## How to evolve safely

Rename a message only together with a new topic version; keep the old
message and topic until every consumer has moved.
"#,
    check: Check::Topics(message_exists),
};

fn message_exists(cx: &TopicCx<'_>, out: &mut Vec<TopicFinding>) {
    for (name, topic) in cx.topics {
        if cx.pool.get_message_by_name(&topic.message).is_none() {
            out.push(TopicFinding {
                topic: name.clone(),
                line: topic.message_line,
                column: 5,
                message: format!(
                    "Topic \"{name}\" names message \"{}\", which does not exist.",
                    topic.message
                ),
            });
        }
    }
}

pub(crate) static TOPIC_ONE_PER_MESSAGE: RuleSpec = RuleSpec {
    id: "TOPIC_ONE_PER_MESSAGE",
    kind: RuleKind::Lint,
    categories: CATEGORIES,
    v1_categories: None,
    v1_exists: true,
    summary: "A message is carried by at most one topic.",
    doc: r#"## What it catches

Two topics that name the same message.

## Why it matters

The practice is one event type per topic *and* one topic per event type:
consumers must be able to predict where an event is published. Two topics
with the same type split consumers and usually mean one of them is stale or a
versioned successor forgot its new `v2` message.

## Bad

```yaml
topics:
  billing.invoice-issued.v1: {message: acme.billing.v1.InvoiceIssued}
  billing.invoices.v1:       {message: acme.billing.v1.InvoiceIssued}
```

## Good

```yaml
topics:
  billing.invoice-issued.v1: {message: acme.billing.v1.InvoiceIssued}
```

## How to evolve safely

When a topic is replaced, give the successor its own message in a new
package version (`acme.billing.v2.InvoiceIssued` on `billing.invoice-issued.v2`).
"#,
    check: Check::Topics(one_per_message),
};

fn one_per_message(cx: &TopicCx<'_>, out: &mut Vec<TopicFinding>) {
    let mut by_message: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, topic) in cx.topics {
        by_message.entry(&topic.message).or_default().push(name);
    }
    for (message, names) in by_message {
        if names.len() < 2 {
            continue;
        }
        for name in &names[1..] {
            let topic = &cx.topics[*name];
            out.push(TopicFinding {
                topic: (*name).to_owned(),
                line: topic.line,
                column: topic.column,
                message: format!("Topic \"{name}\" carries message \"{message}\", which topic \"{}\" already carries.", names[0]),
            });
        }
    }
}

pub(crate) static TOPIC_NAME_PATTERN: RuleSpec = RuleSpec {
    id: "TOPIC_NAME_PATTERN",
    kind: RuleKind::Lint,
    categories: CATEGORIES,
    v1_categories: None,
    v1_exists: true,
    summary: "Topic names follow one pattern (default `<domain>.<kebab-event>.v<N>`).",
    doc: r#"## What it catches

A topic whose name does not match the configured pattern; by default
`<domain>.<kebab-case-event>.v<N>`, such as `identity.user-created.v1`.

## Why it matters

Topic names are how people and ACLs find events. One predictable shape makes
ownership, access rules and dashboards writable as patterns, and the version
suffix makes incompatible successors visible.

## Bad

```yaml
topics:
  UserCreated: {message: acme.identity.v1.UserCreated}
```

## Good

```yaml
topics:
  identity.user-created.v1: {message: acme.identity.v1.UserCreated}
```

## Options

`lint.topic_name_pattern` in `schemactl.yaml`: a regular expression the whole
name must match.

## How to evolve safely

Kafka topics cannot be renamed: create the well-named topic, dual-write,
move consumers, then retire the old one.
"#,
    check: Check::Topics(name_pattern),
};

fn name_pattern(cx: &TopicCx<'_>, out: &mut Vec<TopicFinding>) {
    for (name, topic) in cx.topics {
        if !cx.pattern.is_match(name) {
            out.push(TopicFinding {
                topic: name.clone(),
                line: topic.line,
                column: topic.column,
                message: format!(
                    "Topic name \"{name}\" does not match the pattern `{}`.",
                    cx.pattern_text
                ),
            });
        }
    }
}

pub(crate) static TOPIC_VERSION_MATCHES_PACKAGE: RuleSpec = RuleSpec {
    id: "TOPIC_VERSION_MATCHES_PACKAGE",
    kind: RuleKind::Lint,
    categories: CATEGORIES,
    v1_categories: None,
    v1_exists: true,
    summary: "A topic's version suffix (`.vN`) equals its message's package version (`*.vN`).",
    doc: r#"## What it catches

A topic `x.y.v2` whose message lives in a `v1` package (or any mismatch), or
a versioned topic whose message's package has no version.

## Why it matters

An incompatible successor is a new message in a new package version on a new
topic version. When the two versions disagree, consumers of `v2` get `v1`
payloads, or a breaking change slipped into a topic that promised stability.

## Bad

```yaml
topics:
  identity.user-created.v2: {message: acme.identity.v1.UserCreated}
```

## Good

```yaml
topics:
  identity.user-created.v2: {message: acme.identity.v2.UserCreated}
```

## How to evolve safely

Create `acme.identity.v2.UserCreated`, bind it to `identity.user-created.v2`,
and keep the `v1` topic and message until consumers have moved.
"#,
    check: Check::Topics(version_matches),
};

fn version_of(text: &str, separator: char) -> Option<&str> {
    let last = text.rsplit(separator).next()?;
    let digits = last.strip_prefix('v')?;
    (!digits.is_empty() && digits.starts_with(|c: char| c.is_ascii_digit())).then_some(last)
}

fn version_matches(cx: &TopicCx<'_>, out: &mut Vec<TopicFinding>) {
    for (name, topic) in cx.topics {
        let Some(message) = cx.pool.get_message_by_name(&topic.message) else {
            continue;
        };
        let topic_version = version_of(name, '.');
        let package_version = message
            .package_name()
            .split('.')
            .rev()
            .find_map(|p| version_of(p, '.'));
        if topic_version.is_some() && topic_version != package_version {
            out.push(TopicFinding {
                topic: name.clone(),
                line: topic.line,
                column: topic.column,
                message: format!(
                    "Topic \"{name}\" is version \"{}\" but its message \"{}\" is in package \"{}\" (version \"{}\").",
                    topic_version.unwrap_or("none"),
                    topic.message,
                    message.package_name(),
                    package_version.unwrap_or("none")
                ),
            });
        }
    }
}

pub(crate) static TOPIC_TOP_LEVEL_MESSAGE: RuleSpec = RuleSpec {
    id: "TOPIC_TOP_LEVEL_MESSAGE",
    kind: RuleKind::Lint,
    categories: CATEGORIES,
    v1_categories: None,
    v1_exists: true,
    summary: "Topics carry top-level messages, not nested ones.",
    doc: r#"## What it catches

A topic whose message is nested inside another message
(`acme.billing.v1.Invoice.LineItem`).

## Why it matters

A nested message is a part of its parent's contract: it changes whenever
the parent's authors need it to, and generated code names it awkwardly
(`Invoice_LineItem`). An event deserves its own top-level definition.

## Bad

```yaml
topics:
  billing.line-item-added.v1: {message: acme.billing.v1.Invoice.LineItem}
```

## Good

```yaml
topics:
  billing.line-item-added.v1: {message: acme.billing.v1.LineItemAdded}
```

## How to evolve safely

Define a top-level event message that embeds the nested one as a field and
publish it on a new topic version.
"#,
    check: Check::Topics(top_level),
};

fn top_level(cx: &TopicCx<'_>, out: &mut Vec<TopicFinding>) {
    for (name, topic) in cx.topics {
        let Some(message) = cx.pool.get_message_by_name(&topic.message) else {
            continue;
        };
        if message.parent_message().is_some() {
            out.push(TopicFinding {
                topic: name.clone(),
                line: topic.message_line,
                column: 5,
                message: format!("Topic \"{name}\" carries nested message \"{}\"; topics carry top-level messages.", topic.message),
            });
        }
    }
}

/// Every TOPIC rule.
pub static ALL: &[&RuleSpec] = &[
    &TOPIC_MESSAGE_EXISTS,
    &TOPIC_NAME_PATTERN,
    &TOPIC_ONE_PER_MESSAGE,
    &TOPIC_TOP_LEVEL_MESSAGE,
    &TOPIC_VERSION_MATCHES_PACKAGE,
];

/// An invalid `topic_name_pattern`.
#[derive(Debug, Clone)]
pub struct PatternError(pub String);

/// Run the TOPIC rules, unless the catalog is empty or `lint.except`
/// removes them. Findings are located in the configuration file at
/// `config_path` (as the user should see it).
pub fn lint_topics(
    image: &Image,
    config: &Config,
    config_path: &str,
) -> Result<Vec<Diagnostic>, PatternError> {
    if config.topics.is_empty() {
        return Ok(Vec::new());
    }
    let except = &config.lint.except;
    if except.iter().any(|e| e == "TOPIC") {
        return Ok(Vec::new());
    }
    let pattern_text = config
        .lint
        .topic_name_pattern
        .as_deref()
        .unwrap_or(DEFAULT_TOPIC_PATTERN);
    let pattern = regex::Regex::new(pattern_text).map_err(|e| {
        PatternError(format!(
            "invalid `lint.topic_name_pattern` `{pattern_text}`: {e}"
        ))
    })?;
    let cx = TopicCx {
        pool: image.pool(),
        topics: &config.topics,
        pattern: &pattern,
        pattern_text,
    };
    let mut diagnostics = Vec::new();
    for rule in ALL {
        if except.iter().any(|e| e == rule.id) {
            continue;
        }
        let Check::Topics(check) = rule.check else {
            continue;
        };
        let mut found = Vec::new();
        check(&cx, &mut found);
        for f in found {
            let line = u32::try_from(f.line).unwrap_or(0);
            let column = u32::try_from(f.column).unwrap_or(1);
            let end = column + u32::try_from(f.topic.len()).unwrap_or(0);
            diagnostics.push(
                Diagnostic::new(rule.id, config_path, f.message).with_location(Location {
                    start_line: line,
                    start_column: column,
                    end_line: line,
                    end_column: end,
                }),
            );
        }
    }
    Ok(diagnostics)
}
