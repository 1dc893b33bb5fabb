//! The breaking-change engine: compare a previous image with the current
//! one, run the selected rules over matched pairs, drop ignored findings,
//! and locate the rest in the current files (or, for deletions, at the
//! enclosing element that still exists), as Buf does.
//!
//! Rules match elements by identity — files by path, types by full name,
//! fields and enum values by number, services and methods by name — with the
//! helpers of [`PairCx`], so each rule stays a few lines.

pub mod rules;
pub mod topics;

use std::collections::BTreeMap;

use prost_reflect::{
    EnumDescriptor, FileDescriptor, MessageDescriptor, MethodDescriptor, ServiceDescriptor,
};
use schemactl_compile::{Image, ImageFile};
use schemactl_config::{BreakingConfig, Config};
use schemactl_diagnostics::Diagnostic;

use crate::ignore::{BreakingIgnore, PathIgnores, breaking_comment_ignore};
use crate::package::is_unstable;
use crate::rule::{Check, RuleKind};
use crate::select::{SelectError, Selection, select};
use crate::subject::Subject;
use schemactl_compile::SourceIndex;
use schemactl_compile::walk;

/// The previous and current images, for a breaking rule.
pub struct PairCx<'a> {
    pub previous: &'a Image,
    pub current: &'a Image,
    /// When true (`ignore_unstable_packages`), previous files whose package
    /// is alpha, beta or test are left out of [`PairCx::previous_files`].
    skip_unstable: bool,
    /// The rule being run and the configuration whose `ignore` and
    /// `ignore_only` paths also apply to *previous* files: Buf drops a
    /// finding when either its current or its previous location is ignored,
    /// so an element moved out of an ignored file stays ignored.
    ignore: Option<RuleIgnore<'a>>,
}

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

impl<'a> PairCx<'a> {
    /// The previous input files (not imports), in dependency order.
    pub fn previous_files(&self) -> Vec<FileDescriptor> {
        self.previous
            .input_files()
            .filter_map(|f| self.previous.pool().get_file_by_name(&f.name))
            .filter(|f| !self.skip_unstable || !is_unstable(f.package_name()))
            .filter(|f| {
                self.ignore.is_none_or(|i| {
                    self.previous
                        .file(f.name())
                        .is_none_or(|m| !i.paths().ignores(i.rule, &m.input_path))
                })
            })
            .collect()
    }

    /// The current input file with this name.
    pub fn current_file(&self, name: &str) -> Option<FileDescriptor> {
        let meta = self.current.file(name)?;
        if meta.is_import {
            return None;
        }
        self.current.pool().get_file_by_name(name)
    }

    /// Previous files paired with the current file of the same path.
    pub fn file_pairs(&self) -> Vec<(FileDescriptor, Option<FileDescriptor>)> {
        self.previous_files()
            .into_iter()
            .map(|p| {
                let c = self.current_file(p.name());
                (p, c)
            })
            .collect()
    }

