//! The one sticky pull-request comment.
//!
//! A comment is schemactl's when its body starts with the hidden marker
//! `<!-- schemactl:MARKER -->` (two workflows with two markers keep two
//! comments). [`upsert`] finds it through every page of the pull request's
//! comments, then:
//!
//! - writes nothing when the pull request's head has moved past the commit
//!   the report is about (a newer run will write, and an older run must
//!   never overwrite a newer report), checked again just before writing;
//! - writes nothing when the body is unchanged;
//! - else updates it with PATCH, or creates it;
//! - on a read-only token (a fork's pull request: 403) reports
//!   [`Outcome::ReadOnly`] rather than failing the job.
//!
//! The body is cut to GitHub's 65,536-character limit if the caller's
//! renderer did not already fit it.

use octocrab::models::issues::Comment;
use octocrab::models::pulls::PullRequest;

use crate::{Client, GithubError};

/// GitHub's limit on a comment body, in characters.
pub const MAX_BODY_CHARS: usize = 65_536;

/// What [`upsert`] should write.
#[derive(Debug, Clone)]
pub struct CommentRequest<'a> {
    /// `OWNER/NAME`.
    pub repo: &'a str,
    pub pr: u64,
    /// The marker's name (letters, digits, `-_.:/`).
    pub marker: &'a str,
    /// The report, in markdown.
    pub body: &'a str,
    /// The head commit the report is about, when known.
    pub head_sha: Option<&'a str>,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created {
        id: u64,
        url: String,
    },
    Updated {
        id: u64,
        url: String,
    },
    /// The comment already says this: nothing sent.
    Unchanged {
        id: u64,
        url: String,
    },
    /// The pull request's head is now `current`, not the report's `ours`:
    /// nothing sent.
    Stale {
        ours: String,
        current: String,
    },
    /// The token may not write (a fork's pull request): nothing written.
    ReadOnly {
        message: String,
    },
}

/// A request that cannot be sent as given.
#[derive(Debug, thiserror::Error)]
pub enum CommentError {
    #[error("`{0}` is not a repository: expected OWNER/NAME")]
    BadRepo(String),
    #[error("`{0}` cannot be a marker: use letters, digits and `-_.:/` (at most 100)")]
    BadMarker(String),
    #[error(transparent)]
    Github(#[from] GithubError),
}

impl CommentError {
    pub fn hint(&self) -> Option<String> {
        match self {
            CommentError::BadRepo(_) => {
                Some("pass --repo OWNER/NAME (in a workflow, GITHUB_REPOSITORY is used)".to_owned())
            }
            CommentError::BadMarker(_) => None,
            CommentError::Github(e) => e.hint(),
        }
    }
}

/// Whether `repo` is a plausible `OWNER/NAME` (it becomes part of a path).
pub fn valid_repo(repo: &str) -> bool {
    let ok = |part: &str| {
        !part.is_empty()
            && part.len() <= 100
            && part != "."
            && part != ".."
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    matches!(repo.split_once('/'), Some((owner, name)) if ok(owner) && ok(name))
}

fn valid_marker(marker: &str) -> bool {
    !marker.is_empty()
        && marker.len() <= 100
        && marker
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'/'))
}

/// The hidden first line that identifies the comment.
pub fn marker_line(marker: &str) -> String {
    format!("<!-- schemactl:{marker} -->")
}

/// The full comment body: the marker, the head it is about, the report,
/// within [`MAX_BODY_CHARS`].
pub fn compose(marker: &str, head_sha: Option<&str>, report: &str) -> String {
    let mut body = marker_line(marker);
    body.push('\n');
    if let Some(sha) = head_sha.filter(|s| s.bytes().all(|b| b.is_ascii_hexdigit())) {
        body.push_str(&format!("<!-- schemactl-head:{sha} -->\n"));
    }
    let room = MAX_BODY_CHARS - body.chars().count();
    body.push_str(&fit(report, room));
    body
}

/// `text` cut at a line boundary to at most `limit` characters, with a note
/// when cut. A renderer that knows the report's structure cuts better
/// (least important parts first); this is the last line of defence.
pub fn fit(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    const NOTE: &str = "\n\n> [!NOTE]\n> The report was cut to fit GitHub's 65,536-character limit on comments. Run `schemactl check` for all of it.\n";
    // A fence left open would swallow the note: close one if the kept part
    // opened it.
    let budget = limit.saturating_sub(NOTE.chars().count() + 8);
    let mut kept = String::new();
    let mut used = 0;
    for line in text.split_inclusive('\n') {
        let n = line.chars().count();
        if used + n > budget {
            break;
        }
        kept.push_str(line);
        used += n;
    }
    let fences = kept
        .lines()
        .filter(|l| l.trim_start().starts_with("```"))
        .count();
    if fences % 2 == 1 {
        kept.push_str("\n```\n");
    }
    kept.push_str(NOTE);
    kept
}

