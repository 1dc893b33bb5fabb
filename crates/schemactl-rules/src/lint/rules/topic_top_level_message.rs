use crate::rule::{Category, Check, RuleKind, RuleSpec};
use crate::topics::{TopicCx, TopicSink};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "TOPIC_TOP_LEVEL_MESSAGE",
    kind: RuleKind::Lint,
    categories: &[Category::Topic],
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
    check: Check::Topics(check),
};

fn check(cx: &TopicCx<'_>, sink: &mut TopicSink) {
    for (name, topic, message) in cx.topics_with_messages() {
        if message.parent_message().is_some() {
            sink.report_in_catalog(
                name,
                topic.message_line,
                5,
                format!("Topic \"{name}\" carries nested message \"{}\"; topics carry top-level messages.", topic.message),
            );
        }
    }
}
