//! The body of a pull request comment: a check [`Report`] as GitHub
//! Markdown, most important first, cut to fit GitHub's limit.
//!
//! The body holds, in order: a one-line verdict with the compared ref; a
//! status table (compile, lint, TOPIC, breaking, generated code); a note
//! when something was cut; the findings grouped by file, linked to the
//! lines at the head commit; the change summary per topic with its semver
//! bump; a unified diff of every changed `.proto` file in a collapsible
//! section.
//!
//! Everything that comes from the pull request (messages, paths, names,
//! file texts) is escaped for where it lands: no raw HTML, and nothing can
//! close a table, a code span, a fence or a tag early.
//!
//! Fitting the limit: every part is rendered whole, then the least
//! important parts are dropped until the body fits: first the diffs,
//! largest first (each replaced by a one-line note), then findings beyond
//! the first few per file and in total, then the detail of the change
//! summary. The verdict and the status table always stay. Nothing is cut
//! inside a fence, a table or a tag.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use schemactl_diagnostics::Diagnostic;
use schemactl_rules::{Category, RuleKind, find_rule};

use super::{Detail, code, escape_html, longest_backtick_run, markdown_detail};
use crate::{ChangedFile, Report};

/// GitHub's limit on the body of a comment, in characters.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// What the poster of the comment adds to the body (its hidden marker and
/// head commit metadata), kept free by [`CommentOptions::default`].
pub const MARKER_RESERVE: usize = 1_024;

/// Longest message shown for a finding, in characters (the rest is cut
/// with `…`); only its first line is shown.
const MESSAGE_CHARS: usize = 500;

/// Files larger than this (either side) are not diffed: their section
/// says so.
const DIFF_INPUT_BYTES: usize = 1 << 20;

/// Where the lines of the head commit are on GitHub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// `https://github.com`, or a GitHub Enterprise server.
    pub server_url: String,
    /// `OWNER/NAME`.
    pub repo: String,
    /// The head commit the links point at.
    pub sha: String,
    /// The input directory relative to the repository's top, `/`-separated,
    /// empty for the top (`schemas`).
    pub input_prefix: String,
}

impl Links {
    /// The address of `path` (a path inside the input directory) at the
    /// head commit, at `line` if given.
    fn url(&self, path: &str, line: Option<u32>) -> String {
        let full = if self.input_prefix.is_empty() {
            path.to_owned()
        } else {
            format!("{}/{path}", self.input_prefix.trim_end_matches('/'))
        };
        let anchor = line.map(|l| format!("#L{l}")).unwrap_or_default();
        format!(
            "{}/{}/blob/{}/{}{anchor}",
            self.server_url.trim_end_matches('/'),
            percent_encode(&self.repo),
            percent_encode(&self.sha),
            percent_encode(&full)
        )
    }
}

/// How to render the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentOptions {
    /// Links to the lines at the head commit; `None`: no links.
    pub links: Option<Links>,
    /// The most characters the body may have.
    pub limit: usize,
}

impl Default for CommentOptions {
    fn default() -> Self {
        CommentOptions {
            links: None,
            limit: GITHUB_COMMENT_LIMIT - MARKER_RESERVE,
        }
    }
}

/// The kinds of check the status table has a row for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Compile,
    Lint,
    Topic,
    Breaking,
    Generated,
}

/// Which check a finding comes from, by its rule ID.
fn kind(finding: &Diagnostic) -> Kind {
    match finding.rule.as_str() {
        "COMPILE" | "CONFIG" => Kind::Compile,
        // `schemactl_codegen::check`'s findings: stale output, a plugin
        // that failed, a package that could not be built.
        "GENERATE_STALE" | "PLUGIN" | "PACKAGE" => Kind::Generated,
        id => match find_rule(id) {
            Some(rule) if rule.categories.contains(&Category::Topic) => Kind::Topic,
            Some(rule) if rule.kind == RuleKind::Breaking => Kind::Breaking,
            _ => Kind::Lint,
        },
    }
}

