//! TOPIC breaking rules (beyond Buf): the topic catalog is a contract too.
//! A topic may not disappear or change its message, and a topic's message
//! (with everything it references) stays WIRE_JSON-compatible even when the
//! configured breaking category is weaker, because consumers of a topic
//! decode old and new events alike, in binary and in JSON.

use std::collections::{BTreeSet, HashSet};

use prost_reflect::{Kind, MessageDescriptor};
use schemactl_compile::Image;
use schemactl_config::{BreakingConfig, Config};
use schemactl_diagnostics::{Diagnostic, Location};

use crate::lint::topics::TopicCx;
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};
use schemactl_compile::SourceIndex;

const CATEGORIES: &[Category] = &[Category::Topic];

fn never(_: &TopicCx<'_>, _: &mut Vec<crate::lint::topics::TopicFinding>) {}

pub(crate) static TOPIC_NO_DELETE: RuleSpec = RuleSpec {
    id: "TOPIC_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: CATEGORIES,
    v1_categories: None,
    v1_exists: true,
    summary: "Topics are not deleted from the catalog.",
    doc: r#"## What it catches

A topic of the previous version that is gone from `schemactl.yaml`.

## Why it matters

Producers and consumers are deployed independently: services still running
the old version keep producing to and consuming from the topic, and the
registry stops serving its schema, so their serializers fail.

## Bad

```yaml
# before
topics:
  billing.invoice-issued.v1: {message: acme.billing.v1.InvoiceIssued}
# after: the entry is gone
topics: {}
```

## Good

Keep the entry until the topic is retired in Kafka and no service uses it.

## How to evolve safely

Stop producing, wait for consumers to drain and move, retire the topic in
Kafka, then remove the entry in a major release.
"#,
    check: Check::Topics(never),
};

pub(crate) static TOPIC_SAME_MESSAGE: RuleSpec = RuleSpec {
    id: "TOPIC_SAME_MESSAGE",
    kind: RuleKind::Breaking,
    categories: CATEGORIES,
    v1_categories: None,
    v1_exists: true,
    summary: "A topic keeps carrying the same message type.",
    doc: r#"## What it catches

A topic whose `message` changed between versions.

## Why it matters

One event type per topic is the contract consumers rely on: a consumer built
for the old type decodes the new type's bytes as garbage, silently (protobuf
has no type tag on the wire).

## Bad

```yaml
topics:
  identity.user-created.v1: {message: acme.identity.v2.UserCreated}  # was v1
```

## Good

```yaml
topics:
  identity.user-created.v1: {message: acme.identity.v1.UserCreated}
  identity.user-created.v2: {message: acme.identity.v2.UserCreated}
```

## How to evolve safely

Publish the new type on a new topic version; dual-write while consumers move.
"#,
    check: Check::Topics(never),
};

