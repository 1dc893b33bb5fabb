//! The TOPIC breaking rules' part of the engine (beyond Buf): the topic
//! catalog is a contract too. The rules (`rules/topic_*.rs`) compare the
//! previous catalog with the current one; this module gives them their
//! context and turns their findings into diagnostics.
//!
//! Ignores work as for every other rule: `ignore` and `ignore_only` paths
//! (the configuration file's path for catalog findings, the `.proto` file's
//! for findings located there), and `# schemactl:breaking:ignore RULE --
//! reason` on the lines right above the topic's key in the current catalog.

use std::cell::OnceCell;

use schemactl_config::{BreakingConfig, Config, Topic};
use schemactl_diagnostics::Diagnostic;

use crate::ignore::{BreakingIgnore, PathIgnores, breaking_comment_ignore};
use crate::rule::{Check, RuleKind};
use crate::select::{SelectError, Selection, select};
use crate::subject::Subject;
use crate::topics::{self, TopicSink};

/// The previous and current versions, for a TOPIC breaking rule.
pub struct TopicPairCx<'a> {
    pub previous: &'a Subject<'a>,
    pub current: &'a Subject<'a>,
    /// What the configured breaking rules already reported.
    pub already: &'a [Diagnostic],
    wire_json: OnceCell<Option<Vec<Diagnostic>>>,
}

impl<'a> TopicPairCx<'a> {
    /// Every topic of the current catalog that the previous catalog has
    /// too: (name, current, previous).
    pub fn topic_pairs(&self) -> impl Iterator<Item = (&'a String, &'a Topic, &'a Topic)> {
        let previous = &self.previous.config.topics;
        self.current
            .config
            .topics
            .iter()
            .filter_map(|(name, topic)| Some((name, topic, previous.get(name)?)))
    }

    /// The findings of the `WIRE_JSON` rules over the whole images (with the
    /// current `breaking` section's ignores), computed once; an inline ignore
    /// of `alias` also suppresses one. `None` if they cannot run.
    pub fn wire_json_findings(&self, alias: &'static str) -> Option<&[Diagnostic]> {
        self.wire_json
            .get_or_init(|| {
                let config = self.current.config;
                let wire_json = Config {
                    breaking: BreakingConfig {
                        use_: vec!["WIRE_JSON".to_owned()],
                        except: Vec::new(),
                        ..config.breaking.clone()
                    },
                    ..config.clone()
                };
                super::breaking_ignorable_as(
                    self.previous.image,
                    self.current.image,
                    &wire_json,
                    Some(alias),
                )
                .ok()
            })
            .as_deref()
    }
}

/// TOPIC breaking findings of `current` against `previous`: those about
/// topics gone from the catalog first, then by topic. `already` are the
/// findings of the configured rules (not repeated).
pub(crate) fn breaking_catalog(
    previous: &Subject<'_>,
    current: &Subject<'_>,
    already: &[Diagnostic],
) -> Result<Vec<Diagnostic>, SelectError> {
    let config = current.config;
    let version = config.kind.buf_version();
    let rules = select(
        RuleKind::Breaking,
        Selection::breaking(&config.breaking),
        version,
    )?;
    let cx = TopicPairCx {
        previous,
        current,
        already,
        wire_json: OnceCell::new(),
    };
    let mut found = Vec::new();
    for rule in rules {
        let Check::TopicPairs(check) = rule.check else {
            continue;
        };
        let mut sink = TopicSink::for_rule(rule.id);
        check(&cx, &mut sink);
        found.extend(sink.findings);
    }
    found.sort_by(|(_, a), (_, b)| {
        let key = |topic: &String| (config.topics.contains_key(topic), topic.clone());
        key(&a.topic).cmp(&key(&b.topic))
    });
    let paths = PathIgnores {
        ignore: &config.breaking.ignore,
        ignore_only: &config.breaking.ignore_only,
        version,
    };
    let mut diagnostics = Vec::new();
    for (rule, finding) in found {
        let Some((display, input, location)) = topics::locate(current, finding.place) else {
            continue;
        };
        if paths.ignores(rule, &input) {
            continue;
        }
        let ignore = config
            .topics
            .get(&finding.topic)
            .map_or(BreakingIgnore::None, |topic| {
                breaking_comment_ignore(|_| Some(topic.leading_comment.as_str()), rule, &[0])
            });
        if ignore == BreakingIgnore::WithReason {
            continue;
        }
        let mut d = Diagnostic::new(rule, display, finding.message).with_location(location);
        if ignore == BreakingIgnore::NoReason {
            d = d.with_help(format!(
                "an inline breaking ignore needs a reason: `# schemactl:breaking:ignore {rule} -- why this break is safe`"
            ));
        }
        diagnostics.push(d);
    }
    Ok(diagnostics)
}