/// The body of the pull request comment for `report`, at most
/// `options.limit` characters (unless the verdict and the status table
/// alone are longer: they always stay).
pub fn pull_request_comment(report: &Report, options: &CommentOptions) -> String {
    let parts = Parts::new(report, options);
    parts.fit(options.limit)
}

/// A diff section, rendered whole, and its one-line replacement.
struct DiffPart {
    full: String,
    full_chars: usize,
    note: String,
    note_chars: usize,
    /// Too large to show at all: only the note is ever shown.
    oversized: bool,
}

/// What [`Parts::fit`] cuts.
#[derive(Clone)]
struct Cut {
    /// Per diff: replaced by its note.
    diffs: Vec<bool>,
    /// An index into [`FINDING_LEVELS`].
    findings: usize,
    /// An index into [`DETAIL_LEVELS`].
    detail: usize,
}

fn with_chars(s: String) -> (String, usize) {
    let n = chars(&s);
    (s, n)
}

/// Every part of the body, rendered once; [`Parts::fit`] chooses which to
/// keep.
struct Parts<'a> {
    head: String,
    /// Findings (or compile errors) by file, in order.
    by_file: Vec<(&'a str, Vec<&'a Diagnostic>)>,
    total_findings: usize,
    report: &'a Report,
    links: Option<&'a Links>,
    diffs: Vec<DiffPart>,
}

/// How many findings to show: per file, in total.
const FINDING_LEVELS: [(usize, usize); 9] = [
    (usize::MAX, usize::MAX),
    (200, 1_000),
    (100, 500),
    (50, 250),
    (20, 200),
    (10, 100),
    (5, 50),
    (1, 20),
    (0, 0),
];

const DETAIL_LEVELS: [Detail; 3] = [Detail::Full, Detail::Topics, Detail::Bump];

