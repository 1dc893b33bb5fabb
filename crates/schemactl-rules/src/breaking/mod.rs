//! The breaking-change engine: compare a previous image with the current
//! one, run the selected rules over matched pairs, drop ignored findings,
//! and locate the rest in the current files (or, for deletions, at the
//! enclosing element that still exists), as Buf does.
//!
//! The parts: [`pair`] matches elements by identity (files by path, types
//! by full name, fields and enum values by number, extensions by extendee
//! and number, services and RPCs by name), [`deletion`] finds what has no
//! match (and what moved), [`helpers`] hold what families of rules share,
//! [`sink`] collects findings and [`location`] places them. Each rule in
//! [`rules`] stays a few lines.

pub mod deletion;
pub mod helpers;
pub mod location;
pub mod pair;
pub mod rules;
pub mod sink;
pub mod topics;

use schemactl_compile::Image;
use schemactl_config::{BreakingConfig, Config};
use schemactl_diagnostics::Diagnostic;

pub use pair::PairCx;
pub use sink::{BreakingSink, RawBreaking};

use crate::ignore::PathIgnores;
use crate::rule::{Check, RuleKind};
use crate::select::{SelectError, Selection, select};
use crate::subject::Subject;

/// The rule being run and the configuration whose `ignore` and
/// `ignore_only` paths apply to its findings.
#[derive(Clone, Copy)]
struct RuleIgnore<'a> {
    config: &'a BreakingConfig,
    rule: &'static str,
    buf_v1: bool,
}

impl RuleIgnore<'_> {
    fn paths(&self) -> PathIgnores<'_> {
        path_ignores(self.config, self.buf_v1)
    }
}

fn path_ignores(config: &BreakingConfig, buf_v1: bool) -> PathIgnores<'_> {
    PathIgnores {
        ignore: &config.ignore,
        ignore_only: &config.ignore_only,
        buf_v1,
    }
}

/// Compare `previous` with `current` using the current configuration's
/// `breaking` section: the findings in `.proto` files (sorted), then the
/// TOPIC findings about the catalog. `Err` only for an unknown rule ID in
/// the configuration.
pub fn breaking(
    previous: &Subject<'_>,
    current: &Subject<'_>,
) -> Result<Vec<Diagnostic>, SelectError> {
    let mut findings = breaking_ignorable_as(previous.image, current.image, current.config, None)?;
    let catalog = topics::breaking_catalog(previous, current, &findings)?;
    findings.extend(catalog);
    Ok(findings)
}

/// [`breaking`], where an inline ignore of `alias` also suppresses a
/// finding (the TOPIC rules re-run the WIRE_JSON rules under their own ID).
pub(crate) fn breaking_ignorable_as(
    previous: &Image,
    current: &Image,
    config: &Config,
    alias: Option<&str>,
) -> Result<Vec<Diagnostic>, SelectError> {
    let breaking_config = &config.breaking;
    let rules = select(
        RuleKind::Breaking,
        Selection::breaking(breaking_config),
        config.kind.is_buf_v1(),
    )?;
    let buf_v1 = config.kind.is_buf_v1();
    let mut sink = BreakingSink::default();
    for rule in rules {
        if let Check::Breaking(check) = rule.check {
            let cx = PairCx {
                previous,
                current,
                skip_unstable: breaking_config.ignore_unstable_packages,
                ignore: Some(RuleIgnore {
                    config: breaking_config,
                    rule: rule.id,
                    buf_v1,
                }),
            };
            sink.rule = rule.id;
            check(&cx, &mut sink);
        }
    }
    Ok(location::locate(
        sink.findings,
        current,
        breaking_config,
        buf_v1,
        alias,
    ))
}
