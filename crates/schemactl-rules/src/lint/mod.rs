//! The lint engine: select rules from configuration, run them over the input
//! files of an image, drop ignored findings, and turn the rest into
//! diagnostics located where Buf locates them.
//!
//! Rules come in three shapes. *File* rules look at one file at a time (with its
//! source locations and comments at hand); the engine runs them file by file,
//! on all cores, decoding each file's source info once. *Module* rules look at
//! all files of a module together (same package across a directory, import
//! cycles) using descriptors only; their findings are located in a last pass.
//! *TOPIC* rules look at the topic catalog of the configuration
//! (`catalog.rs`).
//!
//! What rules share lives in helper modules: `comments.rs` (leading comments
//! as Buf reads them), `naming.rs` (case and suffix checks), `packages.rs`
//! (files by package, same-option checks), `rpc_types.rs` (standard request
//! and response names).

mod catalog;
pub(crate) mod comments;
pub(crate) mod naming;
pub(crate) mod packages;
pub(crate) mod rpc_types;
pub mod rules;

use schemactl_config::BufVersion;
use std::collections::BTreeMap;

use prost_reflect::FileDescriptor;
use schemactl_compile::{Image, ImageFile};
use schemactl_config::{Config, LintConfig};
use schemactl_diagnostics::{Diagnostic, Location};

use crate::ignore::{PathIgnores, lint_comment_ignores};
use crate::rule::{Check, RuleKind, RuleSpec};
use crate::select::{SelectError, Selection, select};
use crate::subject::Subject;
use crate::topics::PatternError;

use comments::Comments;
use schemactl_compile::SourceIndex;
use schemactl_compile::walk::tag;

/// One input file, for a file rule.
pub struct FileCx<'a> {
    pub file: FileDescriptor,
    pub meta: &'a ImageFile,
    pub index: &'a SourceIndex,
    pub config: &'a LintConfig,
    /// Leading comments as Buf sees them (see [`Comments`]).
    pub(crate) comments: Comments<'a>,
}

/// All input files of a module, for a module rule.
pub struct ModuleCx<'a> {
    pub files: Vec<(FileDescriptor, &'a ImageFile)>,
    pub config: &'a LintConfig,
}

/// A finding before it is located.
#[derive(Debug, Clone)]
pub struct RawFinding {
    /// File name (import path).
    pub file: String,
    /// The element the finding is about (comment ignores look here and at
    /// its parents).
    pub element: Vec<i32>,
    /// The path whose span is reported (the name token for naming rules);
    /// falls back to `element` when it has no location, and to line 1,
    /// column 1 (Buf's place for findings about a whole file) when neither
    /// has one or both are empty.
    pub at: Vec<i32>,
    /// A location found by the rule itself (inside an option's value, where
    /// `SourceCodeInfo` has no path); wins over `at` and `element`.
    pub location: Option<Location>,
    pub message: String,
}

/// Where rules put their findings.
#[derive(Default)]
pub struct Sink {
    rule: &'static str,
    findings: Vec<(&'static str, RawFinding)>,
}

impl Sink {
    /// Report a finding on `element` of `file`, located at `at`.
    pub fn report(&mut self, file: &str, element: &[i32], at: &[i32], message: impl Into<String>) {
        self.findings.push((
            self.rule,
            RawFinding {
                file: file.to_owned(),
                element: element.to_vec(),
                at: at.to_vec(),
                location: None,
                message: message.into(),
            },
        ));
    }

    /// Report a finding on `element` of `file` at a location the rule
    /// computed itself.
    pub fn report_located(
        &mut self,
        file: &str,
        element: &[i32],
        location: Location,
        message: impl Into<String>,
    ) {
        self.findings.push((
            self.rule,
            RawFinding {
                file: file.to_owned(),
                element: element.to_vec(),
                at: element.to_vec(),
                location: Some(location),
                message: message.into(),
            },
        ));
    }