impl<'a> Parts<'a> {
    fn new(report: &'a Report, options: &'a CommentOptions) -> Self {
        let shown: &'a [Diagnostic] = if report.compiled() {
            &report.findings
        } else {
            &report.current.compilation.diagnostics
        };
        let mut files: BTreeMap<&'a str, Vec<&'a Diagnostic>> = BTreeMap::new();
        for finding in shown {
            files
                .entry(finding.path.as_str())
                .or_default()
                .push(finding);
        }
        let mut head = verdict(report, options.links.as_ref());
        head.push_str(&status_table(report));
        let diffs = report
            .changed_files
            .iter()
            .map(|file| diff_part(file, options.limit))
            .collect();
        Parts {
            head,
            by_file: files.into_iter().collect(),
            total_findings: shown.len(),
            report,
            links: options.links.as_ref(),
            diffs,
        }
    }

    /// The body with the most that fits in `limit`.
    fn fit(&self, limit: usize) -> String {
        let findings: Vec<(String, usize)> = FINDING_LEVELS
            .iter()
            .map(|&level| with_chars(self.findings(level)))
            .collect();
        let summaries: Vec<(String, usize)> = DETAIL_LEVELS
            .iter()
            .map(|&detail| with_chars(self.summary(detail)))
            .collect();
        let fixed = chars(&self.head) + chars(&self.diffs_heading());
        let size = |state: &Cut| {
            let diffs: usize = self
                .diffs
                .iter()
                .zip(&state.diffs)
                .map(|(d, &cut)| if cut { d.note_chars } else { d.full_chars })
                .sum();
            fixed
                + chars(&self.cut_note(state))
                + findings[state.findings].1
                + summaries[state.detail].1
                + diffs
        };
        let mut state = Cut {
            diffs: self.diffs.iter().map(|d| d.oversized).collect(),
            findings: 0,
            detail: 0,
        };
        // The diffs, largest first, one at a time; then fewer findings;
        // then less of the change summary.
        let mut by_size: Vec<usize> = (0..self.diffs.len()).collect();
        by_size.sort_by_key(|&i| std::cmp::Reverse(self.diffs[i].full_chars));
        let mut next_drop = 0;
        while size(&state) > limit {
            if let Some(&i) = by_size.get(next_drop) {
                state.diffs[i] = true;
                next_drop += 1;
            } else if state.findings + 1 < FINDING_LEVELS.len() {
                state.findings += 1;
            } else if state.detail + 1 < DETAIL_LEVELS.len() {
                state.detail += 1;
            } else {
                break;
            }
        }
        // A later cut may have made room for what an earlier one took:
        // give back findings, then diffs (smallest first), while it fits.
        while state.findings > 0 {
            let more = Cut {
                findings: state.findings - 1,
                ..state.clone()
            };
            if size(&more) > limit {
                break;
            }
            state = more;
        }
        for &i in by_size.iter().rev() {
            if state.diffs[i] && !self.diffs[i].oversized {
                let mut more = state.clone();
                more.diffs[i] = false;
                if size(&more) <= limit {
                    state = more;
                }
            }
        }
        let mut out = String::new();
        out.push_str(&self.head);
        out.push_str(&self.cut_note(&state));
        out.push_str(&findings[state.findings].0);
        out.push_str(&summaries[state.detail].0);
        out.push_str(&self.diffs_heading());
        for (diff, &cut) in self.diffs.iter().zip(&state.diffs) {
            out.push_str(if cut { &diff.note } else { &diff.full });
        }
        out
    }

    fn diffs_heading(&self) -> String {
        if self.diffs.is_empty() {
            String::new()
        } else {
            format!("\n### Changed `.proto` files ({})\n\n", self.diffs.len())
        }
    }

    /// The visible note on what was cut, empty when nothing was.
    fn cut_note(&self, state: &Cut) -> String {
        let mut cut = Vec::new();
        let (finding_level, detail_level) = (state.findings, state.detail);
        let diffs = state.diffs.iter().filter(|cut| **cut).count();
        if finding_level > 0 {
            let (per_file, total) = FINDING_LEVELS[finding_level];
            let shown = self
                .by_file
                .iter()
                .map(|(_, f)| f.len().min(per_file))
                .sum::<usize>()
                .min(total);
            cut.push(format!(
                "{} of {} findings",
                self.total_findings - shown,
                self.total_findings
            ));
        }
        if diffs > 0 {
            cut.push(format!("{diffs} of {} file diffs", self.diffs.len()));
        }
        match DETAIL_LEVELS[detail_level] {
            Detail::Full => {}
            Detail::Topics => cut.push("the table of every change".to_owned()),
            Detail::Bump => cut.push("the list of changes".to_owned()),
        }
        if cut.is_empty() {
            return String::new();
        }
        format!(
            "\n> [!NOTE]\n> This comment was shortened to fit GitHub's limit of 65,536 \
             characters: {} not shown. Run `schemactl check` locally, or open this run's job \
             summary, to see everything.\n",
            cut.join(", ")
        )
    }

    /// The findings section with at most `per_file` findings per file and
    /// `total` in all.
    fn findings(&self, (per_file, total): (usize, usize)) -> String {
        if self.by_file.is_empty() {
            return String::new();
        }
        let title = if self.report.compiled() {
            "Findings"
        } else {
            "Compile errors"
        };
        let mut out = format!("\n### {title} ({})\n", self.total_findings);
        if total == 0 {
            let _ = writeln!(
                out,
                "\n{} findings in {} files, not shown here.",
                self.total_findings,
                self.by_file.len()
            );
            return out;
        }
        let mut left = total;
        let mut hidden_files = 0;
        let mut hidden_findings = 0;
        for (path, findings) in &self.by_file {
            if left == 0 {
                hidden_files += 1;
                hidden_findings += findings.len();
                continue;
            }
            let relative = self.relative(path);
            let name = match (self.links, &relative) {
                (Some(links), Some(relative)) => {
                    format!("[{}]({})", escape_inline(path), links.url(relative, None))
                }
                _ => escape_inline(path),
            };
            let _ = writeln!(out, "\n**{name}**\n");
            let show = findings.len().min(per_file).min(left);
            for finding in &findings[..show] {
                out.push_str(&self.finding_line(finding, relative.as_deref()));
            }
            left -= show;
            if show < findings.len() {
                let _ = writeln!(out, "- … and {} more in this file", findings.len() - show);
            }
        }
        if hidden_files > 0 {
            let _ = writeln!(
                out,
                "\n… and {hidden_findings} more findings in {hidden_files} more files."
            );
        }
        out
    }

    fn finding_line(&self, finding: &Diagnostic, relative: Option<&str>) -> String {
        let position = finding
            .location
            .map(|l| format!("{}:{}", l.start_line, l.start_column));
        let position = match (position, self.links, relative) {
            (Some(position), Some(links), Some(relative)) => {
                let line = finding.location.map(|l| l.start_line);
                format!("[`{position}`]({}) ", links.url(relative, line))
            }
            (Some(position), _, _) => format!("`{position}` "),
            (None, _, _) => String::new(),
        };
        format!(
            "- {position}{} {}: {}\n",
            code(&finding.rule),
            finding.severity.as_str(),
            escape_inline(&first_line(&finding.message))
        )
    }

    /// A finding's path inside the input directory, if it can be linked.
    fn relative(&self, path: &str) -> Option<String> {
        // Generated code's findings are relative to the input already.
        let relative = self.report.current.relative_path(path);
        let relative = relative.strip_prefix("./").unwrap_or(relative);
        let linkable = !relative.is_empty()
            && !relative.starts_with('/')
            && !relative.split('/').any(|s| s == ".." || s == ".");
        linkable.then(|| relative.to_owned())
    }

    fn summary(&self, detail: Detail) -> String {
        match &self.report.summary {
            Some(summary) => format!("\n### Changes\n\n{}", markdown_detail(summary, detail)),
            None => String::new(),
        }
    }
}

