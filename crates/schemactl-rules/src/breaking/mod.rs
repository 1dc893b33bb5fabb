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
use schemactl_config::BufVersion;
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
    version: BufVersion,
}

impl RuleIgnore<'_> {
    fn paths(&self) -> PathIgnores<'_> {
        path_ignores(self.config, self.version)
    }
}

fn path_ignores(config: &BreakingConfig, version: BufVersion) -> PathIgnores<'_> {
    PathIgnores {
        ignore: &config.ignore,
        ignore_only: &config.ignore_only,
        version,
    }
}

/// Whether a comparison also covers the files the compared files import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Imports {
    /// Only the input's (each module's) own files.
    #[default]
    Exclude,
    /// Also every file they import, directly or not (the well-known types
    /// and other modules' files included), on each side: Buf's `breaking`
    /// without `--exclude-imports`, where a file no longer imported counts
    /// as deleted.
    Compare,
}

/// Compare `previous` with `current`, module by module as Buf does: the
/// files of each current module against those of the previous module it
/// pairs with, under that current module's `breaking` section (a Buf v2
/// module's own section, a v1 workspace module's `buf.yaml`, else the
/// top-level one). Returns the findings in `.proto` files (sorted), then
/// the TOPIC findings about the catalog. `Err` only for an unknown rule ID
/// in the configuration. Imports are left out ([`breaking_with`] compares
/// them too).
pub fn breaking(
    previous: &Subject<'_>,
    current: &Subject<'_>,
) -> Result<Vec<Diagnostic>, SelectError> {
    breaking_with(previous, current, Imports::Exclude)
}

/// [`breaking`], comparing the imports of the compared files too when
/// `imports` is [`Imports::Compare`].
pub fn breaking_with(
    previous: &Subject<'_>,
    current: &Subject<'_>,
    imports: Imports,
) -> Result<Vec<Diagnostic>, SelectError> {
    let mut findings = Vec::new();
    for (config, version, scope) in module_groups(previous, current, imports) {
        findings.extend(run(
            Sides {
                previous: previous.image,
                current: current.image,
                imports,
            },
            config,
            version,
            scope.as_ref(),
            None,
        )?);
    }
    // Buf's order (rule and message before the end of the span), as each
    // comparison's findings already are.
    findings.sort_by(Diagnostic::buf_order);
    findings.dedup();
    let catalog = topics::breaking_catalog(previous, current, &findings)?;
    findings.extend(catalog);
    Ok(findings)
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
    imports: Imports,
) -> Vec<(&'a BreakingConfig, BufVersion, Option<ModuleScope>)> {
    let config = current.config;
    let effective = |i: usize| {
        config
            .modules
            .get(i)
            .and_then(|m| m.breaking.as_ref())
            .unwrap_or(&config.breaking)
    };
    if config.modules.len() <= 1 {
        let scope = (imports == Imports::Compare).then(|| {
            let inputs = |image: &Image| image.input_files().map(|f| f.name.clone()).collect();
            ModuleScope {
                current: with_imports(current.image, inputs(current.image)),
                previous: with_imports(previous.image, inputs(previous.image)),
            }
        });
        return vec![(effective(0), config.module_version(0), scope)];
    }
    // Module index → its input files, in module order, for each side.
    let by_module = |subject: &Subject<'_>| {
        let mut files: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
        for f in subject.image.input_files() {
            files
                .entry(crate::subject::module_of(subject.config, &f.input_path))
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
            let mut scope = ModuleScope {
                current: names.iter().cloned().collect(),
                previous: paired.into_iter().flatten().cloned().collect(),
            };
            if imports == Imports::Compare {
                scope.current = with_imports(current.image, scope.current);
                scope.previous = with_imports(previous.image, scope.previous);
            }
            (effective(index), config.module_version(index), Some(scope))
        })
        .collect()
}

/// `names` and every file of `image` they import, directly or not.
fn with_imports(
    image: &Image,
    names: std::collections::BTreeSet<String>,
) -> std::collections::BTreeSet<String> {
    let mut todo: Vec<String> = names.iter().cloned().collect();
    let mut out = names;
    while let Some(name) = todo.pop() {
        let Some(file) = image.pool().get_file_by_name(&name) else {
            continue;
        };
        for dependency in file.dependencies() {
            if out.insert(dependency.name().to_owned()) {
                todo.push(dependency.name().to_owned());
            }
        }
    }
    out
}

/// The two images of a comparison, and whether their imports are compared.
#[derive(Clone, Copy)]
struct Sides<'a> {
    previous: &'a Image,
    current: &'a Image,
    imports: Imports,
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
        Sides {
            previous,
            current,
            imports: Imports::Exclude,
        },
        &config.breaking,
        config.kind.buf_version(),
        None,
        alias,
    )
}

/// One comparison: the rules `breaking_config` selects over the files of
/// `scope` (every input file when `None`), located and filtered.
fn run(
    sides: Sides<'_>,
    breaking_config: &BreakingConfig,
    version: BufVersion,
    scope: Option<&ModuleScope>,
    alias: Option<&str>,
) -> Result<Vec<Diagnostic>, SelectError> {
    let rules = select(
        RuleKind::Breaking,
        Selection::breaking(breaking_config),
        version,
    )?;
    let mut sink = BreakingSink::default();
    for rule in rules {
        if let Check::Breaking(check) = rule.check {
            let cx = PairCx {
                previous: sides.previous,
                current: sides.current,
                imports: sides.imports == Imports::Compare,
                skip_unstable: breaking_config.ignore_unstable_packages,
                ignore: Some(RuleIgnore {
                    config: breaking_config,
                    rule: rule.id,
                    version,
                }),
                scope,
            };
            sink.rule = rule.id;
            check(&cx, &mut sink);
        }
    }
    Ok(location::locate(
        sink.findings,
        sides.current,
        breaking_config,
        version,
        alias,
    ))
}
