//! The lint engine: select rules from configuration, run them over the input
//! files of an image, drop ignored findings, and turn the rest into
//! diagnostics located where Buf locates them.
//!
//! Rules come in two shapes. *File* rules look at one file at a time (with its
//! source locations and comments at hand); the engine runs them file by file,
//! on all cores, decoding each file's source info once. *Module* rules look at
//! all files of a module together (same package across a directory, import
//! cycles) using descriptors only; their findings are located in a last pass.

pub mod rules;
mod select;
pub mod visit;

use std::collections::BTreeMap;

use prost_reflect::FileDescriptor;
use schemactl_compile::{Image, ImageFile};
use schemactl_config::{Config, LintConfig};
use schemactl_diagnostics::Diagnostic;

use crate::SourceIndex;
use crate::registry::RuleSpec;
pub use select::{SelectError, select_rules};

/// How a rule is run.
#[derive(Clone, Copy)]
pub enum LintCheck {
    File(fn(&FileCx<'_>, &mut Sink)),
    Module(fn(&ModuleCx<'_>, &mut Sink)),
}

/// One input file, for a file rule.
pub struct FileCx<'a> {
    pub file: FileDescriptor,
    pub meta: &'a ImageFile,
    pub index: &'a SourceIndex,
    pub config: &'a LintConfig,
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
    /// falls back to `element` when it has no location.
    pub at: Vec<i32>,
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
                message: message.into(),
            },
        ));
    }
}

/// Lint every input file of `image` with the rules `config` selects.
/// `Err` only for a configuration the rules cannot run with (an unknown rule
/// ID); findings are the `Ok` value, sorted by path and position.
pub fn lint(image: &Image, config: &Config) -> Result<Vec<Diagnostic>, SelectError> {
    // Group input files by module (first matching root), keeping the
    // module's lint config.
    let buf_v1 = config.kind.is_buf_v1();
    let mut modules: BTreeMap<usize, Vec<&ImageFile>> = BTreeMap::new();
    for meta in image.input_files() {
        let module = config
            .modules
            .iter()
            .position(|m| under(&meta.input_path, &m.path))
            .unwrap_or(0);
        modules.entry(module).or_default().push(meta);
    }
    let mut diagnostics = Vec::new();
    for (module_index, metas) in modules {
        let lint_config = config
            .modules
            .get(module_index)
            .and_then(|m| m.lint.as_ref())
            .unwrap_or(&config.lint);
        let rules = select_rules(lint_config, buf_v1)?;
        diagnostics.extend(run_module(image, &metas, lint_config, &rules, buf_v1));
    }
    diagnostics.sort_by(|a, b| (&a.path, a.location, &a.rule).cmp(&(&b.path, b.location, &b.rule)));
    diagnostics.dedup();
    Ok(diagnostics)
}

fn under(path: &str, dir: &str) -> bool {
    dir == "."
        || path == dir
        || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

fn run_module(
    image: &Image,
    metas: &[&ImageFile],
    config: &LintConfig,
    rules: &[&'static RuleSpec],
    buf_v1: bool,
) -> Vec<Diagnostic> {
    let file_rules: Vec<_> = rules
        .iter()
        .filter_map(|r| match r.check {
            LintCheck::File(f) => Some((r.id, f)),
            LintCheck::Module(_) => None,
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
                        };
                        let mut sink = Sink::default();
                        for (id, check) in file_rules {
                            sink.rule = id;
                            check(&cx, &mut sink);
                        }
                        out.extend(locate(sink.findings, meta, &index, config, buf_v1));
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
            LintCheck::Module(f) => Some((r.id, f)),
            LintCheck::File(_) => None,
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
            diagnostics.extend(locate(findings, meta, &index, config, buf_v1));
        }
    }
    diagnostics
}

/// Apply path and comment ignores, then locate.
fn locate(
    findings: Vec<(&'static str, RawFinding)>,
    meta: &ImageFile,
    index: &SourceIndex,
    config: &LintConfig,
    _buf_v1: bool,
) -> Vec<Diagnostic> {
    findings
        .into_iter()
        .filter(|(rule, f)| {
            let by_comment =
                config.allow_comment_ignores && comment_ignored(index, rule, &f.element);
            !(by_comment || path_ignored(config, rule, &meta.input_path))
        })
        .map(|(rule, f)| {
            let mut d = Diagnostic::new(rule, meta.display_path.clone(), f.message);
            if let Some(l) = index.location(&f.at).or_else(|| index.location(&f.element)) {
                d = d.with_location(l);
            }
            d
        })
        .collect()
}

fn path_ignored(config: &LintConfig, rule: &str, path: &str) -> bool {
    config.ignore.iter().any(|p| under(path, p))
        || config
            .ignore_only
            .iter()
            .any(|(id, paths)| rule_matches(id, rule) && paths.iter().any(|p| under(path, p)))
}

/// `ignore_only` keys may be rule IDs or categories.
fn rule_matches(key: &str, rule: &str) -> bool {
    key == rule || crate::find_rule(rule).is_some_and(|r| r.categories.contains(&key))
}

/// `// buf:lint:ignore RULE` (or `schemactl:lint:ignore`) in the leading
/// comment of the element or any of its parents.
fn comment_ignored(index: &SourceIndex, rule: &str, element: &[i32]) -> bool {
    (1..=element.len()).rev().any(|len| {
        index.leading_comments(&element[..len]).is_some_and(|c| {
            c.lines().any(|line| {
                let line = line.trim();
                ["buf:lint:ignore", "schemactl:lint:ignore"]
                    .iter()
                    .any(|prefix| {
                        line.strip_prefix(prefix)
                            .is_some_and(|rest| rest.split_whitespace().next() == Some(rule))
                    })
            })
        })
    })
}