/// The first line: the verdict and what was compared.
fn verdict(report: &Report, links: Option<&Links>) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut out = if report.compiled() {
        let errors = report.errors();
        let warnings = report.findings.len() - errors;
        let warnings = if warnings > 0 {
            format!(", {}", plural(warnings, "warning"))
        } else {
            String::new()
        };
        if errors > 0 {
            format!(
                "### ❌ schemactl check: {}{warnings}",
                plural(errors, "error")
            )
        } else {
            format!("### ✅ schemactl check passes{warnings}")
        }
    } else {
        let errors = report
            .current
            .compilation
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count();
        format!(
            "### ❌ schemactl check: the schemas do not compile ({})",
            plural(errors, "error")
        )
    };
    out.push_str("\n\n");
    match &report.against {
        Some(against) => {
            let _ = write!(out, "Compared with {}", code(against));
        }
        None if report.compiled() => {
            out.push_str("No breaking-change check (nothing to compare with)")
        }
        None => out.push_str("Nothing was checked beyond compiling"),
    }
    if let Some(links) = links {
        let short: String = links.sha.chars().take(12).collect();
        let _ = write!(out, " at {}", code(&short));
    }
    out.push_str(".\n");
    out
}

/// The status table: one row per kind of check.
fn status_table(report: &Report) -> String {
    let mut counts: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    let shown = if report.compiled() {
        &report.findings
    } else {
        &report.current.compilation.diagnostics
    };
    for finding in shown {
        let count = counts.entry(kind(finding)).or_default();
        if finding.is_error() {
            count.0 += 1;
        } else {
            count.1 += 1;
        }
    }
    let compiled = report.compiled();
    let skipped = |ran: bool, why: &'static str| -> Option<&'static str> {
        if !compiled {
            Some("skipped: the schemas do not compile")
        } else if !ran {
            Some(why)
        } else {
            None
        }
    };
    let rows = [
        ("compile", Kind::Compile, None),
        ("lint", Kind::Lint, skipped(report.ran.lint, "skipped")),
        ("TOPIC", Kind::Topic, skipped(report.ran.lint, "skipped")),
        (
            "breaking",
            Kind::Breaking,
            skipped(report.against.is_some(), "skipped: nothing to compare with"),
        ),
        (
            "generated code",
            Kind::Generated,
            skipped(report.ran.generate, "skipped: nothing to generate"),
        ),
    ];
    let mut out = String::from("\n| Check | Status | Errors | Warnings |\n|---|---|--:|--:|\n");
    for (name, kind, skipped) in rows {
        let (errors, warnings) = counts.get(&kind).copied().unwrap_or_default();
        let _ = match skipped {
            Some(why) => writeln!(out, "| {name} | ⏭️ {why} | – | – |"),
            None => {
                let status = if errors > 0 {
                    "❌ failed"
                } else if warnings > 0 {
                    "⚠️ warnings"
                } else {
                    "✅ passed"
                };
                writeln!(out, "| {name} | {status} | {errors} | {warnings} |")
            }
        };
    }
    out
}

