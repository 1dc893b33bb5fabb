//! What changed between two images, per topic, file, message, field, enum
//! and service, and the semver bump it implies: major if anything breaks
//! under the configured breaking rules, minor if anything was added, patch
//! otherwise (comments, and options the breaking rules do not flag).
//!
//! Options are listed as changes like any other element, so the summary
//! always shows what a bump is about: with Buf's default `FILE` rules a
//! changed `java_package` or `go_package` is breaking (it moves generated
//! code) and the bump is major; under `WIRE_JSON` it is a patch.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use prost_reflect::{
    DynamicMessage, EnumDescriptor, FieldDescriptor, Kind, MessageDescriptor, MethodDescriptor,
    ServiceDescriptor, Value,
};
use schemactl_compile::Image;
use schemactl_config::Config;
use serde::Serialize;

use schemactl_compile::walk;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One change. `element` is `file`, `message`, `field`, `enum`,
/// `enum_value`, `service`, `rpc` or `topic`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub element: &'static str,
    /// Full name (`acme.identity.v1.User.email`), file path or topic name.
    pub name: String,
    /// For `changed`: what changed, `old → new`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The semver bump a change implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn apply(self, version: &semver::Version) -> semver::Version {
        match self {
            Bump::Major => semver::Version::new(version.major + 1, 0, 0),
            Bump::Minor => semver::Version::new(version.major, version.minor + 1, 0),
            Bump::Patch => semver::Version::new(version.major, version.minor, version.patch + 1),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
        }
    }
}

/// Changes of one topic's message (and everything it references).
#[derive(Debug, Clone, Serialize)]
pub struct TopicChanges {
    pub topic: String,
    pub message: String,
    pub changes: Vec<Change>,
}

/// The whole summary.
#[derive(Debug, Clone, Serialize)]
pub struct DiffSummary {
    pub bump: Bump,
    /// Number of breaking findings under the configured rules.
    pub breaking: usize,
    pub topics: Vec<TopicChanges>,
    pub changes: Vec<Change>,
}

