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
pub mod topics;
pub mod visit;

use std::cell::OnceCell;
use std::collections::BTreeMap;

use prost_reflect::FileDescriptor;
use schemactl_compile::{Image, ImageFile};
use schemactl_config::{Config, LintConfig};
use schemactl_diagnostics::{Diagnostic, Location};

use crate::SourceIndex;
use crate::registry::RuleSpec;
pub use select::{CATEGORIES as LINT_CATEGORIES, SelectError, select_rules};

/// How a rule is run.
#[derive(Clone, Copy)]
pub enum Check {
    File(fn(&FileCx<'_>, &mut Sink)),
    Module(fn(&ModuleCx<'_>, &mut Sink)),
    /// TOPIC rules: the catalog against the image (see [`topics`]).
    Topics(fn(&topics::TopicCx<'_>, &mut Vec<topics::TopicFinding>)),
    /// Breaking rules: a previous image against the current one (see
    /// [`crate::breaking`]).
    Breaking(fn(&crate::breaking::PairCx<'_>, &mut crate::breaking::BreakingSink)),
}

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
            Check::File(f) => Some((r.id, f)),
            Check::Module(_) | Check::Topics(_) | Check::Breaking(_) => None,
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
                        out.extend(locate(sink.findings, meta, &cx.comments, config, buf_v1));
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
            Check::File(_) | Check::Topics(_) | Check::Breaking(_) => None,
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
            diagnostics.extend(locate(findings, meta, &comments, config, buf_v1));
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
    buf_v1: bool,
) -> Vec<Diagnostic> {
    let index = comments.index;
    findings
        .into_iter()
        .filter(|(rule, f)| {
            let by_comment = config.allow_comment_ignores
                && (comment_ignored(comments, rule, &f.at)
                    || comment_ignored(comments, rule, &f.element));
            !(by_comment || path_ignored(config, rule, &meta.input_path, buf_v1))
        })
        .map(|(rule, f)| {
            let location = [&f.at, &f.element]
                .into_iter()
                .filter(|p| !p.is_empty())
                .find_map(|p| index.location(p))
                // Buf puts findings about the whole file (or about an element
                // that has no location) at 1:1, not at the file's first token.
                .unwrap_or(Location::point(1, 1));
            Diagnostic::new(rule, meta.display_path.clone(), f.message).with_location(location)
        })
        .collect()
}

/// `ignore` and `ignore_only` paths are relative to the input (the directory
/// of `buf.yaml`, also for Buf v2 modules) and name a file or a directory.
fn path_ignored(config: &LintConfig, rule: &str, path: &str, buf_v1: bool) -> bool {
    config.ignore.iter().any(|p| under(path, p))
        || config.ignore_only.iter().any(|(key, paths)| {
            rule_matches(key, rule, buf_v1) && paths.iter().any(|p| under(path, p))
        })
}

/// `ignore_only` keys may be rule IDs or categories (`DEFAULT` being Buf
/// v1's name for `STANDARD`), with the categories of the configuration's
/// version.
fn rule_matches(key: &str, rule: &str, buf_v1: bool) -> bool {
    let key = if key == "DEFAULT" { "STANDARD" } else { key };
    key == rule || crate::find_rule(rule).is_some_and(|r| r.categories_for(buf_v1).contains(&key))
}

/// Buf's spelling of a lint ignore comment.
const BUF_IGNORE: &str = "buf:lint:ignore";
/// schemactl's own spelling, which Buf does not know.
const SCHEMACTL_IGNORE: &str = "schemactl:lint:ignore";

/// Whether a leading comment on `path` or on any element containing it
/// ignores `rule`.
///
/// Buf tests each trimmed line with a plain prefix match on
/// `buf:lint:ignore RULE` (one space), so `buf:lint:ignore COMMENT_ENUM_VALUE`
/// also ignores `COMMENT_ENUM`, and two spaces ignore nothing. That is
/// matched exactly, since users switching from Buf rely on it. The
/// `schemactl:lint:ignore` spelling is stricter: the rule ID must be a whole
/// word, with any whitespace before it.
fn comment_ignored(comments: &Comments<'_>, rule: &str, path: &[i32]) -> bool {
    let buf_prefix = format!("{BUF_IGNORE} {rule}");
    (1..=path.len()).rev().any(|len| {
        comments.leading(&path[..len]).is_some_and(|c| {
            c.lines().any(|line| {
                let line = line.trim();
                line.starts_with(&buf_prefix)
                    || line
                        .strip_prefix(SCHEMACTL_IGNORE)
                        .is_some_and(|rest| rest.split_whitespace().next() == Some(rule))
            })
        })
    })
}

/// Whether `comment` documents something: a line that is neither blank nor
/// an ignore directive (`buf:lint:ignore ...`, `schemactl:lint:ignore ...`).
/// Buf's `COMMENT_*` rules count only leading comments and skip lines that
/// start with `buf:lint:ignore`, whether or not comment ignores are allowed.
pub(crate) fn is_documentation(comment: &str) -> bool {
    comment.lines().map(str::trim).any(|line| {
        !line.is_empty() && !line.starts_with(BUF_IGNORE) && !line.starts_with(SCHEMACTL_IGNORE)
    })
}

/// The leading comments of a file's elements as Buf reads them.
///
/// protox and Buf's compiler agree on which comment leads an element except
/// for a comment that ends on the line where the element starts
/// (`/* note */ FOO = 1;`): protox makes it the element's leading comment,
/// Buf drops it (it is neither leading nor detached in Buf's source info).
/// Both the `COMMENT_*` rules and comment ignores go through here, so they
/// see what Buf sees.
pub(crate) struct Comments<'a> {
    index: &'a SourceIndex,
    text: Option<&'a str>,
    /// Byte offsets of line starts in `text`, computed on first use.
    line_starts: OnceCell<Vec<usize>>,
}

impl<'a> Comments<'a> {
    /// `text` is the file's source, when the image was compiled from it.
    pub(crate) fn new(index: &'a SourceIndex, text: Option<&'a str>) -> Self {
        Comments {
            index,
            text,
            line_starts: OnceCell::new(),
        }
    }

    /// The leading comment of the element at `path`, if Buf sees one.
    pub(crate) fn leading(&self, path: &[i32]) -> Option<&'a str> {
        let comment = self.index.leading_comments(path)?;
        let shares_line = self.index.location(path).is_some_and(|l| {
            self.before(l.start_line, l.start_column)
                .is_some_and(|prefix| prefix.trim_end().ends_with("*/"))
        });
        (!shares_line).then_some(comment)
    }

    /// The text of 1-based `line` before the 1-based byte `column`.
    fn before(&self, line: u32, column: u32) -> Option<&'a str> {
        let text = self.text?;
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let start = *starts.get(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let column = usize::try_from(column).ok()?.checked_sub(1)?;
        text.get(start..start.checked_add(column)?)
    }
}

/// Whether the element at `path` has a leading comment that documents it.
pub(crate) fn has_doc_comment(comments: &Comments<'_>, path: &[i32]) -> bool {
    comments.leading(path).is_some_and(is_documentation)
}

/// The check shared by the `COMMENT_*` rules: report the element at `path`
/// (over its whole span) unless its leading comment documents it. Elements
/// without a source location (synthetic ones) are skipped, as Buf does.
pub(crate) fn require_doc_comment(
    cx: &FileCx<'_>,
    sink: &mut Sink,
    path: &[i32],
    what: &str,
    name: &str,
) {
    if cx.index.has(path) && !has_doc_comment(&cx.comments, path) {
        sink.report(
            cx.file.name(),
            path,
            path,
            format!("{what} \"{name}\" should have a non-empty comment for documentation."),
        );
    }
}

#[cfg(test)]
mod tests {
    use prost_types::SourceCodeInfo;
    use prost_types::source_code_info::Location;

    use super::*;

    fn index(comments: &[(&[i32], &str)]) -> SourceIndex {
        SourceIndex::new(Some(SourceCodeInfo {
            location: comments
                .iter()
                .map(|(path, c)| Location {
                    path: path.to_vec(),
                    span: vec![0, 0, 1],
                    leading_comments: Some((*c).to_owned()),
                    ..Location::default()
                })
                .collect(),
        }))
    }

    fn ignored(index: &SourceIndex, rule: &str, path: &[i32]) -> bool {
        comment_ignored(&Comments::new(index, None), rule, path)
    }

    #[test]
    fn a_block_comment_on_the_element_line_does_not_lead() {
        let text = "enum E {\n  // Own line.\n  A = 0;\n  /* Same line. */ B = 1;\n  /* Two\n  lines */ C = 2;\n}\n";
        let located = |path: &[i32], line: i32, col: i32, comment: &str| Location {
            path: path.to_vec(),
            span: vec![line, col, col + 5],
            leading_comments: Some(comment.to_owned()),
            ..Location::default()
        };
        let index = SourceIndex::new(Some(SourceCodeInfo {
            location: vec![
                located(&[5, 0, 2, 0], 2, 2, " Own line.\n"),
                located(&[5, 0, 2, 1], 3, 19, " Same line. "),
                located(&[5, 0, 2, 2], 5, 11, " Two\n lines "),
            ],
        }));
        let comments = Comments::new(&index, Some(text));
        assert_eq!(comments.leading(&[5, 0, 2, 0]), Some(" Own line.\n"));
        assert_eq!(comments.leading(&[5, 0, 2, 1]), None);
        assert_eq!(comments.leading(&[5, 0, 2, 2]), None);
        // Without the source, protox's attribution is all there is.
        assert!(Comments::new(&index, None).leading(&[5, 0, 2, 1]).is_some());
    }

    #[test]
    fn buf_spelling_is_a_plain_prefix_match_like_buf() {
        let idx = index(&[(&[4, 0], " buf:lint:ignore COMMENT_ENUM_VALUE\n")]);
        assert!(ignored(&idx, "COMMENT_ENUM_VALUE", &[4, 0]));
        // Buf's prefix match: the longer ID covers the shorter one.
        assert!(ignored(&idx, "COMMENT_ENUM", &[4, 0]));
        assert!(!ignored(&idx, "COMMENT_FIELD", &[4, 0]));
        let two_spaces = index(&[(&[4, 0], "buf:lint:ignore  COMMENT_ENUM\n")]);
        assert!(!ignored(&two_spaces, "COMMENT_ENUM", &[4, 0]));
    }

    #[test]
    fn parents_and_reason_text() {
        let idx = index(&[(
            &[4, 0],
            " doc\n buf:lint:ignore FIELD_LOWER_SNAKE_CASE -- legacy\n",
        )]);
        assert!(ignored(&idx, "FIELD_LOWER_SNAKE_CASE", &[4, 0, 2, 3, 1]));
        assert!(!ignored(&idx, "FIELD_LOWER_SNAKE_CASE", &[4, 1, 2, 3, 1]));
        assert!(!ignored(&idx, "FIELD_LOWER_SNAKE_CASE", &[]));
    }

    #[test]
    fn schemactl_spelling_needs_the_whole_id() {
        let idx = index(&[(&[4, 0], " schemactl:lint:ignore   COMMENT_ENUM_VALUE\n")]);
        assert!(ignored(&idx, "COMMENT_ENUM_VALUE", &[4, 0]));
        assert!(!ignored(&idx, "COMMENT_ENUM", &[4, 0]));
    }

    #[test]
    fn ignore_directives_are_not_documentation() {
        assert!(is_documentation(" A user.\n"));
        assert!(is_documentation(" buf:lint:ignore X\n real text\n"));
        assert!(!is_documentation(" buf:lint:ignore X\n"));
        assert!(!is_documentation(" schemactl:lint:ignore X\n\n"));
        assert!(!is_documentation("\n  \n"));
    }

    #[test]
    fn ignore_only_keys_accept_categories_and_default() {
        assert!(rule_matches(
            "MESSAGE_PASCAL_CASE",
            "MESSAGE_PASCAL_CASE",
            false
        ));
        assert!(rule_matches("BASIC", "MESSAGE_PASCAL_CASE", false));
        assert!(rule_matches("DEFAULT", "MESSAGE_PASCAL_CASE", true));
        assert!(!rule_matches("MINIMAL", "MESSAGE_PASCAL_CASE", false));
        // Not categorised in Buf v1.
        assert!(rule_matches("MINIMAL", "PACKAGE_NO_IMPORT_CYCLE", false));
        assert!(!rule_matches("MINIMAL", "PACKAGE_NO_IMPORT_CYCLE", true));
    }
}
