//! The topic catalog as rules see it, for the TOPIC lint rules
//! (`lint/rules/topic_*.rs`) and the TOPIC breaking rules
//! (`breaking/rules/topic_*.rs`) alike: the context, where findings go, and
//! the topic name pattern.

use std::collections::BTreeMap;

use prost_reflect::{DescriptorPool, MessageDescriptor};
use schemactl_config::{LintConfig, Topic};
use schemactl_diagnostics::Location;

use crate::subject::Subject;

/// The default topic name pattern: `<domain>.<kebab-event>.v<N>`.
pub const DEFAULT_TOPIC_PATTERN: &str =
    r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.v[1-9][0-9]*$";

/// What a TOPIC lint rule sees: the catalog and the schemas it names.
pub struct TopicCx<'a> {
    pub pool: &'a DescriptorPool,
    pub topics: &'a BTreeMap<String, Topic>,
    pub pattern: &'a regex::Regex,
    pub pattern_text: &'a str,
}

impl<'a> TopicCx<'a> {
    /// Every topic whose message exists, with the message.
    pub fn topics_with_messages(
        &self,
    ) -> impl Iterator<Item = (&'a String, &'a Topic, MessageDescriptor)> + '_ {
        self.topics.iter().filter_map(|(name, topic)| {
            Some((name, topic, self.pool.get_message_by_name(&topic.message)?))
        })
    }
}

/// An invalid `lint.topic_name_pattern`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("invalid `lint.topic_name_pattern` `{pattern}`: {source}")]
pub struct PatternError {
    pub pattern: String,
    #[source]
    pub source: regex::Error,
}

impl PatternError {
    /// What the user can do about it.
    pub fn hint(&self) -> String {
        "write `lint.topic_name_pattern` as a regular expression (Rust `regex` syntax), \
         or remove it to use the default `<domain>.<kebab-event>.v<N>`"
            .to_owned()
    }
}

/// The configured topic name pattern (or the default), compiled, with its
/// text.
pub fn name_pattern(config: &LintConfig) -> Result<(regex::Regex, &str), PatternError> {
    let text = config
        .topic_name_pattern
        .as_deref()
        .unwrap_or(DEFAULT_TOPIC_PATTERN);
    regex::Regex::new(text)
        .map(|pattern| (pattern, text))
        .map_err(|source| PatternError {
            pattern: text.to_owned(),
            source,
        })
}

/// Where a TOPIC finding is located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicPlace {
    /// In the configuration file, at this location.
    Catalog(Location),
    /// In a `.proto` input file (by display path), at this location.
    Proto { path: String, location: Location },
}

/// Where a finding at `place` is shown (display path and location) and the
/// path `ignore` and `ignore_only` match (relative to the input). `None` for
/// a `.proto` file that is not an input file of `subject`.
pub(crate) fn locate(
    subject: &Subject<'_>,
    place: TopicPlace,
) -> Option<(String, String, Location)> {
    match place {
        TopicPlace::Catalog(location) => Some((
            subject.config_path.to_owned(),
            subject.config_input_path().to_owned(),
            location,
        )),
        TopicPlace::Proto { path, location } => {
            let meta = subject
                .image
                .input_files()
                .find(|m| m.display_path == path)?;
            Some((path, meta.input_path.clone(), location))
        }
    }
}

/// A TOPIC finding before ignores.
#[derive(Debug, Clone)]
pub struct TopicFinding {
    /// The topic it is about: comment ignores look at its leading comment.
    pub topic: String,
    pub place: TopicPlace,
    pub message: String,
}

/// Where TOPIC rules put their findings.
#[derive(Default)]
pub struct TopicSink {
    pub(crate) rule: &'static str,
    pub(crate) findings: Vec<(&'static str, TopicFinding)>,
}

impl TopicSink {
    /// A sink for the findings of `rule`.
    pub(crate) fn for_rule(rule: &'static str) -> Self {
        TopicSink {
            rule,
            findings: Vec::new(),
        }
    }

    /// A finding about `topic` at `place`.
    pub fn report(&mut self, topic: &str, place: TopicPlace, message: impl Into<String>) {
        self.findings.push((
            self.rule,
            TopicFinding {
                topic: topic.to_owned(),
                place,
                message: message.into(),
            },
        ));
    }

    /// A finding about `topic` on the catalog's 1-based `line`, spanning the
    /// topic's name from `column`.
    pub fn report_in_catalog(
        &mut self,
        topic: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) {
        let line = u32::try_from(line).unwrap_or(0);
        let column = u32::try_from(column).unwrap_or(1);
        let end = column + u32::try_from(topic.len()).unwrap_or(0);
        let location = Location {
            start_line: line,
            start_column: column,
            end_line: line,
            end_column: end,
        };
        self.report(topic, TopicPlace::Catalog(location), message);
    }
}

/// The version suffix of a dotted name's last part (`v2` of `a.b.v2`), if
/// it has one.
pub fn version_of(text: &str) -> Option<&str> {
    let last = text.rsplit('.').next()?;
    let digits = last.strip_prefix('v')?;
    (!digits.is_empty() && digits.starts_with(|c: char| c.is_ascii_digit())).then_some(last)
}
