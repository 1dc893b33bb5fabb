use std::collections::BTreeMap;

use crate::rule::{Category, Check, RuleKind, RuleSpec};
use crate::topics::{TopicCx, TopicSink};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "TOPIC_ONE_PER_MESSAGE",
    kind: RuleKind::Lint,
    categories: &[Category::Topic],
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
    check: Check::Topics(check),
};

fn check(cx: &TopicCx<'_>, sink: &mut TopicSink) {
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
            sink.report_in_catalog(
                name,
                topic.line,
                topic.column,
                format!("Topic \"{name}\" carries message \"{message}\", which topic \"{}\" already carries.", names[0]),
            );
        }
    }
}
