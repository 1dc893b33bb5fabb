//! Consumer update pull requests: after a release, one pull request per
//! consumer repository of `schemactl.yaml` that bumps the pinned version.
//!
//! For each consumer, servers before clients (every server's pull request
//! is opened before any client's; within a group one after the other):
//!
//! 1. read the repository (its default branch) and the pinned file through
//!    the contents API (at most [`MAX_FILE`] bytes);
//! 2. find the version with the consumer's `pattern` (group 1): no match
//!    fails the consumer; a version at or above the release skips it;
//! 3. commit the bumped file to one stable branch ([`Options::branch`], the
//!    same for every release, so the next release updates the same pull
//!    request): created from the default branch when missing; when it
//!    already holds the release, nothing is committed; otherwise it is reset
//!    to the default branch's head and the file committed on it;
//! 4. open the pull request, or update the open one's title and body (only
//!    if they changed), and add the labels it lacks.
//!
//! A second run therefore writes nothing. A write that a retried request
//! had already made (GitHub answered 5xx after doing it) is recognised by
//! its 422 or 409 and taken as done. One consumer's failure does not
//! stop the others: each gets an [`Outcome`]. With [`Options::dry_run`]
//! only GET requests are sent and the outcomes say what would be done.
//!
//! Nothing here prints: [`text_table`] and [`markdown_table`] render the
//! reports for the caller.

use std::fmt::Write as _;

use base64::Engine;
use octocrab::models::Repository;
use octocrab::models::pulls::PullRequest;
use octocrab::models::repos::{Content, Object, Ref};
use schemactl_config::{Consumer, ConsumerKind};
use semver::Version;
use serde_json::json;

use crate::{Client, GithubError};

/// The largest pinned file read (GitHub's contents API serves up to 1 MiB
/// with its content inline).
pub const MAX_FILE: u64 = 1 << 20;

/// The labels added to every pull request.
pub const LABELS: &[&str] = &["schemactl", "dependencies"];

/// The longest pull request body GitHub accepts, in characters.
const MAX_BODY_CHARS: usize = 65_536;

/// The semver bump of a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The changes of one topic, one line each (`+ field acme.v1.Event.at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicChange {
    pub topic: String,
    pub changes: Vec<String>,
}

/// The release the consumers are updated to.
#[derive(Debug, Clone)]
pub struct Release {
    /// What the title and body call the schemas (`proto-schema`).
    pub name: String,
    /// The release tag (`v1.1.0`).
    pub tag: String,
    pub version: Version,
    /// The previous release tag, if there is one.
    pub previous: Option<String>,
    /// `None` for a first release.
    pub bump: Option<Bump>,
    /// The changes per topic since `previous` (topics without changes may
    /// be left out).
    pub topics: Vec<TopicChange>,
}

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Send only GET requests; report what would be done.
    pub dry_run: bool,
    /// The branch in each consumer repository (`schemactl/proto-schema`).
    pub branch: String,
    pub labels: Vec<String>,
}

impl Options {
    /// The stable branch for `name`, and [`LABELS`].
    pub fn new(name: &str, dry_run: bool) -> Options {
        Options {
            dry_run,
            branch: format!("schemactl/{name}"),
            labels: LABELS.iter().map(|l| (*l).to_owned()).collect(),
        }
    }
}

/// What happened to one consumer.
#[derive(Debug)]
pub enum Outcome {
    /// A new pull request.
    Opened {
        number: u64,
        url: String,
    },
    /// The open pull request got a new commit, title or body.
    Updated {
        number: u64,
        url: String,
    },
    /// The open pull request already proposes the release.
    Unchanged {
        number: u64,
        url: String,
    },
    /// Nothing to do (the consumer is at or above the release).
    Skipped {
        reason: String,
    },
    Failed(ConsumerError),
    /// Dry run: a pull request would be opened.
    WouldOpen,
    /// Dry run: the open pull request would be updated.
    WouldUpdate {
        number: u64,
        url: String,
    },
}

