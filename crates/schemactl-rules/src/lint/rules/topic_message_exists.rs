use crate::rule::{Category, Check, RuleKind, RuleSpec};
use crate::topics::{TopicCx, TopicSink};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "TOPIC_MESSAGE_EXISTS",
    kind: RuleKind::Lint,
    categories: &[Category::Topic],
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
    check: Check::Topics(check),
};

fn check(cx: &TopicCx<'_>, sink: &mut TopicSink) {
    for (name, topic) in cx.topics {
        if cx.pool.get_message_by_name(&topic.message).is_none() {
            sink.report_in_catalog(
                name,
                topic.message_line,
                5,
                format!(
                    "Topic \"{name}\" names message \"{}\", which does not exist.",
                    topic.message
                ),
            );
        }
    }
}
