//! `schemactl github consumers`: after a release, open or update one pull
//! request per consumer of `schemactl.yaml` (as the release tag has it) that
//! bumps its pinned version. The changes listed are those between the
//! previous release tag and this one. What is sent to GitHub is
//! `schemactl_github::consumers`'s to decide; this prints its tables.

use std::io::Write as _;

use schemactl_check::{Against, Request};
use schemactl_github::consumers::{self, Bump, Options, Release, TopicChange};
use schemactl_rules::diff::{self, Change, ChangeKind, DiffSummary};
use schemactl_source::{GitRepo, release_tags};

use crate::args::{GithubConsumersArgs, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(
    _global: &GlobalArgs,
    args: &GithubConsumersArgs,
    out: &Output,
) -> Result<Outcome, Failure> {
    let tag = args.release.as_str();
    // The release as tagged: its configuration lists the consumers.
    let released = schemactl_check::load_against(&format!("refs/tags/{tag}"), &args.input)
        .map_err(|e| {
            let failure = Failure::from(e);
            let hint = failure.hint.clone().unwrap_or_else(|| {
                format!("create the release first (`schemactl release`), or check the tag `{tag}`")
            });
            Failure {
                message: format!("cannot read the release {tag}: {}", failure.message),
                ..failure
            }
            .hint(Some(hint))
        })?;
    let config = &released.config;
    let prefix = config.release.tag_prefix.clone();
    let version = tag
        .strip_prefix(prefix.as_str())
        .and_then(|v| semver::Version::parse(v).ok())
        .ok_or_else(|| {
            Failure::new(format!(
                "the release `{tag}` is not a release tag ({prefix}MAJOR.MINOR.PATCH)"
            ))
            .hint(Some(format!(
                "pass the tag `schemactl release` created, e.g. --release {prefix}1.2.0"
            )))
        })?;
    let consumers = config.consumers.clone();
    if consumers.is_empty() {
        out.note(&format!(
            "the schemactl.yaml of {tag} lists no consumers: no pull request to open"
        ))?;
        return Ok(Outcome::Clean);
    }
    let repo = GitRepo::discover(std::path::Path::new(&args.input))?;
    let previous = release_tags(&repo, &prefix)?
        .into_iter()
        .rfind(|t| t.version < version)
        .map(|t| t.name);
    let summary = match &previous {
        Some(previous) => {
            let request = Request {
                input_dir: &args.input,
                against: Against::Given(format!("refs/tags/{previous}")),
                summary: true,
                ..Request::default()
            };
            schemactl_check::run(released, &request, &mut |_| {})?.summary
        }
        None => None,
    };
    let name = schema_name(&repo);
    let release = Release {
        name: name.clone(),
        tag: tag.to_owned(),
        version,
        previous,
        bump: summary.as_ref().map(|s| match s.bump {
            diff::Bump::Patch => Bump::Patch,
            diff::Bump::Minor => Bump::Minor,
            diff::Bump::Major => Bump::Major,
        }),
        topics: summary.as_ref().map(topic_changes).unwrap_or_default(),
    };
    let options = Options::new(&name, args.dry_run);

    let reports = schemactl_github::block_on(async {
        let client = super::client(&args.api, args.dry_run)?;
        Ok::<_, Failure>(consumers::update_all(&client, &consumers, &release, &options).await)
    })??;

    out.data(&consumers::text_table(&reports))?;
    for report in &reports {
        if let consumers::Outcome::Failed(e) = &report.outcome {
            out.line(&format!("error: {}: {e}", report.repo))?;
        }
    }
    if let Some(path) = &args.summary_file {
        let markdown = consumers::markdown_table(&release, &reports, args.dry_run);
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(format!("{markdown}\n").as_bytes()))
            .map_err(|e| {
                Failure::new(format!(
                    "cannot append the summary to {}: {e}",
                    path.display()
                ))
            })?;
    }
    let failed = reports.iter().filter(|r| r.outcome.is_failure()).count();
    if failed > 0 {
        out.line(&format!(
            "{failed} of {} consumers failed (the table on stdout says what happened to each)",
            reports.len()
        ))?;
        return Ok(Outcome::Findings);
    }
    Ok(Outcome::Clean)
}

/// What the pull requests call the schemas: the name of the repository
/// (`GITHUB_REPOSITORY` in a workflow, else the checkout's directory).
fn schema_name(repo: &GitRepo) -> String {
    if let Some(name) = std::env::var("GITHUB_REPOSITORY")
        .ok()
        .and_then(|r| r.rsplit('/').next().map(str::to_owned))
        .filter(|n| !n.is_empty())
    {
        return name;
    }
    let path = repo.path();
    let dir = if path.file_name().is_some_and(|n| n == ".git") {
        path.parent().unwrap_or(path)
    } else {
        path
    };
    dir.file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".git").to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "schemas".to_owned())
}

/// The change lines per topic: its message's changes, and changes to the
/// topic's own entry (added, removed, moved to another message).
fn topic_changes(summary: &DiffSummary) -> Vec<TopicChange> {
    let mut topics: Vec<TopicChange> = summary
        .topics
        .iter()
        .map(|t| TopicChange {
            topic: t.topic.clone(),
            changes: t.changes.iter().map(line).collect(),
        })
        .collect();
    for change in summary.changes.iter().filter(|c| c.element == "topic") {
        match topics.iter_mut().find(|t| t.topic == change.name) {
            Some(topic) => topic.changes.insert(0, line(change)),
            None => topics.push(TopicChange {
                topic: change.name.clone(),
                changes: vec![line(change)],
            }),
        }
    }
    topics
}

fn line(c: &Change) -> String {
    let sign = match c.kind {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        ChangeKind::Changed => "~",
    };
    let detail = c
        .detail
        .as_deref()
        .map(|d| format!(" {d}"))
        .unwrap_or_default();
    format!("{sign} {} {}{detail}", c.element.replace('_', " "), c.name)
}
