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

pub use pair::{ModuleScope, PairCx};
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

/// Compare `previous` with `current`, module by module as Buf does: the
/// files of each current module against those of the previous module it
/// pairs with, under that current module's `breaking` section (a Buf v2
/// module's own section, a v1 workspace module's `buf.yaml`, else the
/// top-level one). Returns the findings in `.proto` files (sorted), then
/// the TOPIC findings about the catalog. `Err` only for an unknown rule ID
/// in the configuration.
pub fn breaking(
    previous: &Subject<'_>,
    current: &Subject<'_>,
) -> Result<Vec<Diagnostic>, SelectError> {
    let buf_v1 = current.config.kind.is_buf_v1();
    let mut findings = Vec::new();
    for (config, scope) in module_groups(previous, current) {
        findings.extend(run(
            previous.image,
            current.image,
            config,
            buf_v1,
            scope.as_ref(),
            None,
        )?);
    }
    findings.sort_by(|a, b| {
        (&a.path, a.location, &a.rule, &a.message).cmp(&(&b.path, b.location, &b.rule, &b.message))
    });
    findings.dedup();
    let catalog = topics::breaking_catalog(previous, current, &findings)?;
    findings.extend(catalog);
    Ok(findings)
}

/// The index of the module (of `config`) that holds the file at
/// `input_path`: the first whose root contains it, as lint groups files.
pub(crate) fn module_of(config: &Config, input_path: &str) -> usize {
    config
        .modules
        .iter()
        .position(|m| crate::ignore::under(input_path, &m.path))
        .unwrap_or(0)
}

/// The comparisons Buf makes: with one module, one over every file; with
/// several, one per current module that has input files (a module of the
/// workspace outside the input only provides imports), under that module's
/// section. Buf pairs its per-module images by position, so when both
/// sides have as many such modules they pair by position; otherwise
/// (where Buf refuses to compare) by module path, and the previous files of
/// a module the current side does not check are left out.
fn module_groups<'a>(
    previous: &Subject<'_>,
    current: &'a Subject<'_>,
) -> Vec<(&'a BreakingConfig, Option<ModuleScope>)> {
    let config = current.config;
    let effective = |i: usize| {
        config
            .modules
            .get(i)
            .and_then(|m| m.breaking.as_ref())
            .unwrap_or(&config.breaking)
    };
    if config.modules.len() <= 1 {
        return vec![(effective(0), None)];
    }
    // Module index → its input files, in module order, for each side.
    let by_module = |subject: &Subject<'_>| {
        let mut files: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
        for f in subject.image.input_files() {
            files
                .entry(module_of(subject.config, &f.input_path))
                .or_default()
                .push(f.name.clone());
        }
        files
    };
    let current_modules = by_module(current);
    let previous_modules = by_module(previous);
    let same_count = current_modules.len() == previous_modules.len();
    let module_path = |subject: &Subject<'_>, i: usize| {
        subject
            .config
            .modules
            .get(i)
            .map_or(".", |m| m.path.as_str())
            .to_owned()
    };
    current_modules
        .iter()
        .enumerate()
        .map(|(position, (&index, names))| {
            let paired = if same_count {
                previous_modules.values().nth(position)
            } else {
                let path = module_path(current, index);
                previous_modules
                    .iter()
                    .find(|(i, _)| module_path(previous, **i) == path)
                    .map(|(_, names)| names)
            };
            let scope = ModuleScope {
                current: names.iter().cloned().collect(),
                previous: paired.into_iter().flatten().cloned().collect(),
            };
            (effective(index), Some(scope))
        })
        .collect()
}

/// [`breaking`] over whole images with `config`'s top-level `breaking`
/// section, where an inline ignore of `alias` also suppresses a finding
/// (the TOPIC rules re-run the WIRE_JSON rules under their own ID).
pub(crate) fn breaking_ignorable_as(
    previous: &Image,
    current: &Image,
    config: &Config,
    alias: Option<&str>,
) -> Result<Vec<Diagnostic>, SelectError> {
    run(
        previous,
        current,
        &config.breaking,
        config.kind.is_buf_v1(),
        None,
        alias,
    )
}

/// One comparison: the rules `breaking_config` selects over the files of
/// `scope` (every input file when `None`), located and filtered.
fn run(
    previous: &Image,
    current: &Image,
    breaking_config: &BreakingConfig,
    buf_v1: bool,
    scope: Option<&ModuleScope>,
    alias: Option<&str>,
) -> Result<Vec<Diagnostic>, SelectError> {
    let rules = select(
        RuleKind::Breaking,
        Selection::breaking(breaking_config),
        buf_v1,
    )?;
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
                scope,
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