impl Outcome {
    pub fn is_failure(&self) -> bool {
        matches!(self, Outcome::Failed(_))
    }
}

/// One consumer's report.
#[derive(Debug)]
pub struct Report {
    pub repo: String,
    pub kind: ConsumerKind,
    /// The version the consumer pinned on its default branch, if read.
    pub from: Option<Version>,
    pub to: Version,
    pub outcome: Outcome,
}

/// Why one consumer could not be updated.
#[derive(Debug, thiserror::Error)]
pub enum ConsumerError {
    #[error(transparent)]
    Github(#[from] GithubError),
    #[error("`{repo}` is not an OWNER/NAME repository")]
    BadRepo { repo: String },
    #[error("the pattern `{pattern}` of {repo} is not a valid regular expression: {reason}")]
    BadPattern {
        repo: String,
        pattern: String,
        reason: String,
    },
    #[error("the pattern `{pattern}` matches nothing in {file} of {repo} (branch {branch})")]
    NoMatch {
        repo: String,
        file: String,
        branch: String,
        pattern: String,
    },
    #[error(
        "the pattern `{pattern}` of {repo} found `{found}` in {file}, which is not a version (MAJOR.MINOR.PATCH)"
    )]
    NotAVersion {
        repo: String,
        file: String,
        pattern: String,
        found: String,
    },
    #[error("{file} of {repo} is {size} bytes, more than the {MAX_FILE} read")]
    TooLarge {
        repo: String,
        file: String,
        size: u64,
    },
    #[error("{file} of {repo} is not a text file ({reason})")]
    NotText {
        repo: String,
        file: String,
        reason: String,
    },
    #[error("{repo} has no default branch (an empty repository?)")]
    NoDefaultBranch { repo: String },
}

impl ConsumerError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            ConsumerError::Github(GithubError::Status {
                status: 403,
                rate_limited: false,
                ..
            }) => Some(
                "the token needs contents: write and pull-requests: write on this repository \
                 (a fine-grained token or a GitHub App token; the workflow's GITHUB_TOKEN \
                 cannot write to other repositories)"
                    .to_owned(),
            ),
            ConsumerError::Github(GithubError::Status { status: 404, .. }) => Some(
                "check `repo` and `file` of this consumer in schemactl.yaml; a private \
                 repository needs a token with access to it"
                    .to_owned(),
            ),
            ConsumerError::Github(e) => e.hint(),
            ConsumerError::BadRepo { .. } => {
                Some("write `repo: OWNER/NAME` in the consumer's entry".to_owned())
            }
            ConsumerError::BadPattern { .. } | ConsumerError::NoMatch { .. } => Some(
                "fix the consumer's `pattern` in schemactl.yaml: a regular expression whose \
                 first group is the pinned version, matching a line of its `file`"
                    .to_owned(),
            ),
            ConsumerError::NotAVersion { .. } => Some(
                "make the pattern's first group capture only the version, e.g. `(\\d+\\.\\d+\\.\\d+)`"
                    .to_owned(),
            ),
            ConsumerError::TooLarge { .. } | ConsumerError::NotText { .. } => {
                Some("point the consumer's `file` at the small text file that pins the version".to_owned())
            }
            ConsumerError::NoDefaultBranch { .. } => None,
        }
    }
}

/// Update every consumer to `release`, servers first. Never fails as a
/// whole: each consumer's report says what happened to it.
pub async fn update_all(
    client: &Client,
    consumers: &[Consumer],
    release: &Release,
    options: &Options,
) -> Vec<Report> {
    let mut ordered: Vec<&Consumer> = consumers.iter().collect();
    // Stable: the configuration's order within a group.
    ordered.sort_by_key(|c| c.kind);
    let mut reports = Vec::with_capacity(ordered.len());
    for consumer in ordered {
        let mut from = None;
        let outcome = update_one(client, consumer, release, options, &mut from)
            .await
            .unwrap_or_else(Outcome::Failed);
        reports.push(Report {
            repo: consumer.repo.clone(),
            kind: consumer.kind,
            from,
            to: release.version.clone(),
            outcome,
        });
    }
    reports
}