/// Create or update the comment.
pub async fn upsert(
    client: &Client,
    request: &CommentRequest<'_>,
) -> Result<Outcome, CommentError> {
    if !valid_repo(request.repo) {
        return Err(CommentError::BadRepo(request.repo.to_owned()));
    }
    if !valid_marker(request.marker) {
        return Err(CommentError::BadMarker(request.marker.to_owned()));
    }
    let repo = request.repo;
    let pr = request.pr;
    if let Some(stale) = stale(client, request).await? {
        return Ok(stale);
    }
    let body = compose(request.marker, request.head_sha, request.body);
    let marker = marker_line(request.marker);
    let comments: Vec<Comment> = client
        .get_all(&format!("/repos/{repo}/issues/{pr}/comments?per_page=100"))
        .await?;
    let existing = comments.iter().find(|c| {
        c.body
            .as_deref()
            .is_some_and(|b| b.lines().next() == Some(marker.as_str()))
    });
    if let Some(existing) = existing
        && existing.body.as_deref().map(normalize) == Some(normalize(&body))
    {
        return Ok(Outcome::Unchanged {
            id: existing.id.into_inner(),
            url: existing.html_url.to_string(),
        });
    }
    // Once more, just before writing: a push during the listing.
    if let Some(stale) = stale(client, request).await? {
        return Ok(stale);
    }
    let payload = serde_json::json!({ "body": body });
    let written: Result<Comment, GithubError> = match existing {
        Some(existing) => {
            client
                .patch(
                    &format!("/repos/{repo}/issues/comments/{}", existing.id),
                    &payload,
                )
                .await
        }
        None => {
            client
                .post(&format!("/repos/{repo}/issues/{pr}/comments"), &payload)
                .await
        }
    };
    match written {
        Ok(comment) => {
            let id = comment.id.into_inner();
            let url = comment.html_url.to_string();
            Ok(if existing.is_some() {
                Outcome::Updated { id, url }
            } else {
                Outcome::Created { id, url }
            })
        }
        Err(GithubError::Status {
            status: 403,
            rate_limited: false,
            message,
            ..
        }) => Ok(Outcome::ReadOnly { message }),
        Err(e) => Err(e.into()),
    }
}

/// [`Outcome::Stale`] when the pull request's head is not the report's.
async fn stale(
    client: &Client,
    request: &CommentRequest<'_>,
) -> Result<Option<Outcome>, GithubError> {
    let Some(ours) = request.head_sha else {
        return Ok(None);
    };
    let pull: PullRequest = client
        .get(&format!("/repos/{}/pulls/{}", request.repo, request.pr))
        .await?;
    Ok((pull.head.sha != ours).then(|| Outcome::Stale {
        ours: ours.to_owned(),
        current: pull.head.sha,
    }))
}

/// GitHub stores `\r\n` as it was sent and may trim the end.
fn normalize(body: &str) -> String {
    body.replace("\r\n", "\n").trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repos_and_markers_are_checked() {
        assert!(valid_repo("acme/proto-schema"));
        assert!(!valid_repo("acme"));
        assert!(!valid_repo("acme/../x"));
        assert!(!valid_repo("a/b/c"));
        assert!(!valid_repo("../b"));
        assert!(valid_marker("schemactl"));
        assert!(!valid_marker("x --> <script>"));
    }

    #[test]
    fn fit_cuts_at_a_line_and_closes_a_fence() {
        let text = format!("head\n```diff\n{}```\n", "+ line\n".repeat(20_000));
        let cut = fit(&text, 65_536 - 100);
        assert!(cut.chars().count() <= 65_536 - 100);
        assert!(cut.contains("cut to fit"));
        assert_eq!(cut.lines().filter(|l| l.starts_with("```")).count() % 2, 0);
        let small = "short\n";
        assert_eq!(fit(small, 100), small);
    }

    #[test]
    fn compose_fits_the_limit_with_the_marker() {
        let body = compose("schemactl", Some("abc123"), &"x\n".repeat(40_000));
        assert!(body.chars().count() <= MAX_BODY_CHARS);
        assert!(body.starts_with("<!-- schemactl:schemactl -->\n<!-- schemactl-head:abc123 -->\n"));
    }
}
