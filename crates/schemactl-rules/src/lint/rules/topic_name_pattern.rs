use crate::rule::{Category, Check, RuleKind, RuleSpec};
use crate::topics::{TopicCx, TopicSink};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "TOPIC_NAME_PATTERN",
    kind: RuleKind::Lint,
    categories: &[Category::Topic],
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
    check: Check::Topics(check),
};

fn check(cx: &TopicCx<'_>, sink: &mut TopicSink) {
    for (name, topic) in cx.topics {
        if !cx.pattern.is_match(name) {
            sink.report_in_catalog(
                name,
                topic.line,
                topic.column,
                format!(
                    "Topic name \"{name}\" does not match the pattern `{}`.",
                    cx.pattern_text
                ),
            );
        }
    }
}