/// Compare two images. `breaking` is the number of breaking findings the
/// caller found with the configured rules (it decides a major bump).
pub fn diff(
    previous: &Image,
    previous_config: &Config,
    current: &Image,
    config: &Config,
    breaking: usize,
) -> DiffSummary {
    let mut changes = BTreeSet::new();
    let prev_files = input_files(previous);
    let cur_files = input_files(current);
    for name in prev_files.difference(&cur_files) {
        changes.insert(change(ChangeKind::Removed, "file", name.clone(), None));
    }
    for name in cur_files.difference(&prev_files) {
        changes.insert(change(ChangeKind::Added, "file", name.clone(), None));
    }
    for name in prev_files.intersection(&cur_files) {
        let (Some(old), Some(new)) = (
            previous.pool().get_file_by_name(name),
            current.pool().get_file_by_name(name),
        ) else {
            continue;
        };
        let mut details = Vec::new();
        let (old_proto, new_proto) = (old.file_descriptor_proto(), new.file_descriptor_proto());
        if old_proto.syntax() != new_proto.syntax() {
            details.push(format!(
                "syntax {} → {}",
                old_proto.syntax(),
                new_proto.syntax()
            ));
        }
        if old.package_name() != new.package_name() {
            details.push(format!(
                "package {} → {}",
                old.package_name(),
                new.package_name()
            ));
        }
        option_changes(&old.options(), &new.options(), &mut details);
        changed(&mut changes, "file", name.clone(), details);
    }

    let prev_messages = messages(previous);
    let cur_messages = messages(current);
    for (name, old) in &prev_messages {
        match cur_messages.get(name) {
            None => {
                changes.insert(change(ChangeKind::Removed, "message", name.clone(), None));
            }
            Some(new) => diff_message(old, new, &mut changes),
        }
    }
    for name in cur_messages
        .keys()
        .filter(|n| !prev_messages.contains_key(*n))
    {
        changes.insert(change(ChangeKind::Added, "message", name.clone(), None));
    }

    let prev_enums = enums(previous);
    let cur_enums = enums(current);
    for (name, old) in &prev_enums {
        match cur_enums.get(name) {
            None => {
                changes.insert(change(ChangeKind::Removed, "enum", name.clone(), None));
            }
            Some(new) => diff_enum(old, new, &mut changes),
        }
    }
    for name in cur_enums.keys().filter(|n| !prev_enums.contains_key(*n)) {
        changes.insert(change(ChangeKind::Added, "enum", name.clone(), None));
    }

    let prev_services = services(previous);
    let cur_services = services(current);
    for (name, old) in &prev_services {
        match cur_services.get(name) {
            None => {
                changes.insert(change(ChangeKind::Removed, "service", name.clone(), None));
            }
            Some(new) => diff_service(old, new, &mut changes),
        }
    }
    for name in cur_services
        .keys()
        .filter(|n| !prev_services.contains_key(*n))
    {
        changes.insert(change(ChangeKind::Added, "service", name.clone(), None));
    }

    for (name, old) in &previous_config.topics {
        match config.topics.get(name) {
            None => {
                changes.insert(change(ChangeKind::Removed, "topic", name.clone(), None));
            }
            Some(new) if new.message != old.message => {
                changes.insert(change(
                    ChangeKind::Changed,
                    "topic",
                    name.clone(),
                    Some(format!("message {} → {}", old.message, new.message)),
                ));
            }
            Some(_) => {}
        }
    }
    for name in config
        .topics
        .keys()
        .filter(|n| !previous_config.topics.contains_key(*n))
    {
        changes.insert(change(ChangeKind::Added, "topic", name.clone(), None));
    }

    let changes: Vec<Change> = changes.into_iter().collect();
    let topics = config
        .topics
        .iter()
        .filter_map(|(topic, t)| {
            let closure = type_closure(current, &t.message);
            let mut of_topic: Vec<Change> = changes
                .iter()
                .filter(|c| match c.element {
                    "topic" => &c.name == topic,
                    "message" | "enum" => closure.contains(&c.name),
                    "field" | "enum_value" => c
                        .name
                        .rsplit_once('.')
                        .is_some_and(|(parent, _)| closure.contains(parent)),
                    _ => false,
                })
                .cloned()
                .collect();
            of_topic.sort();
            (!of_topic.is_empty()).then(|| TopicChanges {
                topic: topic.clone(),
                message: t.message.clone(),
                changes: of_topic,
            })
        })
        .collect();

    let bump = if breaking > 0 {
        Bump::Major
    } else if changes.iter().any(|c| c.kind == ChangeKind::Added) {
        Bump::Minor
    } else {
        Bump::Patch
    };
    DiffSummary {
        bump,
        breaking,
        topics,
        changes,
    }
}

/// A `changed` entry for `name` when anything in `details` changed.
fn changed(
    changes: &mut BTreeSet<Change>,
    element: &'static str,
    name: String,
    details: Vec<String>,
) {
    if !details.is_empty() {
        changes.insert(change(
            ChangeKind::Changed,
            element,
            name,
            Some(details.join(", ")),
        ));
    }
}

/// One `option NAME OLD → NEW` detail per option set, changed or cleared
/// between two options messages (custom options by their `(full.name)`).
fn option_changes(old: &DynamicMessage, new: &DynamicMessage, details: &mut Vec<String>) {
    let (old, new) = (option_values(old), option_values(new));
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for name in names {
        let (a, b) = (old.get(name), new.get(name));
        if a != b {
            let show = |v: Option<&String>| v.map_or("(unset)", String::as_str).to_owned();
            details.push(format!("option {name} {} → {}", show(a), show(b)));
        }
    }
}

fn option_values(options: &DynamicMessage) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (field, value) in options.fields() {
        // uninterpreted_option is the parser's scratch space, not an option.
        if field.name() != "uninterpreted_option" {
            out.insert(field.name().to_owned(), show_value(value, &field.kind(), 0));
        }
    }
    for (extension, value) in options.extensions() {
        out.insert(
            format!("({})", extension.full_name()),
            show_value(value, &extension.kind(), 0),
        );
    }
    out
}

/// How deep an aggregate option value is spelled out in a summary; deeper
/// levels are shown as `{...}`, which also bounds the recursion.
const MAX_SHOWN_DEPTH: usize = 4;

