//! The check policy: one entry point, [`run`], one [`Report`].

use std::path::Path;

use schemactl_compile::{Sources, Text};
use schemactl_config::RuleSeverity;
use schemactl_diagnostics::{Diagnostic, Severity};
use schemactl_rules::Subject;
use schemactl_rules::breaking::Imports;
use schemactl_rules::diff::DiffSummary;

use crate::load::{DefaultAgainst, Loaded, default_against, load_against};
use crate::{Baseline, CheckError, PathFilter};

/// What to compare the input against for breaking changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Against {
    /// No breaking check.
    Nothing,
    /// This input: a directory, an image, Buf's `.git#ref=` form, or a git
    /// ref of the repository holding the input.
    Given(String),
    /// The latest release tag reachable from HEAD. When there is none the
    /// check is skipped with a [`Notice::BreakingSkipped`]; when the input is
    /// not in a git repository that is an error if `required`, else a
    /// skip.
    LatestRelease { required: bool },
}

/// What to check. [`Request::default`] checks nothing but compilation.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The input's directory as the user wrote it: git refs to compare
    /// against are read from the repository holding it.
    pub input_dir: &'a str,
    /// Lint and TOPIC rules, with the configuration's severity overrides.
    pub lint: bool,
    pub against: Against,
    /// Breaking findings become warnings (a reviewed breaking change).
    pub allow_breaking: bool,
    /// Findings accepted earlier (`--baseline`), suppressed.
    pub baseline: Option<&'a Path>,
    /// Summarize the change against the previous side (with its bump).
    pub summary: bool,
    /// Regenerate and compare with the committed output (`generate
    /// --check`), following this (trusted) section.
    pub generate: Option<crate::generate::Generation<'a>>,
    /// Breaking compares only the input's own files, not the files they
    /// import (Buf's `--exclude-imports`; by default, as in Buf, imports
    /// are compared too).
    pub exclude_imports: bool,
    /// Check only these files (Buf's `--path` and `--exclude-path`), on
    /// both sides of a comparison; the others are still compiled where
    /// they are imported. `None`: every file.
    pub paths: Option<&'a PathFilter>,
}

impl Default for Request<'_> {
    fn default() -> Self {
        Request {
            input_dir: ".",
            lint: false,
            against: Against::Nothing,
            allow_breaking: false,
            baseline: None,
            summary: false,
            generate: None,
            exclude_imports: false,
            paths: None,
        }
    }
}

/// Progress the caller may show as it happens (the run may still fail
/// afterwards).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Breaking changes are compared against `reference`; `release` is the
    /// release tag when it was found by default.
    ComparingAgainst {
        reference: String,
        release: Option<String>,
    },
    /// No breaking check, and why (no release yet, a shallow clone, not a
    /// git repository).
    BreakingSkipped(String),
}

/// Everything a check found, for any renderer.
pub struct Report {
    /// The checked input, with its compilation (and the file texts findings
    /// point into). When it has compile errors nothing else ran.
    pub current: Loaded,
    /// What breaking changes were compared against, if they were.
    pub against: Option<String>,
    /// Lint, TOPIC and breaking findings with severities applied and the
    /// baseline's suppressed; in file order when lint and breaking both
    /// ran, else in each engine's order.
    pub findings: Vec<Diagnostic>,
    /// How many findings the baseline suppressed.
    pub suppressed: usize,
    /// Breaking findings at error level before `allow_breaking`: what
    /// decides a major bump.
    pub breaking_errors: usize,
    /// The change summary per topic and its semver bump, when asked for
    /// and compared.
    pub summary: Option<DiffSummary>,
    /// The `.proto` files that differ from the side compared against, with
    /// both texts, when a summary was asked for and compared (sorted by
    /// path). Only differing files are kept; the texts are shared with the
    /// compilations, not copied.
    pub changed_files: Vec<ChangedFile>,
    /// Which checks ran (a renderer says "skipped" for the others).
    pub ran: Ran,
}

/// Which checks of a [`Report`] ran. Breaking changes ran when
/// [`Report::against`] is set; nothing ran when the input did not compile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ran {
    /// Lint and TOPIC rules.
    pub lint: bool,
    /// The freshness check of generated code.
    pub generate: bool,
}

