//! Change summaries as text (the terminal, a release tag's message) and
//! Markdown (a pull request comment). Diagnostics have their renderers in
//! `schemactl-diagnostics`; the registry renders its own documents.

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
/// every change (`|` escaped).
pub fn markdown(summary: &DiffSummary) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
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
    for topic in &summary.topics {
        let _ = writeln!(out, "#### Topic `{}` (`{}`)\n", topic.topic, topic.message);
        for c in &topic.changes {
            let _ = writeln!(out, "- {}", esc(&line(c)));
        }
        out.push('\n');
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
            "| {kind} | {} | `{}` | {} |",
            c.element,
            esc(&c.name),
            esc(c.detail.as_deref().unwrap_or(""))
        );
    }
    out
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
}