    /// Report the import statement at `index` of `file` (its position in
    /// `FileDescriptorProto.dependency`).
    pub fn report_import(&mut self, file: &str, index: usize, message: impl Into<String>) {
        let Ok(index) = i32::try_from(index) else {
            return;
        };
        let path = [tag::DEPENDENCY, index];
        self.report(file, &path, &path, message);
    }
}

/// A configuration the lint rules cannot run with.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LintError {
    /// An unknown rule or category ID.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// An invalid `lint.topic_name_pattern`.
    #[error(transparent)]
    Pattern(#[from] PatternError),
}

impl LintError {
    /// What the user can do about it.
    pub fn hint(&self) -> String {
        match self {
            LintError::Select(e) => e.hint(),
            LintError::Pattern(e) => e.hint(),
        }
    }
}

/// Lint every input file of the subject's image, and its topic catalog,
/// with the rules its configuration selects. `Err` only for a configuration
/// the rules cannot run with (an unknown rule ID, an invalid topic name
/// pattern); findings are the `Ok` value: those in `.proto` files sorted by
/// path and position, then the TOPIC findings in rule and catalog order.
pub fn lint(subject: &Subject<'_>) -> Result<Vec<Diagnostic>, LintError> {
    let mut diagnostics = lint_files(subject.image, subject.config)?;
    diagnostics.extend(catalog::lint_catalog(subject)?);
    Ok(diagnostics)
}

/// The lint findings of the `.proto` input files, sorted.
fn lint_files(image: &Image, config: &Config) -> Result<Vec<Diagnostic>, SelectError> {
    // Group input files by module (first matching root), keeping the
    // module's lint config.
    let mut modules: BTreeMap<usize, Vec<&ImageFile>> = BTreeMap::new();
    for meta in image.input_files() {
        let module = crate::subject::module_of(config, &meta.input_path);
        modules.entry(module).or_default().push(meta);
    }
    let mut diagnostics = Vec::new();
    for (module_index, metas) in modules {
        let lint_config = config
            .modules
            .get(module_index)
            .and_then(|m| m.lint.as_ref())
            .unwrap_or(&config.lint);
        let version = config.module_version(module_index);
        let rules = select(RuleKind::Lint, Selection::lint(lint_config), version)?;
        diagnostics.extend(run_module(image, &metas, lint_config, &rules, version));
    }
    diagnostics.sort_by(Diagnostic::buf_order);
    diagnostics.dedup();
    Ok(diagnostics)
}

fn run_module(
    image: &Image,
    metas: &[&ImageFile],
    config: &LintConfig,
    rules: &[&'static RuleSpec],
    version: BufVersion,
) -> Vec<Diagnostic> {
    let file_rules: Vec<_> = rules
        .iter()
        .filter_map(|r| match r.check {
            Check::File(f) => Some((r.id, f)),
            Check::Module(_) | Check::Topics(_) | Check::TopicPairs(_) | Check::Breaking(_) => None,
        })
        .collect();
    let pool = image.pool();
    let descriptor = |name: &str| pool.get_file_by_name(name);

    // File rules, file by file, on all cores.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = metas.len().div_ceil(threads).max(1);
    let mut diagnostics: Vec<Diagnostic> = std::thread::scope(|scope| {
        let handles: Vec<_> = metas
            .chunks(chunk)
            .map(|part| {
                let file_rules = &file_rules;
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for meta in part {
                        let Some(file) = descriptor(&meta.name) else {
                            continue;
                        };
                        let index = SourceIndex::new(image.source_info(&meta.name));
                        let cx = FileCx {
                            file,
                            meta,
                            index: &index,
                            config,
                            comments: Comments::new(&index, meta.source.as_deref()),
                        };
                        let mut sink = Sink::default();
                        for (id, check) in file_rules {
                            sink.rule = id;
                            check(&cx, &mut sink);
                        }
                        out.extend(locate(sink.findings, meta, &cx.comments, config, version));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });

    // Module rules, then locate their findings grouped by file.
    let module_rules: Vec<_> = rules
        .iter()
        .filter_map(|r| match r.check {
            Check::Module(f) => Some((r.id, f)),
            Check::File(_) | Check::Topics(_) | Check::TopicPairs(_) | Check::Breaking(_) => None,
        })
        .collect();
    if !module_rules.is_empty() {
        let cx = ModuleCx {
            files: metas
                .iter()
                .filter_map(|m| descriptor(&m.name).map(|d| (d, *m)))
                .collect(),
            config,
        };
        let mut sink = Sink::default();
        for (id, check) in module_rules {
            sink.rule = id;
            check(&cx, &mut sink);
        }
        let mut by_file: BTreeMap<String, Vec<(&'static str, RawFinding)>> = BTreeMap::new();
        for (rule, f) in sink.findings {
            by_file.entry(f.file.clone()).or_default().push((rule, f));
        }
        for (name, findings) in by_file {
            let Some(meta) = image.file(&name) else {
                continue;
            };
            let index = SourceIndex::new(image.source_info(&name));
            let comments = Comments::new(&index, meta.source.as_deref());
            diagnostics.extend(locate(findings, meta, &comments, config, version));
        }
    }
    diagnostics
}

/// Apply path and comment ignores, then locate.
fn locate(
    findings: Vec<(&'static str, RawFinding)>,
    meta: &ImageFile,
    comments: &Comments<'_>,
    config: &LintConfig,
    version: BufVersion,
) -> Vec<Diagnostic> {
    let index = comments.index;
    let paths = PathIgnores {
        ignore: &config.ignore,
        ignore_only: &config.ignore_only,
        version,
    };
    let leading = |path: &[i32]| comments.leading(path);
    findings
        .into_iter()
        .filter(|(rule, f)| {
            let by_comment = config.allow_comment_ignores
                && (lint_comment_ignores(leading, rule, &f.at)
                    || lint_comment_ignores(leading, rule, &f.element));
            !(by_comment || paths.ignores(rule, &meta.input_path))
        })
        .map(|(rule, f)| {
            let location = f
                .location
                .or_else(|| {
                    [&f.at, &f.element]
                        .into_iter()
                        .filter(|p| !p.is_empty())
                        .find_map(|p| index.location(p))
                })
                // Buf puts findings about the whole file (or about an element
                // that has no location) at 1:1, not at the file's first token.
                .unwrap_or(Location::point(1, 1));
            Diagnostic::new(rule, meta.display_path.clone(), f.message).with_location(location)
        })
        .collect()
}