/// A `.proto` file that differs between the side compared against and the
/// input.
#[derive(Debug, Clone)]
pub struct ChangedFile {
    /// The path as the input's findings show it (the input directory as
    /// given, joined with the file's path inside it).
    pub path: String,
    /// The text on the side compared against; `None`: the file is new.
    pub before: Option<Text>,
    /// The text in the input; `None`: the file was deleted.
    pub after: Option<Text>,
}

impl Report {
    /// Whether the input compiled (if not, its diagnostics are in
    /// `current.compilation` and no rule ran).
    pub fn compiled(&self) -> bool {
        self.current.compilation.diagnostics.is_empty()
    }

    /// Findings at error level: they fail the check.
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|d| d.is_error()).count()
    }
}

/// Run the check policy on a loaded input.
pub fn run(
    current: Loaded,
    request: &Request<'_>,
    notify: &mut dyn FnMut(Notice),
) -> Result<Report, CheckError> {
    let mut current = current;
    if let Some(filter) = request.paths {
        current.select(filter)?;
    }
    let mut report = Report {
        current,
        against: None,
        findings: Vec::new(),
        suppressed: 0,
        breaking_errors: 0,
        summary: None,
        changed_files: Vec::new(),
        ran: Ran::default(),
    };
    if !report.compiled() {
        return Ok(report);
    }
    let current = &report.current;
    let mut findings = if request.lint {
        lint(current)?
    } else {
        Vec::new()
    };
    let against = match &request.against {
        Against::Nothing => None,
        Against::Given(against) => {
            notify(Notice::ComparingAgainst {
                reference: against.clone(),
                release: None,
            });
            Some(against.clone())
        }
        Against::LatestRelease { required } => {
            match default_against(request.input_dir, &current.config.release.tag_prefix)? {
                // The full name: a directory that happens to be called
                // `v1.0.0` must not make the default ambiguous.
                DefaultAgainst::Release(tag) => {
                    let reference = format!("refs/tags/{tag}");
                    notify(Notice::ComparingAgainst {
                        reference: reference.clone(),
                        release: Some(tag),
                    });
                    Some(reference)
                }
                DefaultAgainst::Skipped(why) => {
                    notify(Notice::BreakingSkipped(why));
                    None
                }
                DefaultAgainst::NoRepository if *required => {
                    return Err(CheckError::NoRepository(request.input_dir.to_owned()));
                }
                DefaultAgainst::NoRepository => {
                    notify(Notice::BreakingSkipped(
                        CheckError::NoRepository(request.input_dir.to_owned()).to_string(),
                    ));
                    None
                }
            }
        }
    };
    if let Some(reference) = &against {
        let mut previous = load_against(reference, request.input_dir)?;
        if let Some(filter) = request.paths {
            previous.select_files(filter)?;
        }
        same_modules(current, &previous)?;
        let imports = if request.exclude_imports {
            Imports::Exclude
        } else {
            Imports::Compare
        };
        let mut breaking = breaking(&previous, current, imports)?;
        report.breaking_errors = breaking.iter().filter(|d| d.is_error()).count();
        if request.summary {
            report.summary = Some(schemactl_rules::diff::diff(
                previous.compiled()?,
                &previous.config,
                current.compiled()?,
                &current.config,
                report.breaking_errors,
            ));
            report.changed_files = changed_files(&previous, current, request.paths);
        }
        if request.allow_breaking {
            for finding in &mut breaking {
                finding.severity = Severity::Warning;
            }
        }
        findings.extend(breaking);
    }
    if request.paths.is_some() {
        // The catalog's findings are about topics, not the files checked:
        // the rules only see the selected files, so a topic whose message
        // is elsewhere would seem to name nothing.
        let config = current.config_display_path();
        findings.retain(|d| !(d.rule.starts_with("TOPIC_") && d.path == config));
    }
    if let Some(generation) = &request.generate {
        findings.extend(schemactl_codegen::check(
            current.compiled()?,
            generation.config,
            generation.options,
        )?);
    }
    if let Some(path) = request.baseline {
        let before = findings.len();
        findings = Baseline::read(path)?.apply(findings);
        report.suppressed = before - findings.len();
    }
    if request.lint && request.against != Against::Nothing {
        findings.sort_by(Diagnostic::buf_order);
    }
    report.findings = findings;
    report.against = against;
    report.ran = Ran {
        lint: request.lint,
        generate: request.generate.is_some(),
    };
    Ok(report)
}

