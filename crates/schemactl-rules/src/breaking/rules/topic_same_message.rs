use schemactl_diagnostics::Location;

use crate::breaking::topics::TopicPairCx;
use crate::rule::{Category, Check, RuleKind, RuleSpec};
use crate::topics::{TopicPlace, TopicSink};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "TOPIC_SAME_MESSAGE",
    kind: RuleKind::Breaking,
    categories: &[Category::Topic],
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
    check: Check::TopicPairs(check),
};

fn check(cx: &TopicPairCx<'_>, sink: &mut TopicSink) {
    for (name, topic, old) in cx.topic_pairs() {
        if old.message != topic.message {
            let line = u32::try_from(topic.message_line).unwrap_or(1);
            sink.report(
                name,
                TopicPlace::Catalog(Location::point(line, 5)),
                format!(
                    "Topic \"{name}\" changed its message from \"{}\" to \"{}\".",
                    old.message, topic.message
                ),
            );
        }
    }
}
