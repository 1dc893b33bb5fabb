//! The TOPIC lint rules' part of the engine: run the selected rules over the
//! topic catalog, drop ignored findings, and locate the rest in the
//! configuration file (or the `.proto` file a finding names).
//!
//! Ignores work as for every other rule: `ignore` and `ignore_only` paths
//! (the configuration file's path, relative to the input, for catalog
//! findings), and `# buf:lint:ignore RULE` (or `schemactl:lint:ignore`)
//! comments on the lines right above the topic's key, unless comment ignores
//! are disallowed.

use schemactl_diagnostics::Diagnostic;

use crate::ignore::{PathIgnores, lint_comment_ignores};
use crate::rule::{Check, RuleKind};
use crate::select::{Selection, select};
use crate::subject::Subject;
use crate::topics::{self, TopicCx, TopicSink, name_pattern};

use super::LintError;

/// TOPIC lint findings of `subject`, in rule order, then catalog order.
pub(super) fn lint_catalog(subject: &Subject<'_>) -> Result<Vec<Diagnostic>, LintError> {
    let config = subject.config;
    if config.topics.is_empty() {
        return Ok(Vec::new());
    }
    let version = config.kind.buf_version();
    let rules = select(RuleKind::Lint, Selection::lint(&config.lint), version)?;
    let (pattern, pattern_text) = name_pattern(&config.lint)?;
    let cx = TopicCx {
        pool: subject.image.pool(),
        topics: &config.topics,
        pattern: &pattern,
        pattern_text,
    };
    let paths = PathIgnores {
        ignore: &config.lint.ignore,
        ignore_only: &config.lint.ignore_only,
        version,
    };
    let mut diagnostics = Vec::new();
    for rule in rules {
        let Check::Topics(check) = rule.check else {
            continue;
        };
        let mut sink = TopicSink::for_rule(rule.id);
        check(&cx, &mut sink);
        for (rule, finding) in sink.findings {
            let Some((display, input, location)) = topics::locate(subject, finding.place) else {
                continue;
            };
            let by_comment = config.lint.allow_comment_ignores
                && config.topics.get(&finding.topic).is_some_and(|topic| {
                    lint_comment_ignores(|_| Some(topic.leading_comment.as_str()), rule, &[0])
                });
            if by_comment || paths.ignores(rule, &input) {
                continue;
            }
            diagnostics
                .push(Diagnostic::new(rule, display, finding.message).with_location(location));
        }
    }
    Ok(diagnostics)
}