/// The `.proto` files whose text differs between the two sides, keyed by
/// their path inside each side's directory (the two sides may be read from
/// different directories).
fn changed_files(
    previous: &Loaded,
    current: &Loaded,
    paths: Option<&PathFilter>,
) -> Vec<ChangedFile> {
    let inside = |loaded: &Loaded| {
        let sources: &Sources = &loaded.compilation.sources;
        sources
            .iter()
            .filter(|(path, _)| path.ends_with(".proto"))
            .filter(|(path, _)| paths.is_none_or(|f| f.picks(loaded.relative_path(path))))
            .map(|(path, text)| (loaded.relative_path(path).to_owned(), text.clone()))
            .collect::<std::collections::BTreeMap<String, Text>>()
    };
    let (mut before, after) = (inside(previous), inside(current));
    let mut changed = Vec::new();
    for (relative, text) in after {
        let old = before.remove(&relative);
        if old.as_deref() != Some(&*text) {
            changed.push(ChangedFile {
                path: schemactl_config::display_path(&current.display_dir, &relative),
                before: old,
                after: Some(text),
            });
        }
    }
    for (relative, text) in before {
        changed.push(ChangedFile {
            path: schemactl_config::display_path(&current.display_dir, &relative),
            before: Some(text),
            after: None,
        });
    }
    changed.sort_by(|a, b| a.path.cmp(&b.path));
    changed
}

/// Refuse, as Buf does, two sides with different numbers of modules: Buf
/// builds an image per module and compares them pairwise, each with its
/// module's breaking settings. An input with more modules than the other
/// side is compared when its modules share one breaking configuration and
/// each module of the other side has a file in a distinct module of the
/// input (Buf then skips the input's new modules; the rules see those as
/// new files, which no rule reports).
fn same_modules(current: &Loaded, previous: &Loaded) -> Result<(), CheckError> {
    let (input, against) = (current.targets.len(), previous.targets.len());
    if input == against {
        return Ok(());
    }
    let breaking = |i: usize| {
        let config = &current.config;
        config
            .modules
            .get(i)
            .and_then(|m| m.breaking.as_ref())
            .unwrap_or(&config.breaking)
    };
    let own_settings = current
        .targets
        .windows(2)
        .any(|w| breaking(w[0]) != breaking(w[1]));
    let refused = CheckError::ModuleCount {
        input,
        against,
        own_settings: input > against && own_settings,
    };
    if input < against || own_settings {
        return Err(refused);
    }
    // Buf's pairing: each input module, in order, takes the first module of
    // the other side not yet taken that has one of its files.
    let files = |loaded: &Loaded, module: usize| -> Vec<String> {
        let Some(root) = loaded.config.modules.get(module).map(|m| m.path.as_str()) else {
            return Vec::new();
        };
        loaded.image().map_or_else(Vec::new, |image| {
            image
                .input_files()
                .filter(|f| schemactl_config::workspace::contains(root, &f.input_path))
                .map(|f| f.name.clone())
                .collect()
        })
    };
    let theirs: Vec<Vec<String>> = previous
        .targets
        .iter()
        .map(|&m| files(previous, m))
        .collect();
    let mut taken = vec![false; theirs.len()];
    let mut paired = 0;
    for &module in &current.targets {
        let ours = files(current, module);
        let found = ours
            .iter()
            .find_map(|name| (0..theirs.len()).find(|&j| !taken[j] && theirs[j].contains(name)));
        if let Some(j) = found {
            taken[j] = true;
            paired += 1;
        }
    }
    if paired == against {
        Ok(())
    } else {
        Err(refused)
    }
}

/// What the rules see of one side.
fn subject<'a>(loaded: &'a Loaded, config_path: &'a str) -> Result<Subject<'a>, CheckError> {
    Ok(Subject {
        image: loaded.compiled()?,
        config: &loaded.config,
        config_path,
    })
}