/// One file's diff section and its replacement note.
fn diff_part(file: &ChangedFile, limit: usize) -> DiffPart {
    let before = file.before.as_deref().unwrap_or("");
    let after = file.after.as_deref().unwrap_or("");
    let path_html = escape_html(&first_line(&file.path));
    let path_md = escape_inline(&file.path);
    let what = match (&file.before, &file.after) {
        (None, _) => " (new)",
        (_, None) => " (deleted)",
        _ => "",
    };
    let too_large = |note: &str| {
        let note = format!("- {path_md}{what}: {note}\n");
        let note_chars = chars(&note);
        DiffPart {
            full: note.clone(),
            full_chars: note_chars,
            note,
            note_chars,
            oversized: true,
        }
    };
    if before.len() > DIFF_INPUT_BYTES || after.len() > DIFF_INPUT_BYTES {
        return too_large("too large to show a diff here");
    }
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(2))
        .diff_lines(before, after);
    let (mut added, mut deleted) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Delete => deleted += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    let counts = format!("+{added} −{deleted}");
    let note = format!("- {path_md}{what} ({counts}): diff not shown\n");
    let note_chars = chars(&note);
    let unified = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
        .to_string();
    // Larger than the whole body may be: it would be dropped anyway.
    if unified.len() > limit.saturating_mul(4) || chars(&unified) > limit {
        return DiffPart {
            full: note.clone(),
            full_chars: note_chars,
            note,
            note_chars,
            oversized: true,
        };
    }
    let fence = "`".repeat(longest_backtick_run(&unified).max(2) + 1);
    let full = format!(
        "<details><summary>{path_html}{what} ({counts})</summary>\n\n{fence}diff\n{}\n{fence}\n\n</details>\n\n",
        unified.trim_end_matches('\n')
    );
    DiffPart {
        full_chars: chars(&full),
        full,
        note,
        note_chars,
        oversized: false,
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// The first line of `s`, at most [`MESSAGE_CHARS`] characters.
fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    let mut out: String = line.chars().take(MESSAGE_CHARS).collect();
    if out.len() < line.len() || s.lines().nth(1).is_some() {
        out.push('…');
    }
    out
}

/// Text that renders as itself in Markdown (inline): HTML's special
/// characters as entities, Markdown's punctuation backslash-escaped, line
/// breaks as spaces, and `@` kept from mentioning anyone.
pub(crate) fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // A word joiner: `@name` stays text, not a mention.
            '@' => out.push_str("@\u{2060}"),
            // Punctuation that means something inside a line (`:` starts
            // an autolink's scheme, `$` math); what means something only
            // at the start of a line (`-`, `+`, `=`) never starts one here.
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '~' | '!' | '{' | '}'
            | ':' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A path for a URL: unreserved characters and `/` as they are, the rest
