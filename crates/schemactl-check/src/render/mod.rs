//! Change summaries as text (the terminal, a release tag's message) and
//! Markdown; [`comment`] renders a whole check report as the body of a pull
//! request comment. Diagnostics have their renderers in
//! `schemactl-diagnostics`; the registry renders its own documents.

pub mod comment;

use std::fmt::Write as _;

use schemactl_rules::diff::{Change, ChangeKind, DiffSummary};

fn sign(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        ChangeKind::Changed => "~",
    }
}

fn line(c: &Change) -> String {
    let detail = c
        .detail
        .as_deref()
        .map(|d| format!(" {d}"))
        .unwrap_or_default();
    format!(
        "{} {} {}{detail}",
        sign(c.kind),
        c.element.replace('_', " "),
        c.name
    )
}

/// The line for an empty change list. Every change a breaking rule can see
/// is listed, so this is a safety net: a bump is never shown beside a bare
/// "no changes".
fn no_changes(summary: &DiffSummary) -> String {
    if summary.breaking > 0 {
        format!(
            "no change listed for the {} breaking findings: `schemactl breaking` shows them",
            summary.breaking
        )
    } else {
        "no changes to files, messages, enums, services or topics".to_owned()
    }
}

/// The summary as text: the bump, the changes per topic, then every change.
pub fn text(summary: &DiffSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "semver bump: {} ({} breaking findings)",
        summary.bump.as_str(),
        summary.breaking
    );
    if summary.changes.is_empty() {
        let _ = writeln!(out, "{}", no_changes(summary));
        return out;
    }
    for topic in &summary.topics {
        let _ = writeln!(out, "\ntopic {} ({}):", topic.topic, topic.message);
        for c in &topic.changes {
            let _ = writeln!(out, "  {}", line(c));
        }
    }
    let _ = writeln!(out, "\nall changes:");
    for c in &summary.changes {
        let _ = writeln!(out, "  {}", line(c));
    }
    out
}

/// The summary as Markdown: the bump in bold, a list per topic, a table of
/// every change. Names come from the schemas and the configuration (a pull
/// request's content): they are escaped so that none can add HTML or break
/// out of a code span or a table cell.
pub fn markdown(summary: &DiffSummary) -> String {
    markdown_detail(summary, Detail::Full)
}

/// How much of a change summary [`markdown_detail`] renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Detail {
    /// The bump, the changes per topic and the table of every change.
    Full,
    /// The bump and the changes per topic.
    Topics,
    /// The bump only.
    Bump,
}

pub(crate) fn markdown_detail(summary: &DiffSummary, detail: Detail) -> String {
    let esc = |s: &str| escape_html(s).replace('|', "\\|");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "**Semver bump: {}** ({} breaking findings)\n",
        summary.bump.as_str(),
        summary.breaking
    );
    if summary.changes.is_empty() {
        let _ = writeln!(out, "{}", no_changes(summary));
        return out;
    }
    if detail == Detail::Bump {
        return out;
    }
    for topic in &summary.topics {
        let _ = writeln!(
            out,
            "#### Topic {} ({})\n",
            code(&topic.topic),
            code(&topic.message)
        );
        for c in &topic.changes {
            // The sign is escaped: `- -` would be a nested list.
            let _ = writeln!(out, "- \\{}", esc(&line(c)));
        }
        out.push('\n');
    }
    if detail == Detail::Topics {
        return out;
    }
    let _ = writeln!(
        out,
        "| Change | Element | Name | Detail |\n|---|---|---|---|"
    );
    for c in &summary.changes {
        let kind = match c.kind {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        };
        let _ = writeln!(
            out,
            "| {kind} | {} | {} | {} |",
            c.element,
            code(&c.name).replace('|', "\\|"),
            esc(c.detail.as_deref().unwrap_or(""))
        );
    }
    out
}

/// `<`, `>` and `&` as entities: text that renders the same and adds no
/// HTML.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span holding `s` literally: its delimiter is longer than
/// any run of backticks inside (CommonMark), line breaks become spaces.
pub(crate) fn code(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let ticks = "`".repeat(longest_backtick_run(&s) + 1);
    // A span starting or ending with a backtick needs a space to separate
    // it from the delimiter (stripped again when rendered).
    if s.starts_with('`') || s.ends_with('`') {
        format!("{ticks} {s} {ticks}")
    } else {
        format!("{ticks}{s}{ticks}")
    }
}

/// The longest run of consecutive backticks in `s`.
pub(crate) fn longest_backtick_run(s: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use schemactl_rules::diff::Bump;

    use super::*;

    fn summary(changes: Vec<Change>, breaking: usize) -> DiffSummary {
        DiffSummary {
            bump: if breaking > 0 {
                Bump::Major
            } else {
                Bump::Minor
            },
            breaking,
            topics: Vec::new(),
            changes,
        }
    }

    #[test]
    fn an_empty_summary_with_breaking_findings_points_to_breaking() {
        let text = text(&summary(Vec::new(), 2));
        assert!(
            text.starts_with("semver bump: major (2 breaking findings)\n"),
            "{text}"
        );
        assert!(text.contains("`schemactl breaking` shows them"), "{text}");
    }

    #[test]
    fn markdown_escapes_table_cells() {
        let change = Change {
            kind: ChangeKind::Changed,
            element: "field",
            name: "a.B.c".to_owned(),
            detail: Some("type a|b".to_owned()),
        };
        let md = markdown(&summary(vec![change], 0));
        assert!(
            md.contains("| changed | field | `a.B.c` | type a\\|b |"),
            "{md}"
        );
    }

    #[test]
    fn markdown_keeps_names_literal() {
        let change = Change {
            kind: ChangeKind::Added,
            element: "field",
            name: "a`b|<i>".to_owned(),
            detail: Some("<script>".to_owned()),
        };
        let md = markdown(&summary(vec![change], 0));
        assert!(md.contains("| ``a`b\\|<i>`` | &lt;script&gt; |"), "{md}");
        assert!(!md.contains("<script>"), "{md}");
    }

    #[test]
    fn a_code_span_is_longer_than_any_backtick_run() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code("a\nb"), "`a b`");
    }
}