/// Lint and TOPIC rules over the input, with the configuration's severity
/// overrides.
fn lint(current: &Loaded) -> Result<Vec<Diagnostic>, CheckError> {
    let config_path = current.config_display_path();
    let mut findings =
        schemactl_rules::lint::lint(&subject(current, &config_path)?).map_err(|source| {
            CheckError::Rules {
                config: config_path.clone(),
                source,
            }
        })?;
    for finding in &mut findings {
        if current.config.lint.severity.get(&finding.rule) == Some(&RuleSeverity::Warn) {
            finding.severity = Severity::Warning;
        }
    }
    Ok(findings)
}

/// Breaking and TOPIC breaking findings of `current` against `previous`,
/// selected by the current configuration (imports compared or not).
fn breaking(
    previous: &Loaded,
    current: &Loaded,
    imports: Imports,
) -> Result<Vec<Diagnostic>, CheckError> {
    let (previous_path, current_path) = (
        previous.config_display_path(),
        current.config_display_path(),
    );
    schemactl_rules::breaking::breaking_with(
        &subject(previous, &previous_path)?,
        &subject(current, &current_path)?,
        imports,
    )
    .map_err(|source| CheckError::Rules {
        config: current_path.clone(),
        source: source.into(),
    })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use schemactl_rules::diff::Bump;
    use schemactl_source::InputSpec;

    use super::*;
    use crate::load;

    fn example() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read_dir") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }

    /// The example repository with one field removed from `user_created`
    /// (a breaking change) and one lint finding (a message without a
    /// comment).
    fn changed_example(dir: &Path) -> PathBuf {
        let changed = dir.join("schemas");
        copy_dir(&example(), &changed);
        let file = changed.join("proto/acme/identity/v1/user_created.proto");
        let text = std::fs::read_to_string(&file).expect("read");
        let field = text
            .lines()
            .find(|l| l.trim_start().starts_with("string email"))
            .expect("the example has an email field")
            .to_owned();
        let text = text.replace(&format!("{field}\n"), "") + "\nmessage Undocumented {}\n";
        std::fs::write(&file, text).expect("write");
        changed
    }

    fn load_dir(dir: &Path) -> Loaded {
        let spec = InputSpec::parse(&dir.display().to_string(), None).expect("spec");
        load(&spec, None).expect("loads")
    }

    #[test]
    fn one_report_holds_lint_breaking_and_the_bump() {
        let tmp = tempfile::tempdir().expect("tmp");
        let changed = changed_example(tmp.path());
        let previous = example().display().to_string();
        let mut notices = Vec::new();
        let request = Request {
            input_dir: &previous,
            lint: true,
            against: Against::Given(previous.clone()),
            summary: true,
            ..Request::default()
        };
        let report =
            run(load_dir(&changed), &request, &mut |n| notices.push(n)).expect("the check runs");
        assert!(report.compiled());
        let rules: Vec<&str> = report.findings.iter().map(|d| d.rule.as_str()).collect();
        assert!(rules.contains(&"COMMENT_MESSAGE"), "{rules:?}");
        assert!(rules.contains(&"FIELD_NO_DELETE"), "{rules:?}");
        assert!(
            report
                .findings
                .windows(2)
                .all(|w| (&w[0].path, w[0].location) <= (&w[1].path, w[1].location)),
            "lint and breaking findings are merged in file order"
        );
        assert!(report.breaking_errors > 0);
        let summary = report.summary.as_ref().expect("a summary");
        assert_eq!(summary.bump, Bump::Major);
        assert_eq!(
            notices,
            [Notice::ComparingAgainst {
                reference: previous,
                release: None
            }]
        );
    }

    #[test]
    fn the_report_keeps_the_changed_files_with_both_texts() {
        let tmp = tempfile::tempdir().expect("tmp");
        let changed = changed_example(tmp.path());
        std::fs::remove_file(changed.join("proto/acme/cdn/v1/cache_purged.proto")).expect("rm");
        let extra = "syntax = \"proto3\";\n\npackage acme.extra.v1;\n\n// New.\nmessage Extra {}\n";
        std::fs::create_dir_all(changed.join("proto/acme/extra/v1")).expect("mkdir");
        std::fs::write(changed.join("proto/acme/extra/v1/extra.proto"), extra).expect("write");
        let previous = example().display().to_string();
        let request = Request {
            input_dir: &previous,
            against: Against::Given(previous.clone()),
            summary: true,
            ..Request::default()
        };
        let report = run(load_dir(&changed), &request, &mut |_| {}).expect("runs");
        let dir = changed.display().to_string();
        let files: Vec<(String, bool, bool)> = report
            .changed_files
            .iter()
            .map(|f| (f.path.clone(), f.before.is_some(), f.after.is_some()))
            .collect();
        assert_eq!(
            files,
            [
                (
                    format!("{dir}/proto/acme/cdn/v1/cache_purged.proto"),
                    true,
                    false
                ),
                (
                    format!("{dir}/proto/acme/extra/v1/extra.proto"),
                    false,
                    true
                ),
                (
                    format!("{dir}/proto/acme/identity/v1/user_created.proto"),
                    true,
                    true
                ),
            ]
        );
        let edited = &report.changed_files[2];
        assert!(
            edited
                .before
                .as_deref()
                .expect("before")
                .contains("string email")
        );
        assert!(
            !edited
                .after
                .as_deref()
                .expect("after")
                .contains("string email")
        );

        // Without a summary, nothing is kept.
        let request = Request {
            summary: false,
            ..request
        };
        let report = run(load_dir(&changed), &request, &mut |_| {}).expect("runs");
        assert!(report.changed_files.is_empty());
    }

    #[test]
    fn allow_breaking_keeps_the_bump_but_not_the_errors() {
        let tmp = tempfile::tempdir().expect("tmp");
        let changed = changed_example(tmp.path());
        let previous = example().display().to_string();
        let request = Request {
            input_dir: &previous,
            against: Against::Given(previous.clone()),
            allow_breaking: true,
            summary: true,
            ..Request::default()
        };
        let report = run(load_dir(&changed), &request, &mut |_| {}).expect("runs");
        assert_eq!(report.errors(), 0);
        assert!(!report.findings.is_empty());
        assert!(report.breaking_errors > 0);
        assert_eq!(report.summary.expect("summary").bump, Bump::Major);
    }

    #[test]
    fn a_baseline_suppresses_what_it_lists_and_counts_it() {
        let tmp = tempfile::tempdir().expect("tmp");
        let changed = changed_example(tmp.path());
        let request = Request {
            input_dir: ".",
            lint: true,
            ..Request::default()
        };
        let all = run(load_dir(&changed), &request, &mut |_| {}).expect("runs");
        let first = &all.findings[0];
        let baseline = tmp.path().join("baseline.json");
        let line = serde_json::json!({
            "path": first.path, "type": first.rule, "message": first.message
        });
        std::fs::write(&baseline, format!("{line}\n")).expect("write");
        let request = Request {
            baseline: Some(&baseline),
            ..request
        };
        let report = run(load_dir(&changed), &request, &mut |_| {}).expect("runs");
        assert_eq!(report.suppressed, 1);
        assert_eq!(report.findings.len(), all.findings.len() - 1);
    }

    #[test]
    fn without_a_repository_the_latest_release_is_skipped_or_required() {
        let tmp = tempfile::tempdir().expect("tmp");
        let changed = changed_example(tmp.path());
        let dir = changed.display().to_string();
        let mut notices = Vec::new();
        let request = Request {
            input_dir: &dir,
            against: Against::LatestRelease { required: false },
            ..Request::default()
        };
        let report = run(load_dir(&changed), &request, &mut |n| notices.push(n)).expect("runs");
        assert_eq!(report.against, None);
        assert!(
            matches!(&notices[..], [Notice::BreakingSkipped(why)] if why.contains("not in a git repository")),
            "{notices:?}"
        );
        let request = Request {
            against: Against::LatestRelease { required: true },
            ..request
        };
        let err = run(load_dir(&changed), &request, &mut |_| {})
            .err()
            .expect("an error");
        assert!(matches!(err, CheckError::NoRepository(_)), "{err}");
        assert!(err.hint().is_some());
    }

    #[test]
    fn an_input_that_does_not_compile_is_reported_not_checked() {
        let tmp = tempfile::tempdir().expect("tmp");
        let changed = changed_example(tmp.path());
        std::fs::write(
            changed.join("proto/broken.proto"),
            "syntax = \"proto3\";\nmessage {",
        )
        .expect("write");
        let request = Request {
            lint: true,
            ..Request::default()
        };
        let report = run(load_dir(&changed), &request, &mut |_| {}).expect("runs");
        assert!(!report.compiled());
        assert!(report.findings.is_empty());
    }
}