/// An option value in protobuf text-format style.
fn show_value(value: &Value, kind: &Kind, depth: usize) -> String {
    match value {
        Value::Bool(v) => v.to_string(),
        Value::I32(v) => v.to_string(),
        Value::I64(v) => v.to_string(),
        Value::U32(v) => v.to_string(),
        Value::U64(v) => v.to_string(),
        Value::F32(v) => v.to_string(),
        Value::F64(v) => v.to_string(),
        Value::String(v) => format!("{v:?}"),
        Value::Bytes(v) => format!("{:?}", String::from_utf8_lossy(v)),
        Value::EnumNumber(n) => match kind {
            Kind::Enum(e) => e
                .get_value(*n)
                .map_or_else(|| n.to_string(), |v| v.name().to_owned()),
            _ => n.to_string(),
        },
        Value::List(items) => {
            let shown: Vec<String> = items
                .iter()
                .map(|v| show_value(v, kind, depth + 1))
                .collect();
            format!("[{}]", shown.join(", "))
        }
        Value::Message(m) if depth < MAX_SHOWN_DEPTH => {
            let mut shown: Vec<String> = m
                .fields()
                .map(|(f, v)| format!("{}: {}", f.name(), show_value(v, &f.kind(), depth + 1)))
                .collect();
            shown.extend(m.extensions().map(|(e, v)| {
                format!(
                    "[{}]: {}",
                    e.full_name(),
                    show_value(v, &e.kind(), depth + 1)
                )
            }));
            format!("{{{}}}", shown.join(" "))
        }
        Value::Message(_) | Value::Map(_) => "{...}".to_owned(),
    }
}

fn change(kind: ChangeKind, element: &'static str, name: String, detail: Option<String>) -> Change {
    Change {
        kind,
        element,
        name,
        detail,
    }
}

fn input_files(image: &Image) -> BTreeSet<String> {
    image.input_files().map(|f| f.name.clone()).collect()
}

fn messages(image: &Image) -> BTreeMap<String, MessageDescriptor> {
    image
        .input_files()
        .filter_map(|f| image.pool().get_file_by_name(&f.name))
        .flat_map(|f| walk::messages(&f))
        .map(|m| (m.full_name().to_owned(), m))
        .collect()
}

fn enums(image: &Image) -> BTreeMap<String, EnumDescriptor> {
    image
        .input_files()
        .filter_map(|f| image.pool().get_file_by_name(&f.name))
        .flat_map(|f| walk::enums(&f))
        .map(|e| (e.full_name().to_owned(), e))
        .collect()
}

fn services(image: &Image) -> BTreeMap<String, ServiceDescriptor> {
    image
        .input_files()
        .filter_map(|f| image.pool().get_file_by_name(&f.name))
        .flat_map(|f| f.services().collect::<Vec<_>>())
        .map(|s| (s.full_name().to_owned(), s))
        .collect()
}

/// How a field reads in a summary: `repeated string`, `map<string, int32>`,
/// `optional acme.v1.Money`.
fn field_type(f: &FieldDescriptor) -> String {
    let kind = |k: Kind| match k {
        Kind::Message(m) => m.full_name().to_owned(),
        Kind::Enum(e) => e.full_name().to_owned(),
        other => format!("{other:?}").to_ascii_lowercase(),
    };
    if f.is_map() {
        if let Kind::Message(entry) = f.kind() {
            let k = entry.map_entry_key_field().kind();
            let v = entry.map_entry_value_field().kind();
            return format!("map<{}, {}>", kind(k), kind(v));
        }
    }
    let label = if f.is_list() {
        "repeated "
    } else if f.supports_presence()
        && f.containing_oneof().is_none_or(|o| o.is_synthetic())
        && !matches!(f.kind(), Kind::Message(_))
    {
        "optional "
    } else {
        ""
    };
    format!("{label}{}", kind(f.kind()))
}

