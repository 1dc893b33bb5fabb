//! `schemactl diff`: what changed between two versions, and the bump.

use std::fmt::Write as _;

use schemactl_rules::diff::{Change, ChangeKind, DiffSummary};

use crate::args::{DiffArgs, DiffFormat, GlobalArgs};
use crate::commands::breaking;
use crate::load::{self, Loaded};
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &DiffArgs, out: &Output) -> Result<Outcome, Failure> {
    let previous = breaking::load_against(&args.from, &args.input, out)?;
    let current = match &args.to {
        Some(to) => breaking::load_against(to, &args.input, out)?,
        None => {
            let current = load::load(global, &args.input)?;
            if !current.compilation.diagnostics.is_empty() {
                out.diagnostics_to_stderr(
                    &current.compilation.diagnostics,
                    &current.compilation.sources,
                )?;
                return Ok(Outcome::Findings);
            }
            current
        }
    };
    let summary = summarize(&previous, &current)?;
    let text = match args.format {
        DiffFormat::Text => render_text(&summary),
        DiffFormat::Markdown => render_markdown(&summary),
        DiffFormat::Json => serde_json::to_string_pretty(&summary)
            .map(|s| s + "\n")
            .unwrap_or_default(),
    };
    out.data(&text)?;
    Ok(Outcome::Clean)
}

/// The change summary of `current` against `previous`, with the breaking
/// findings of the current configuration deciding a major bump.
pub fn summarize(previous: &Loaded, current: &Loaded) -> Result<DiffSummary, Failure> {
    let findings = breaking::breaking_findings(previous, current)?;
    summarize_with(
        previous,
        current,
        findings.iter().filter(|d| d.is_error()).count(),
    )
}

/// [`summarize`] when the breaking findings are already known.
pub fn summarize_with(
    previous: &Loaded,
    current: &Loaded,
    breaking: usize,
) -> Result<DiffSummary, Failure> {
    let (Some(p), Some(c)) = (previous.image(), current.image()) else {
        return Err(Failure::new("compilation produced no image"));
    };
    Ok(schemactl_rules::diff::diff(
        p,
        &previous.config,
        c,
        &current.config,
        breaking,
    ))
}

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

pub fn render_text(summary: &DiffSummary) -> String {
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

pub fn render_markdown(summary: &DiffSummary) -> String {
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
