use crate::rule::{Category, Check, RuleKind, RuleSpec};
use crate::topics::{TopicCx, TopicSink, version_of};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "TOPIC_VERSION_MATCHES_PACKAGE",
    kind: RuleKind::Lint,
    categories: &[Category::Topic],
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
    check: Check::Topics(check),
};

fn check(cx: &TopicCx<'_>, sink: &mut TopicSink) {
    for (name, topic, message) in cx.topics_with_messages() {
        let topic_version = version_of(name);
        let package_version = message.package_name().split('.').rev().find_map(version_of);
        if topic_version.is_some() && topic_version != package_version {
            sink.report_in_catalog(
                name,
                topic.line,
                topic.column,
                format!(
                    "Topic \"{name}\" is version \"{}\" but its message \"{}\" is in package \"{}\" (version \"{}\").",
                    topic_version.unwrap_or("none"),
                    topic.message,
                    message.package_name(),
                    package_version.unwrap_or("none")
                ),
            );
        }
    }
}