/// A file read through the contents API.
struct File {
    sha: String,
    text: String,
}

async fn update_one(
    client: &Client,
    consumer: &Consumer,
    release: &Release,
    options: &Options,
    from: &mut Option<Version>,
) -> Result<Outcome, ConsumerError> {
    let repo = consumer.repo.as_str();
    if !valid_repo(repo) {
        return Err(ConsumerError::BadRepo {
            repo: repo.to_owned(),
        });
    }
    let pattern = regex::RegexBuilder::new(&consumer.pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| ConsumerError::BadPattern {
            repo: repo.to_owned(),
            pattern: consumer.pattern.clone(),
            reason: e.to_string(),
        })?;
    let base = format!("/repos/{repo}");
    let info: Repository = client.get(&base).await?;
    let default = info
        .default_branch
        .filter(|b| !b.is_empty())
        .ok_or_else(|| ConsumerError::NoDefaultBranch {
            repo: repo.to_owned(),
        })?;
    let file = read_file(client, consumer, &default)
        .await?
        .ok_or_else(|| GithubError::Status {
            method: "GET",
            path: contents_path(repo, &consumer.file, &default),
            status: 404,
            message: format!("{} does not exist on {default}", consumer.file),
            rate_limited: false,
        })?;
    let current = pinned(&pattern, consumer, &default, &file.text)?;
    *from = Some(current.clone());
    if current >= release.version {
        return Ok(Outcome::Skipped {
            reason: format!("already at {current}"),
        });
    }
    let bumped = bump(&pattern, &file.text, &release.version);

    let branch = &options.branch;
    let owner = repo.split('/').next().unwrap_or_default();
    let title = title(release);
    let body = body(release, consumer, &current, branch);
    let existing: Option<Ref> = client
        .get_optional(&format!("{base}/git/ref/heads/{}", encode_path(branch)))
        .await?;
    let pulls_path = format!(
        "{base}/pulls?head={}:{}&state=open&per_page=100",
        encode_query(owner),
        encode_query(branch)
    );
    let pulls: Vec<PullRequest> = client.get_all(&pulls_path).await?;
    let pull = pulls.into_iter().next();

    // Does the branch already hold the release?
    let up_to_date = match &existing {
        Some(_) => match read_file(client, consumer, branch).await? {
            Some(on_branch) => {
                pinned(&pattern, consumer, branch, &on_branch.text).ok()
                    == Some(release.version.clone())
            }
            None => false,
        },
        None => false,
    };

    if options.dry_run {
        return Ok(match pull {
            None => Outcome::WouldOpen,
            Some(p) if up_to_date && same_text(&p, &title, &body) => Outcome::Unchanged {
                number: p.number,
                url: pull_url(&p),
            },
            Some(p) => Outcome::WouldUpdate {
                number: p.number,
                url: pull_url(&p),
            },
        });
    }

    let mut changed = false;
    if !up_to_date {
        let head: Ref = client
            .get(&format!("{base}/git/ref/heads/{}", encode_path(&default)))
            .await?;
        let head_sha = ref_sha(&head).ok_or_else(|| GithubError::Decode {
            method: "GET",
            path: format!("{base}/git/ref/heads/{default}"),
            reason: "the default branch's ref does not point to a commit".to_owned(),
        })?;
        if existing.is_some() {
            let _: Ref = client
                .patch(
                    &format!("{base}/git/refs/heads/{}", encode_path(branch)),
                    &json!({"sha": head_sha, "force": true}),
                )
                .await?;
        } else {
            let created: Result<Ref, GithubError> = client
                .post(
                    &format!("{base}/git/refs"),
                    &json!({"ref": format!("refs/heads/{branch}"), "sha": head_sha}),
                )
                .await;
            match created {
                Ok(_) => {}
                // The branch appeared since it was looked up (another run,
                // or a retried request that GitHub had carried out): reset
                // it as an existing one.
                Err(GithubError::Status { status: 422, .. }) => {
                    let _: Ref = client
                        .patch(
                            &format!("{base}/git/refs/heads/{}", encode_path(branch)),
                            &json!({"sha": head_sha, "force": true}),
                        )
                        .await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        let committed: Result<serde_json::Value, GithubError> = client
            .put(
                &format!("{base}/contents/{}", encode_path(&consumer.file)),
                &json!({
                    "message": title,
                    "content": base64::engine::general_purpose::STANDARD.encode(bumped.as_bytes()),
                    "sha": file.sha,
                    "branch": branch,
                }),
            )
            .await;
        match committed {
            Ok(_) => {}
            // The file changed on the branch meanwhile (a retried request
            // that GitHub had carried out): fine if it holds the release.
            Err(e @ GithubError::Status { status: 409, .. }) => {
                let holds = match read_file(client, consumer, branch).await? {
                    Some(f) => {
                        pinned(&pattern, consumer, branch, &f.text).ok().as_ref()
                            == Some(&release.version)
                    }
                    None => false,
                };
                if !holds {
                    return Err(e.into());
                }
            }
            Err(e) => return Err(e.into()),
        }
        changed = true;
    }

    let (pull, opened) = match pull {
        Some(p) => {
            let p = if same_text(&p, &title, &body) {
                p
            } else {
                changed = true;
                client
                    .patch(
                        &format!("{base}/pulls/{}", p.number),
                        &json!({"title": title, "body": body}),
                    )
                    .await?
            };
            (p, false)
        }
        None => {
            let created: Result<PullRequest, GithubError> = client
                .post(
                    &format!("{base}/pulls"),
                    &json!({"title": title, "head": branch, "base": default, "body": body}),
                )
                .await;
            match created {
                Ok(p) => (p, true),
                // "A pull request already exists": opened since it was
                // looked up (a retried request that GitHub had carried out,
                // or another run). Use it.
                Err(e @ GithubError::Status { status: 422, .. }) => {
                    let found: Vec<PullRequest> = client.get_all(&pulls_path).await?;
                    match found.into_iter().next() {
                        Some(p) => (p, true),
                        None => return Err(e.into()),
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let has: Vec<&str> = pull
        .labels
        .iter()
        .flatten()
        .map(|l| l.name.as_str())
        .collect();
    let missing: Vec<&String> = options
        .labels
        .iter()
        .filter(|l| !has.contains(&l.as_str()))
        .collect();
    if !missing.is_empty() {
        let _: serde_json::Value = client
            .post(
                &format!("{base}/issues/{}/labels", pull.number),
                &json!({"labels": missing}),
            )
            .await?;
    }
    let (number, url) = (pull.number, pull_url(&pull));
    Ok(if opened {
        Outcome::Opened { number, url }
    } else if changed {
        Outcome::Updated { number, url }
    } else {
        Outcome::Unchanged { number, url }
    })
}

fn same_text(pull: &PullRequest, title: &str, body: &str) -> bool {
    pull.title.as_deref() == Some(title) && pull.body.as_deref().unwrap_or_default() == body
}

fn pull_url(pull: &PullRequest) -> String {
    pull.html_url
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_else(|| format!("#{}", pull.number))
}

fn ref_sha(reference: &Ref) -> Option<String> {
    match &reference.object {
        Object::Commit { sha, .. } => Some(sha.clone()),
        _ => None,
    }
}

/// The consumer's file on `branch`, `None` if it does not exist there.
async fn read_file(
    client: &Client,
    consumer: &Consumer,
    branch: &str,
) -> Result<Option<File>, ConsumerError> {
    let repo = consumer.repo.as_str();
    let path = contents_path(repo, &consumer.file, branch);
    let Some(content): Option<Content> = client.get_optional(&path).await? else {
        return Ok(None);
    };
    let not_text = |reason: String| ConsumerError::NotText {
        repo: repo.to_owned(),
        file: consumer.file.clone(),
        reason,
    };
    if content.r#type != "file" {
        return Err(not_text(format!("it is a {}", content.r#type)));
    }
    let size = u64::try_from(content.size).unwrap_or(0);
    if size > MAX_FILE {
        return Err(ConsumerError::TooLarge {
            repo: repo.to_owned(),
            file: consumer.file.clone(),
            size,
        });
    }
    let encoded = content.content.unwrap_or_default();
    // Base64 is 4/3 of the bytes, plus GitHub's line breaks.
    if encoded.len() as u64 > MAX_FILE * 2 {
        return Err(ConsumerError::TooLarge {
            repo: repo.to_owned(),
            file: consumer.file.clone(),
            size: encoded.len() as u64 * 3 / 4,
        });
    }
    let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| not_text(format!("its content is not Base64: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| not_text("it is not UTF-8".to_owned()))?;
    Ok(Some(File {
        sha: content.sha,
        text,
    }))
}

/// The version group 1 of the first match holds.
fn pinned(
    pattern: &regex::Regex,
    consumer: &Consumer,
    branch: &str,
    text: &str,
) -> Result<Version, ConsumerError> {
    let found = pattern
        .captures(text)
        .and_then(|c| c.get(1))
        .ok_or_else(|| ConsumerError::NoMatch {
            repo: consumer.repo.clone(),
            file: consumer.file.clone(),
            branch: branch.to_owned(),
            pattern: consumer.pattern.clone(),
        })?
        .as_str();
    Version::parse(found.trim_start_matches('v')).map_err(|_| ConsumerError::NotAVersion {
        repo: consumer.repo.clone(),
        file: consumer.file.clone(),
        pattern: consumer.pattern.clone(),
        found: found.chars().take(80).collect(),
    })
}

/// `text` with group 1 of every match replaced by `version` (a leading `v`
/// in the group is kept).
fn bump(pattern: &regex::Regex, text: &str, version: &Version) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for captures in pattern.captures_iter(text) {
        let Some(group) = captures.get(1) else {
            continue;
        };
        out.push_str(&text[last..group.start()]);
        if group.as_str().starts_with('v') {
            out.push('v');
        }
        out.push_str(&version.to_string());
        last = group.end();
    }
    out.push_str(&text[last..]);
    out
}

/// The pull request's title.
pub fn title(release: &Release) -> String {
    format!("Update {} to v{}", release.name, release.version)
}

/// The pull request's body: the bump, a warning for a major bump, the
/// changes to the topics `consumer` reads, and how it was made.
pub fn body(release: &Release, consumer: &Consumer, current: &Version, branch: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Updates **{}** from {current} to **{}** (release `{}`) in `{}`.\n",
        release.name, release.version, release.tag, consumer.file
    );
    match release.bump {
        Some(bump) => {
            let since = release
                .previous
                .as_deref()
                .map(|p| format!(" since `{p}`"))
                .unwrap_or_default();
            let _ = writeln!(out, "**Semver bump: {}**{since}\n", bump.as_str());
            if bump == Bump::Major {
                let _ = writeln!(
                    out,
                    "> ⚠️ **Major version: this release breaks compatibility.** Check the changes \
                     below against your code before merging.\n"
                );
            }
        }
        None => {
            let _ = writeln!(out, "**First release** of the schemas.\n");
        }
    }
    let _ = writeln!(out, "### Changes to the topics you read\n");
    let mut listed = false;
    let mut cut = false;
    for topic in &release.topics {
        if !consumer.topics.contains(&topic.topic) || topic.changes.is_empty() {
            continue;
        }
        let mut section = format!("**`{}`**\n\n", topic.topic);
        for change in &topic.changes {
            let _ = writeln!(section, "- `{}`", change.replace('`', "'"));
        }
        section.push('\n');
        // Room for the footer.
        if out.chars().count() + section.chars().count() > MAX_BODY_CHARS - 2_000 {
            cut = true;
            break;
        }
        out.push_str(&section);
        listed = true;
    }
    if cut {
        let _ = writeln!(
            out,
            "_More changes than fit here: `schemactl diff --from {}` lists them all._\n",
            release.previous.as_deref().unwrap_or("<previous release>")
        );
    } else if !listed {
        let _ = writeln!(out, "No change to the topics you read.\n");
    }
    let _ = writeln!(
        out,
        "---\nMade by `schemactl github consumers` after the release `{}`: it set the version \
         that the `pattern` of this repository's entry in `schemactl.yaml` finds in `{}`. The \
         branch `{branch}` is reused by every release: the next one resets it and updates this \
         pull request.",
        release.tag, consumer.file
    );
    out
}

/// Whether any consumer failed.
pub fn any_failed(reports: &[Report]) -> bool {
    reports.iter().any(|r| r.outcome.is_failure())
}

fn kind_str(kind: ConsumerKind) -> &'static str {
    match kind {
        ConsumerKind::Server => "server",
        ConsumerKind::Client => "client",
    }
}

/// The outcome in a few words (the text table's last column).
fn result_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Opened { number, url } => format!("opened #{number} {url}"),
        Outcome::Updated { number, url } => format!("updated #{number} {url}"),
        Outcome::Unchanged { number, url } => format!("unchanged #{number} {url}"),
        Outcome::Skipped { reason } => format!("skipped: {reason}"),
        Outcome::Failed(e) => format!("failed: {e}"),
        Outcome::WouldOpen => "would open a pull request".to_owned(),
        Outcome::WouldUpdate { number, url } => format!("would update #{number} {url}"),
    }
}

/// The reports as a text table, failures' hints below it.
pub fn text_table(reports: &[Report]) -> String {
    let rows: Vec<[String; 5]> = reports
        .iter()
        .map(|r| {
            [
                r.repo.clone(),
                kind_str(r.kind).to_owned(),
                r.from.as_ref().map_or("?".to_owned(), ToString::to_string),
                r.to.to_string(),
                result_text(&r.outcome),
            ]
        })
        .collect();
    let header = ["REPOSITORY", "KIND", "FROM", "TO", "RESULT"].map(str::to_owned);
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter().zip(row.iter()) {
            let _ = write!(out, "{cell:<w$}  ");
        }
        let _ = writeln!(out, "{}", row[4]);
    }
    for r in reports {
        if let Outcome::Failed(e) = &r.outcome {
            if let Some(hint) = e.hint() {
                let _ = writeln!(out, "hint ({}): {hint}", r.repo);
            }
        }
    }
    out
}

/// The reports as a Markdown section (for the job summary).
pub fn markdown_table(release: &Release, reports: &[Report], dry_run: bool) -> String {
    let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Consumer pull requests for `{}`{}\n",
        release.tag,
        if dry_run { " (dry run)" } else { "" }
    );
    let _ = writeln!(out, "| Repository | Kind | From | To | Result |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for r in reports {
        let result = match &r.outcome {
            Outcome::Opened { number, url } => format!("opened [#{number}]({url})"),
            Outcome::Updated { number, url } => format!("updated [#{number}]({url})"),
            Outcome::Unchanged { number, url } => format!("unchanged [#{number}]({url})"),
            Outcome::WouldUpdate { number, url } => format!("would update [#{number}]({url})"),
            Outcome::Failed(e) => match e.hint() {
                Some(hint) => format!("❌ failed: {} ({hint})", esc(&e.to_string())),
                None => format!("❌ failed: {}", esc(&e.to_string())),
            },
            other => esc(&result_text(other)),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {result} |",
            r.repo,
            kind_str(r.kind),
            r.from.as_ref().map_or("?".to_owned(), ToString::to_string),
            r.to
        );
    }
    out
}

fn contents_path(repo: &str, file: &str, branch: &str) -> String {
    format!(
        "/repos/{repo}/contents/{}?ref={}",
        encode_path(file),
        encode_query(branch)
    )
}

/// `OWNER/NAME` with GitHub's characters only (no path tricks).
fn valid_repo(repo: &str) -> bool {
    let mut parts = repo.split('/');
    let ok = |s: Option<&str>| {
        s.is_some_and(|s| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

/// Percent-encode a path, keeping `/`.
fn encode_path(path: &str) -> String {
    encode(path.trim_start_matches('/'), true)
}

fn encode_query(value: &str) -> String {
    encode(value, false)
}

fn encode(value: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consumer(pattern: &str) -> Consumer {
        Consumer {
            repo: "acme/svc".to_owned(),
            kind: ConsumerKind::Server,
            file: "go.mod".to_owned(),
            pattern: pattern.to_owned(),
            topics: vec!["a.one.v1".to_owned()],
            line: 1,
        }
    }

    #[test]
    fn bump_replaces_group_one_of_every_match_and_keeps_a_v() {
        let re = regex::Regex::new(r"x v?(v?\d+\.\d+\.\d+)").expect("regex");
        let text = "x 1.0.0\ny\nx v1.0.0\n";
        assert_eq!(
            bump(&re, text, &Version::new(1, 1, 0)),
            "x 1.1.0\ny\nx v1.1.0\n"
        );
    }

    #[test]
    fn pinned_reads_group_one_and_names_what_does_not_match() {
        let c = consumer(r"lib (\d+\.\d+\.\d+)");
        let re = regex::Regex::new(&c.pattern).expect("regex");
        assert_eq!(
            pinned(&re, &c, "main", "lib 2.3.4\n").expect("a version"),
            Version::new(2, 3, 4)
        );
        let err = pinned(&re, &c, "main", "nothing\n").expect_err("no match");
        let text = err.to_string();
        assert!(
            text.contains("acme/svc") && text.contains("go.mod") && text.contains(&c.pattern),
            "{text}"
        );
    }

    #[test]
    fn the_body_lists_only_the_topics_read_and_warns_of_a_major_bump() {
        let release = Release {
            name: "proto-schema".to_owned(),
            tag: "v2.0.0".to_owned(),
            version: Version::new(2, 0, 0),
            previous: Some("v1.0.0".to_owned()),
            bump: Some(Bump::Major),
            topics: vec![
                TopicChange {
                    topic: "a.one.v1".to_owned(),
                    changes: vec!["- field a.v1.One.x".to_owned()],
                },
                TopicChange {
                    topic: "b.two.v1".to_owned(),
                    changes: vec!["+ field b.v1.Two.y".to_owned()],
                },
            ],
        };
        let c = consumer("x");
        let text = body(
            &release,
            &c,
            &Version::new(1, 0, 0),
            "schemactl/proto-schema",
        );
        assert!(text.contains("⚠️"), "{text}");
        assert!(text.contains("a.v1.One.x"), "{text}");
        assert!(!text.contains("b.v1.Two.y"), "{text}");
        let mut other = c.clone();
        other.topics = vec!["c.three.v1".to_owned()];
        let text = body(&release, &other, &Version::new(1, 0, 0), "b");
        assert!(text.contains("No change to the topics you read"), "{text}");
    }

    #[test]
    fn paths_are_encoded_and_repos_checked() {
        assert_eq!(encode_path("a b/c.txt"), "a%20b/c.txt");
        assert_eq!(encode_query("schemactl/x"), "schemactl%2Fx");
        assert!(valid_repo("acme/svc.go"));
        assert!(!valid_repo("acme/../x"));
        assert!(!valid_repo("acme"));
    }
}