pub(crate) static TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE: RuleSpec = RuleSpec {
    id: "TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE",
    kind: RuleKind::Breaking,
    categories: CATEGORIES,
    v1_categories: None,
    v1_exists: true,
    summary: "A topic's message, and every type it references, stays WIRE_JSON-compatible.",
    doc: r#"## What it catches

A change to a topic's message, or to any message or enum it references
(transitively), that the `WIRE_JSON` breaking rules reject — even when the
configured `breaking.use` is a weaker category such as `WIRE`.

## Why it matters

Events live in a topic for its whole retention: consumers decode events
written by every producer version still in the log, in binary and (for
connectors, debugging and the registry's validate endpoint) in JSON. A change
that is only wire-safe breaks JSON consumers of the topic.

## Bad

```proto
message UserCreated {
  string email_address = 2;  // was `email`: same wire, different JSON key
}
```

## Good

```proto
message UserCreated {
  string email = 2 [deprecated = true];
  string email_address = 9;
}
```

## How to evolve safely

Add new fields next to old ones; rename only in a new message on a new topic
version.
"#,
    check: Check::Topics(never),
};

/// Every TOPIC breaking rule.
pub static ALL: &[&RuleSpec] = &[
    &TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE,
    &TOPIC_NO_DELETE,
    &TOPIC_SAME_MESSAGE,
];

/// Run the TOPIC breaking rules. `config_path` is the configuration file as
/// the user sees it; `already` are the findings the configured breaking rules
/// produced (a WIRE_JSON finding already reported is not repeated).
pub fn breaking_topics(
    previous: &Image,
    previous_config: &Config,
    current: &Image,
    config: &Config,
    config_path: &str,
    already: &[Diagnostic],
) -> Vec<Diagnostic> {
    let except = &config.breaking.except;
    let on = |id: &str| !except.iter().any(|e| e == id || e == "TOPIC");
    let mut out = Vec::new();
    if on(TOPIC_NO_DELETE.id) {
        for (name, topic) in &previous_config.topics {
            if !config.topics.contains_key(name) {
                out.push(
                    Diagnostic::new(
                        TOPIC_NO_DELETE.id,
                        config_path,
                        format!(
                            "Previously present topic \"{name}\" (message \"{}\") was deleted.",
                            topic.message
                        ),
                    )
                    .with_location(Location::point(1, 1)),
                );
            }
        }
    }
    let mut wire_json_findings: Option<Option<Vec<Diagnostic>>> = None;
    for (name, topic) in &config.topics {
        let Some(old) = previous_config.topics.get(name) else {
            continue;
        };
        let line = u32::try_from(topic.message_line).unwrap_or(1);
        if old.message != topic.message {
            if on(TOPIC_SAME_MESSAGE.id) {
                out.push(
                    Diagnostic::new(
                        TOPIC_SAME_MESSAGE.id,
                        config_path,
                        format!(
                            "Topic \"{name}\" changed its message from \"{}\" to \"{}\".",
                            old.message, topic.message
                        ),
                    )
                    .with_location(Location::point(line, 5)),
                );
            }
            continue;
        }
        if !on(TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE.id) {
            continue;
        }
        let Some(message) = current.pool().get_message_by_name(&topic.message) else {
            continue;
        };
        // The WIRE_JSON findings of the whole image, computed once for all
        // topics.
        let Some(findings) = wire_json_findings.get_or_insert_with(|| {
            let wire_json = Config {
                breaking: BreakingConfig {
                    use_: vec!["WIRE_JSON".to_owned()],
                    except: Vec::new(),
                    ..config.breaking.clone()
                },
                ..config.clone()
            };
            super::breaking_ignorable_as(
                previous,
                current,
                &wire_json,
                Some(TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE.id),
            )
            .ok()
        }) else {
            continue;
        };
        let spans = referenced_spans(current, &message);
        for f in findings {
            let Some(location) = f.location else { continue };
            let inside = spans.iter().any(|(path, span)| {
                *path == f.path
                    && span.start_line <= location.start_line
                    && location.start_line <= span.end_line
            });
            let reported = already
                .iter()
                .any(|a| a.path == f.path && a.location == f.location && a.message == f.message);
            if inside && !reported {
                out.push(
                    Diagnostic::new(
                        TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE.id,
                        f.path.clone(),
                        format!("Topic \"{name}\": {} ({})", f.message, f.rule),
                    )
                    .with_location(location),
                );
            }
        }
    }
    out
}

/// The source spans (display path, span) of a message and every message and
/// enum it references, transitively, in the current input files.
fn referenced_spans(image: &Image, root: &MessageDescriptor) -> Vec<(String, Location)> {
    let mut seen = HashSet::new();
    let mut stack = vec![root.clone()];
    let mut elements: BTreeSet<(String, Vec<i32>)> = BTreeSet::new();
    while let Some(message) = stack.pop() {
        if !seen.insert(message.full_name().to_owned()) {
            continue;
        }
        elements.insert((
            message.parent_file().name().to_owned(),
            message.path().to_vec(),
        ));
        for field in message.fields() {
            match field.kind() {
                Kind::Message(m) => stack.push(m),
                Kind::Enum(e) => {
                    elements.insert((e.parent_file().name().to_owned(), e.path().to_vec()));
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    let mut current_file = String::new();
    let mut index = SourceIndex::default();
    for (file, path) in elements {
        let Some(meta) = image.file(&file).filter(|m| !m.is_import) else {
            continue;
        };
        if file != current_file {
            index = SourceIndex::new(image.source_info(&file));
            current_file.clone_from(&file);
        }
        if let Some(span) = index.location(&path) {
            out.push((meta.display_path.clone(), span));
        }
    }
    out
}
