//! Beyond Buf: a topic's message (with everything it references) stays
//! WIRE_JSON-compatible even when the configured breaking category is
//! weaker, because consumers of a topic decode old and new events alike, in
//! binary and in JSON.

use std::collections::{BTreeSet, HashSet};

use prost_reflect::{Kind, MessageDescriptor};
use schemactl_compile::{Image, SourceIndex};
use schemactl_diagnostics::Location;

use crate::breaking::topics::TopicPairCx;
use crate::rule::{Category, Check, RuleKind, RuleSpec};
use crate::topics::{TopicPlace, TopicSink};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE",
    kind: RuleKind::Breaking,
    categories: &[Category::Topic],
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
    check: Check::TopicPairs(check),
};

fn check(cx: &TopicPairCx<'_>, sink: &mut TopicSink) {
    for (name, topic, old) in cx.topic_pairs() {
        if old.message != topic.message {
            continue;
        }
        let Some(message) = cx.current.image.pool().get_message_by_name(&topic.message) else {
            continue;
        };
        let Some(findings) = cx.wire_json_findings(RULE.id) else {
            continue;
        };
        let spans = referenced_spans(cx.current.image, &message);
        for f in findings {
            let Some(location) = f.location else { continue };
            let inside = spans.iter().any(|(path, span)| {
                *path == f.path
                    && span.start_line <= location.start_line
                    && location.start_line <= span.end_line
            });
            let reported = cx
                .already
                .iter()
                .any(|a| a.path == f.path && a.location == f.location && a.message == f.message);
            if inside && !reported {
                sink.report(
                    name,
                    TopicPlace::Proto {
                        path: f.path.clone(),
                        location,
                    },
                    format!("Topic \"{name}\": {} ({})", f.message, f.rule),
                );
            }
        }
    }
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