fn diff_message(old: &MessageDescriptor, new: &MessageDescriptor, changes: &mut BTreeSet<Change>) {
    let field_name =
        |m: &MessageDescriptor, f: &FieldDescriptor| format!("{}.{}", m.full_name(), f.name());
    let mut details = Vec::new();
    option_changes(&old.options(), &new.options(), &mut details);
    changed(changes, "message", new.full_name().to_owned(), details);
    for f in old.fields() {
        match new.get_field(f.number()) {
            None => {
                changes.insert(change(
                    ChangeKind::Removed,
                    "field",
                    field_name(old, &f),
                    Some(format!("= {} ({})", f.number(), field_type(&f))),
                ));
            }
            Some(n) => {
                let mut details = Vec::new();
                if n.name() != f.name() {
                    details.push(format!("name {} → {}", f.name(), n.name()));
                }
                if field_type(&n) != field_type(&f) {
                    details.push(format!("type {} → {}", field_type(&f), field_type(&n)));
                }
                if n.json_name() != f.json_name() {
                    details.push(format!("json_name {} → {}", f.json_name(), n.json_name()));
                }
                let oneof = |x: &FieldDescriptor| {
                    x.containing_oneof()
                        .filter(|o| !o.is_synthetic())
                        .map(|o| o.name().to_owned())
                };
                if oneof(&n) != oneof(&f) {
                    details.push(format!(
                        "oneof {} → {}",
                        oneof(&f).unwrap_or_else(|| "none".into()),
                        oneof(&n).unwrap_or_else(|| "none".into())
                    ));
                }
                option_changes(&f.options(), &n.options(), &mut details);
                if !details.is_empty() {
                    changes.insert(change(
                        ChangeKind::Changed,
                        "field",
                        field_name(new, &n),
                        Some(details.join(", ")),
                    ));
                }
            }
        }
    }
    for n in new.fields() {
        if old.get_field(n.number()).is_none() {
            changes.insert(change(
                ChangeKind::Added,
                "field",
                field_name(new, &n),
                Some(format!("= {} ({})", n.number(), field_type(&n))),
            ));
        }
    }
}

fn diff_enum(old: &EnumDescriptor, new: &EnumDescriptor, changes: &mut BTreeSet<Change>) {
    let name = |e: &EnumDescriptor, v: &str| format!("{}.{v}", e.full_name());
    let mut details = Vec::new();
    option_changes(&old.options(), &new.options(), &mut details);
    changed(changes, "enum", new.full_name().to_owned(), details);
    for v in old.values() {
        match new.get_value(v.number()) {
            None => {
                changes.insert(change(
                    ChangeKind::Removed,
                    "enum_value",
                    name(old, v.name()),
                    Some(format!("= {}", v.number())),
                ));
            }
            Some(n) => {
                let mut details = Vec::new();
                if n.name() != v.name() {
                    details.push(format!("name {} → {}", v.name(), n.name()));
                }
                option_changes(&v.options(), &n.options(), &mut details);
                changed(changes, "enum_value", name(new, n.name()), details);
            }
        }
    }
    for n in new.values() {
        if old.get_value(n.number()).is_none() {
            changes.insert(change(
                ChangeKind::Added,
                "enum_value",
                name(new, n.name()),
                Some(format!("= {}", n.number())),
            ));
        }
    }
}

fn signature(m: &MethodDescriptor) -> String {
    let stream = |s: bool| if s { "stream " } else { "" };
    format!(
        "({}{}) returns ({}{})",
        stream(m.is_client_streaming()),
        m.input().full_name(),
        stream(m.is_server_streaming()),
        m.output().full_name()
    )
}

fn diff_service(old: &ServiceDescriptor, new: &ServiceDescriptor, changes: &mut BTreeSet<Change>) {
    let mut details = Vec::new();
    option_changes(&old.options(), &new.options(), &mut details);
    changed(changes, "service", new.full_name().to_owned(), details);
    for m in old.methods() {
        let full = format!("{}.{}", old.full_name(), m.name());
        match new.methods().find(|n| n.name() == m.name()) {
            None => {
                changes.insert(change(ChangeKind::Removed, "rpc", full, None));
            }
            Some(n) => {
                let mut details = Vec::new();
                if signature(&n) != signature(&m) {
                    details.push(format!("{} → {}", signature(&m), signature(&n)));
                }
                option_changes(&m.options(), &n.options(), &mut details);
                changed(changes, "rpc", full, details);
            }
        }
    }
    for n in new.methods() {
        if !old.methods().any(|m| m.name() == n.name()) {
            changes.insert(change(
                ChangeKind::Added,
                "rpc",
                format!("{}.{}", new.full_name(), n.name()),
                None,
            ));
        }
    }
}

/// A message and every message and enum it references, by full name.
pub fn type_closure(image: &Image, message: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let Some(root) = image.pool().get_message_by_name(message) else {
        return out;
    };
    let mut stack = vec![root];
    while let Some(m) = stack.pop() {
        if !out.insert(m.full_name().to_owned()) {
            continue;
        }
        for f in m.fields() {
            match f.kind() {
                Kind::Message(child) => stack.push(child),
                Kind::Enum(e) => {
                    out.insert(e.full_name().to_owned());
                }
                _ => {}
            }
        }
    }
    out
}