/// percent-encoded.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use schemactl_compile::{Compilation, Sources, Text};
    use schemactl_config::Config;
    use schemactl_diagnostics::{Location, Severity};
    use schemactl_rules::diff::{Bump, Change, ChangeKind, DiffSummary, TopicChanges};

    use super::*;
    use crate::{Loaded, Ran};

    fn report(findings: Vec<Diagnostic>, compile_errors: Vec<Diagnostic>) -> Report {
        Report {
            current: Loaded {
                config: Config::buf_default(),
                display_dir: "schemas".to_owned(),
                config_dir: "schemas".to_owned(),
                compilation: Compilation {
                    image: None,
                    diagnostics: compile_errors,
                    sources: Sources::default(),
                },
                file_count: 1,
                targets: vec![0],
            },
            against: Some("refs/tags/v1.0.0".to_owned()),
            findings,
            suppressed: 0,
            breaking_errors: 0,
            summary: None,
            changed_files: Vec::new(),
            ran: Ran {
                lint: true,
                generate: false,
            },
        }
    }

    fn finding(rule: &str, path: &str, line: u32, message: &str) -> Diagnostic {
        Diagnostic::new(rule, path, message).with_location(Location::point(line, 3))
    }

    fn links() -> Links {
        Links {
            server_url: "https://github.example".to_owned(),
            repo: "acme/schemas".to_owned(),
            sha: "0123456789abcdef0123".to_owned(),
            input_prefix: "schemas".to_owned(),
        }
    }

    fn options(limit: usize) -> CommentOptions {
        CommentOptions {
            links: Some(links()),
            limit,
        }
    }

    fn summary() -> DiffSummary {
        let change = Change {
            kind: ChangeKind::Removed,
            element: "field",
            name: "acme.v1.Event.id".to_owned(),
            detail: None,
        };
        DiffSummary {
            bump: Bump::Major,
            breaking: 1,
            topics: vec![TopicChanges {
                topic: "acme.event.v1".to_owned(),
                message: "acme.v1.Event".to_owned(),
                changes: vec![change.clone()],
            }],
            changes: vec![change],
        }
    }

    fn changed(path: &str, before: &str, after: &str) -> ChangedFile {
        ChangedFile {
            path: path.to_owned(),
            before: Some(Text::from(before)),
            after: Some(Text::from(after)),
        }
    }

    /// The status table's row for `check`.
    fn row<'a>(body: &'a str, check: &str) -> &'a str {
        body.lines()
            .find(|l| l.starts_with(&format!("| {check} |")))
            .unwrap_or_else(|| panic!("no row for {check}:\n{body}"))
    }

    /// Fences and tags open and close in pairs.
    fn assert_balanced(body: &str) {
        assert_eq!(
            body.matches("<details>").count(),
            body.matches("</details>").count(),
            "{body}"
        );
        let fences = body.lines().filter(|l| l.starts_with("```")).count();
        assert_eq!(fences % 2, 0, "{body}");
    }

    #[test]
    fn the_table_counts_each_kind_of_check() {
        let mut warning = finding("FIELD_LOWER_SNAKE_CASE", "schemas/b.proto", 4, "w");
        warning.severity = Severity::Warning;
        let report = report(
            vec![
                finding("COMMENT_MESSAGE", "schemas/a.proto", 2, "undocumented"),
                finding("FIELD_NO_DELETE", "schemas/a.proto", 7, "deleted"),
                finding("TOPIC_NO_DELETE", "schememas.yaml", 1, "topic deleted"),
                warning,
            ],
            Vec::new(),
        );
        let body = pull_request_comment(&report, &options(65_000));
        assert!(
            body.starts_with("### ❌ schemactl check: 3 errors, 1 warning\n"),
            "{body}"
        );
        assert!(body.contains("Compared with `refs/tags/v1.0.0` at `0123456789ab`."));
        assert_eq!(row(&body, "compile"), "| compile | ✅ passed | 0 | 0 |");
        assert_eq!(row(&body, "lint"), "| lint | ❌ failed | 1 | 1 |");
        assert_eq!(row(&body, "TOPIC"), "| TOPIC | ❌ failed | 1 | 0 |");
        assert_eq!(row(&body, "breaking"), "| breaking | ❌ failed | 1 | 0 |");
        assert_eq!(
            row(&body, "generated code"),
            "| generated code | ⏭️ skipped: nothing to generate | – | – |"
        );
        assert!(!body.contains("shortened"), "{body}");
    }

    #[test]
    fn findings_are_grouped_by_file_and_link_to_the_head_commit() {
        let report = report(
            vec![
                finding("COMMENT_MESSAGE", "schemas/proto/a b.proto", 2, "one"),
                finding("FIELD_NO_DELETE", "schemas/proto/a b.proto", 7, "two"),
                finding("COMMENT_FIELD", "schemas/proto/c.proto", 9, "three"),
            ],
            Vec::new(),
        );
        let body = pull_request_comment(&report, &options(65_000));
        let base = "https://github.example/acme/schemas/blob/0123456789abcdef0123/schemas/proto";
        assert!(
            body.contains(&format!(
                "**[schemas/proto/a b.proto]({base}/a%20b.proto)**\n\n\
                 - [`2:3`]({base}/a%20b.proto#L2) `COMMENT_MESSAGE` error: one\n\
                 - [`7:3`]({base}/a%20b.proto#L7) `FIELD_NO_DELETE` error: two\n"
            )),
            "{body}"
        );
        assert!(
            body.contains(&format!("[`9:3`]({base}/c.proto#L9)")),
            "{body}"
        );
        let plain = pull_request_comment(&report, &CommentOptions::default());
        assert!(!plain.contains("https://"), "{plain}");
        assert!(
            plain.contains("- `2:3` `COMMENT_MESSAGE` error: one\n"),
            "{plain}"
        );
    }

    #[test]
    fn untrusted_text_is_escaped() {
        let message = "<img src=x onerror=alert(1)> | `x` @octocat\n</details>";
        let report = report(
            vec![finding("COMMENT_MESSAGE", "schemas/<b>.proto", 1, message)],
            Vec::new(),
        );
        let body = pull_request_comment(&report, &options(65_000));
        assert!(!body.contains("<img"), "{body}");
        assert!(!body.contains("<b>"), "{body}");
        assert!(!body.contains("@octocat"), "{body}");
        assert!(!body.contains("</details>"), "{body}");
        let line = body
            .lines()
            .find(|l| l.contains("COMMENT_MESSAGE"))
            .expect("the finding");
        assert!(
            line.ends_with("&lt;img src=x onerror=alert\\(1\\)&gt; \\| \\`x\\` @\u{2060}octocat…"),
            "{line}"
        );
    }

    #[test]
    fn a_changed_file_has_a_collapsed_diff_in_a_long_enough_fence() {
        let mut report = report(Vec::new(), Vec::new());
        report.summary = Some(summary());
        report.changed_files = vec![changed(
            "schemas/a.proto",
            "message A {}\n",
            "// ```` ticks\nmessage A {}\nmessage B {}\n",
        )];
        let body = pull_request_comment(&report, &options(65_000));
        assert!(
            body.starts_with("### ✅ schemactl check passes\n"),
            "{body}"
        );
        assert!(body.contains("**Semver bump: major** (1 breaking findings)"));
        assert!(body.contains("#### Topic `acme.event.v1` (`acme.v1.Event`)"));
        assert!(
            body.contains(
                "<details><summary>schemas/a.proto (+2 −0)</summary>\n\n`````diff\n\
                 --- a/schemas/a.proto\n+++ b/schemas/a.proto\n"
            ),
            "{body}"
        );
        assert!(body.contains("+// ```` ticks\n message A {}\n+message B {}\n`````\n"));
        assert_balanced(&body);
    }

    #[test]
    fn a_compile_failure_shows_the_errors() {
        let report = report(
            Vec::new(),
            vec![finding("COMPILE", "schemas/a.proto", 3, "expected `;`")],
        );
        let body = pull_request_comment(&report, &options(65_000));
        assert!(
            body.starts_with("### ❌ schemactl check: the schemas do not compile (1 error)\n"),
            "{body}"
        );
        assert_eq!(row(&body, "compile"), "| compile | ❌ failed | 1 | 0 |");
        assert!(row(&body, "lint").contains("skipped: the schemas do not compile"));
        assert!(body.contains("### Compile errors (1)"), "{body}");
        assert!(body.contains("`COMPILE` error: expected \\`;\\`"), "{body}");
    }

    /// A report of `files` changed files of about `lines` lines each, with
    /// `findings` findings per file.
    fn big(files: usize, lines: usize, findings: usize) -> Report {
        let mut all = Vec::new();
        let mut changed_files = Vec::new();
        for f in 0..files {
            let path = format!("schemas/proto/file_{f}.proto");
            for n in 0..findings {
                all.push(finding(
                    "COMMENT_FIELD",
                    &path,
                    n as u32 + 1,
                    "a field without a comment",
                ));
            }
            let before: String = (0..lines)
                .map(|n| format!("  string old_{n} = {n};\n"))
                .collect();
            let after: String = (0..lines + f)
                .map(|n| format!("  string new_{n} = {n};\n"))
                .collect();
            changed_files.push(changed(&path, &before, &after));
        }
        let mut report = report(all, Vec::new());
        report.summary = Some(summary());
        report.changed_files = changed_files;
        report
    }

    #[test]
    fn a_small_limit_drops_diffs_then_findings_never_the_table() {
        let report = big(6, 40, 30);
        let full = pull_request_comment(&report, &options(usize::MAX));
        assert!(!full.contains("shortened"));
        assert_eq!(full.matches("<details>").count(), 6);

        let limit = 6_000;
        let body = pull_request_comment(&report, &options(limit));
        assert!(body.chars().count() <= limit, "{}", body.chars().count());
        assert_balanced(&body);
        assert!(body.contains("| compile | ✅ passed |"), "{body}");
        assert!(body.contains("shortened to fit"), "{body}");
        assert!(
            body.contains("findings not shown") || body.contains("of 180 findings"),
            "{body}"
        );
        // Each cut diff has its note, the largest (most lines) first.
        let cut: usize = body
            .split(" of 6 file diffs")
            .next()
            .and_then(|s| s.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("diffs cut: {body}"));
        assert!(cut >= 1);
        assert_eq!(body.matches("diff not shown").count(), cut, "{body}");
        assert_eq!(body.matches("<details>").count(), 6 - cut, "{body}");
        assert!(
            body.contains("file\\_5.proto (+45 −40): diff not shown"),
            "{body}"
        );

        // A limit in between keeps some diffs, dropping the largest.
        let some = pull_request_comment(&report, &options(full.chars().count() - 1));
        assert!(some.contains("1 of 6 file diffs"), "{some}");
        assert!(
            some.contains("file\\_5.proto (+45 −40): diff not shown"),
            "{some}"
        );
        assert!(
            some.contains("<summary>schemas/proto/file_0.proto"),
            "{some}"
        );
    }

    #[test]
    fn a_report_over_70000_characters_fits_in_65536() {
        let report = big(30, 60, 20);
        let full = pull_request_comment(&report, &options(usize::MAX));
        assert!(full.chars().count() > 70_000, "{}", full.chars().count());
        let body = pull_request_comment(&report, &options(GITHUB_COMMENT_LIMIT));
        let count = body.chars().count();
        assert!(count <= GITHUB_COMMENT_LIMIT, "{count}");
        assert!(
            count > GITHUB_COMMENT_LIMIT / 2,
            "only what is needed is cut: {count}"
        );
        assert!(body.contains("shortened to fit"), "{body}");
        assert!(body.contains("**Semver bump: major**"), "{body}");
        assert!(body.contains("### Findings (600)"), "{body}");
        assert_balanced(&body);
        let default = pull_request_comment(&report, &CommentOptions::default());
        assert!(default.chars().count() <= GITHUB_COMMENT_LIMIT - MARKER_RESERVE);
    }
}
