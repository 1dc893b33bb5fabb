use schemactl_diagnostics::Location;

use crate::breaking::topics::TopicPairCx;
use crate::rule::{Category, Check, RuleKind, RuleSpec};
use crate::topics::{TopicPlace, TopicSink};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "TOPIC_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[Category::Topic],
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
    check: Check::TopicPairs(check),
};

fn check(cx: &TopicPairCx<'_>, sink: &mut TopicSink) {
    for (name, topic) in &cx.previous.config.topics {
        if !cx.current.config.topics.contains_key(name) {
            sink.report(
                name,
                TopicPlace::Catalog(Location::point(1, 1)),
                format!(
                    "Previously present topic \"{name}\" (message \"{}\") was deleted.",
                    topic.message
                ),
            );
        }
    }
}