    /// Every message of the previous files (nested included, map entries
    /// not), paired with the current message of the same full name *in the
    /// same file* (FILE semantics).
    pub fn message_pairs_in_file(&self) -> Vec<(MessageDescriptor, Option<MessageDescriptor>)> {
        self.file_pairs()
            .into_iter()
            .flat_map(|(prev, cur)| {
                walk::messages(&prev)
                    .into_iter()
                    .map(|m| {
                        let c = cur
                            .as_ref()
                            .and_then(|cur| find_message_in(cur, m.full_name()));
                        (m, c)
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Every message of the previous files paired with the current message
    /// of the same full name in *any* current input file (PACKAGE
    /// semantics: moving between files of a package is fine).
    pub fn message_pairs_in_package(&self) -> Vec<(MessageDescriptor, Option<MessageDescriptor>)> {
        self.previous_files()
            .iter()
            .flat_map(walk::messages)
            .map(|m| {
                let c = self.current_message(m.full_name());
                (m, c)
            })
            .collect()
    }

    /// A message of the current input files by full name.
    pub fn current_message(&self, full_name: &str) -> Option<MessageDescriptor> {
        self.current
            .pool()
            .get_message_by_name(full_name)
            .filter(|m| {
                self.current
                    .file(m.parent_file().name())
                    .is_some_and(|f| !f.is_import)
            })
    }

    /// An enum of the current input files by full name.
    pub fn current_enum(&self, full_name: &str) -> Option<EnumDescriptor> {
        self.current.pool().get_enum_by_name(full_name).filter(|e| {
            self.current
                .file(e.parent_file().name())
                .is_some_and(|f| !f.is_import)
        })
    }

    /// A service of the current input files by full name.
    pub fn current_service(&self, full_name: &str) -> Option<ServiceDescriptor> {
        self.current
            .pool()
            .get_service_by_name(full_name)
            .filter(|s| {
                self.current
                    .file(s.parent_file().name())
                    .is_some_and(|f| !f.is_import)
            })
    }

    /// Every enum of the previous files paired with the current enum of the
    /// same full name in the same file.
    pub fn enum_pairs_in_file(&self) -> Vec<(EnumDescriptor, Option<EnumDescriptor>)> {
        self.file_pairs()
            .into_iter()
            .flat_map(|(prev, cur)| {
                walk::enums(&prev)
                    .into_iter()
                    .map(|e| {
                        let c = cur.as_ref().and_then(|cur| {
                            walk::enums(cur)
                                .into_iter()
                                .find(|x| x.full_name() == e.full_name())
                        });
                        (e, c)
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Every enum of the previous files paired by full name across all
    /// current input files.
    pub fn enum_pairs_in_package(&self) -> Vec<(EnumDescriptor, Option<EnumDescriptor>)> {
        self.previous_files()
            .iter()
            .flat_map(walk::enums)
            .map(|e| {
                let c = self.current_enum(e.full_name());
                (e, c)
            })
            .collect()
    }

    /// The current input files (not imports).
    pub fn current_files(&self) -> Vec<FileDescriptor> {
        self.current
            .input_files()
            .filter_map(|f| self.current.pool().get_file_by_name(&f.name))
            .collect()
    }

    /// Every message of `file`, nested ones *and* the synthetic entry
    /// messages of `map<>` fields, in declaration order. Buf's deletion rules
    /// see map entries as messages: dropping a map field deletes its entry.
    pub fn messages_with_map_entries(&self, file: &FileDescriptor) -> Vec<MessageDescriptor> {
        fn push(m: MessageDescriptor, out: &mut Vec<MessageDescriptor>) {
            let nested: Vec<_> = m.child_messages().collect();
            out.push(m);
            for n in nested {
                push(n, out);
            }
        }
        let mut out = Vec::new();
        for m in file.messages() {
            push(m, &mut out);
        }
        out
    }

    /// Every extension declared in `file`, at top level or nested in a
    /// message (including map entries, which never declare any).
    pub fn extensions_in_file(
        &self,
        file: &FileDescriptor,
    ) -> Vec<prost_reflect::ExtensionDescriptor> {
        let mut out: Vec<_> = file.extensions().collect();
        for m in self.messages_with_map_entries(file) {
            out.extend(m.child_extensions());
        }
        out
    }

    /// Every service of the previous files paired with the current service
    /// of the same full name in any current input file.
    pub fn service_pairs(&self) -> Vec<(ServiceDescriptor, Option<ServiceDescriptor>)> {
        self.previous_files()
            .iter()
            .flat_map(|f| f.services().collect::<Vec<_>>())
            .map(|s| {
                let c = self.current_service(s.full_name());
                (s, c)
            })
            .collect()
    }

    /// Where Buf reports an element that was deleted: the innermost
    /// enclosing message, by nested name (`Outer.Inner`), that still exists
    /// among `candidates`; `None` means the whole file.
    pub fn deleted_element_anchor(
        &self,
        nested_name: &str,
        candidates: &[MessageDescriptor],
    ) -> Option<MessageDescriptor> {
        let mut scope = nested_name;
        while let Some((parent, _)) = scope.rsplit_once('.') {
            if let Some(m) = candidates
                .iter()
                .find(|m| Self::nested_name(m.full_name(), m.package_name()) == parent)
            {
                return Some(m.clone());
            }
            scope = parent;
        }
        None
    }

    /// `full_name` without its package prefix: Buf's "nested name"
    /// (`Outer.Inner` for `pkg.v1.Outer.Inner`).
    pub fn nested_name<'n>(full_name: &'n str, package: &str) -> &'n str {
        if package.is_empty() {
            return full_name;
        }
        full_name
            .strip_prefix(package)
            .and_then(|rest| rest.strip_prefix('.'))
            .unwrap_or(full_name)
    }

    /// Every RPC of a previous service paired with the RPC of the same name
    /// on the current service of the same full name (in any current input
    /// file); RPCs or services that are gone are left out.
    pub fn method_pairs(&self) -> Vec<(MethodDescriptor, MethodDescriptor)> {
        self.service_pairs()
            .into_iter()
            .filter_map(|(previous, current)| current.map(|c| (previous, c)))
            .flat_map(|(previous, current)| {
                previous
                    .methods()
                    .filter_map(|m| {
                        let c = current.methods().find(|c| c.name() == m.name())?;
                        Some((m, c))
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

fn find_message_in(file: &FileDescriptor, full_name: &str) -> Option<MessageDescriptor> {
    walk::messages(file)
        .into_iter()
        .find(|m| m.full_name() == full_name)
}

/// A breaking finding before it is located.
#[derive(Debug, Clone)]
pub struct RawBreaking {
    /// The current file the finding is located in; `None` for findings with
    /// no current place (a deleted file).
    pub file: Option<String>,
    pub element: Vec<i32>,
    pub at: Vec<i32>,
    pub message: String,
    /// Other places the finding is about (where a moved element went).
    pub related: Vec<schemactl_diagnostics::Related>,
}

/// Where breaking rules put their findings.
#[derive(Default)]
pub struct BreakingSink {
    rule: &'static str,
    findings: Vec<(&'static str, RawBreaking)>,
}

impl BreakingSink {
    /// A finding located in the current `file`, on `element` (comment
    /// ignores look there and at its parents), at the span of `at`.
    pub fn report(&mut self, file: &str, element: &[i32], at: &[i32], message: impl Into<String>) {
        self.findings.push((
            self.rule,
            RawBreaking {
                file: Some(file.to_owned()),
                element: element.to_vec(),
                at: at.to_vec(),
                message: message.into(),
                related: Vec::new(),
            },
        ));
    }

    /// Like [`report`](Self::report), with a second location (where a moved
    /// element is now).
    pub fn report_related(
        &mut self,
        file: &str,
        element: &[i32],
        at: &[i32],
        message: impl Into<String>,
        related: schemactl_diagnostics::Related,
    ) {
        self.report(file, element, at, message);
        if let Some((_, last)) = self.findings.last_mut() {
            last.related.push(related);
        }
    }

    /// A finding with no place in the current files (a deleted file).
    pub fn report_unlocated(&mut self, message: impl Into<String>) {
        self.findings.push((
            self.rule,
            RawBreaking {
                file: None,
                element: Vec::new(),
                at: Vec::new(),
                message: message.into(),
                related: Vec::new(),
            },
        ));
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
    Ok(locate(
        sink.findings,
        current,
        breaking_config,
        buf_v1,
        alias,
    ))
}

fn locate(
    findings: Vec<(&'static str, RawBreaking)>,
    current: &Image,
    config: &BreakingConfig,
    buf_v1: bool,
    alias: Option<&str>,
) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<Option<String>, Vec<(&'static str, RawBreaking)>> = BTreeMap::new();
    for (rule, f) in findings {
        by_file.entry(f.file.clone()).or_default().push((rule, f));
    }
    let mut out = Vec::new();
    for (file, findings) in by_file {
        let meta: Option<&ImageFile> = file.as_deref().and_then(|f| current.file(f));
        let index = SourceIndex::new(file.as_deref().and_then(|f| current.source_info(f)));
        for (rule, f) in findings {
            if let Some(meta) = meta {
                if path_ignores(config, buf_v1).ignores(rule, &meta.input_path) {
                    continue;
                }
                // Buf also ignores a finding located in a current file whose
                // package is unstable (say `a.v1` renamed to `a.v1beta1`).
                let package = current
                    .pool()
                    .get_file_by_name(&meta.name)
                    .map(|f| f.package_name().to_owned());
                if config.ignore_unstable_packages && package.is_some_and(|p| is_unstable(&p)) {
                    continue;
                }
            }
            let leading = |path: &[i32]| index.leading_comments(path);
            let mut ignore = breaking_comment_ignore(leading, rule, &f.element);
            if let (BreakingIgnore::None, Some(alias)) = (ignore, alias) {
                ignore = breaking_comment_ignore(leading, alias, &f.element);
            }
            if ignore == BreakingIgnore::WithReason {
                continue;
            }
            let mut d = Diagnostic::new(
                rule,
                meta.map(|m| m.display_path.clone()).unwrap_or_default(),
                f.message,
            );
            // Buf reports whole-file and place-less findings at 1:1.
            // The whole file's span starts at its first token, not at 1:1.
            let at = if f.at.is_empty() { &f.element } else { &f.at };
            let location = if at.is_empty() {
                None
            } else {
                index.location(at).or_else(|| index.location(&f.element))
            }
            .unwrap_or(schemactl_diagnostics::Location::point(1, 1));
            d = d.with_location(location);
            for related in f.related {
                d = d.with_related(related);
            }
            if ignore == BreakingIgnore::NoReason {
                d = d.with_help(format!(
                    "an inline breaking ignore needs a reason: `// schemactl:breaking:ignore {rule} -- why this break is safe`"
                ));
            }
            out.push(d);
        }
    }
    out.sort_by(|a, b| {
        (&a.path, a.location, &a.rule, &a.message).cmp(&(&b.path, b.location, &b.rule, &b.message))
    });
    out.dedup();
    out
}

impl PairCx<'_> {
    /// Beyond Buf: where a message or enum that left its file went, when it
    /// moved to another current file of the same package. Returns the
    /// current file and a related location for the finding.
    pub fn moved_to(
        &self,
        full_name: &str,
        from_file: &str,
    ) -> Option<(String, schemactl_diagnostics::Related)> {
        let (file, path) = if let Some(m) = self.current_message(full_name) {
            (m.parent_file(), m.path().to_vec())
        } else {
            let e = self.current_enum(full_name)?;
            (e.parent_file(), e.path().to_vec())
        };
        if file.name() == from_file {
            return None;
        }
        let meta = self.current.file(file.name())?;
        let index = SourceIndex::new(self.current.source_info(file.name()));
        let related = schemactl_diagnostics::Related {
            path: meta.display_path.clone(),
            location: index.location(&path),
            message: format!("\"{full_name}\" is now here"),
        };
        Some((file.name().to_owned(), related))
    }

    /// Whether a parent message of `full_name` (in the previous file) moved
    /// to another file: its nested types moved with it and are not reported
    /// again.
    pub fn parent_moved(&self, full_name: &str, package: &str, from_file: &str) -> bool {
        let nested = Self::nested_name(full_name, package);
        let mut scope = nested;
        while let Some((parent, _)) = scope.rsplit_once('.') {
            let parent_full = if package.is_empty() {
                parent.to_owned()
            } else {
                format!("{package}.{parent}")
            };
            if self.moved_to(&parent_full, from_file).is_some() {
                return true;
            }
            scope = parent;
        }
        false
    }
}
