//! What can go wrong talking to GitHub.

use std::time::Duration;

/// A failed GitHub request, after the retries [`crate::Client`] makes.
#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    /// No token: every command that writes needs one.
    #[error("no GitHub token: GITHUB_TOKEN is not set and no --token-file was given")]
    NoToken,
    /// The token file could not be read, or is empty.
    #[error("cannot read the token file {path}: {reason}")]
    TokenFile { path: String, reason: String },
    /// The async runtime could not start (out of threads or file
    /// descriptors).
    #[error("cannot start the async runtime: {0}")]
    Runtime(String),
    /// The API base URL is not a URL.
    #[error("the GitHub API URL `{url}` is not an http(s) URL")]
    BadApiUrl { url: String },
    /// GitHub answered with an error status.
    #[error("GitHub answered {status} to {method} {path}: {message}")]
    Status {
        method: &'static str,
        path: String,
        status: u16,
        message: String,
        /// Set when the answer was a rate limit (primary or secondary).
        rate_limited: bool,
    },
    /// GitHub asked to wait longer than the configured bound.
    #[error(
        "GitHub's rate limit asks to wait {wait:?} before {method} {path}, more than the {bound:?} allowed"
    )]
    WaitTooLong {
        method: &'static str,
        path: String,
        wait: Duration,
        bound: Duration,
    },
    /// The request did not reach GitHub (DNS, connection, TLS, timeout).
    #[error("cannot reach GitHub at {base} ({method} {path}): {reason}")]
    Transport {
        base: String,
        method: &'static str,
        path: String,
        reason: String,
    },
    /// GitHub's answer is not the JSON expected.
    #[error("unexpected answer from GitHub to {method} {path}: {reason}")]
    Decode {
        method: &'static str,
        path: String,
        reason: String,
    },
}

impl GithubError {
    /// The HTTP status GitHub answered, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            GithubError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            GithubError::NoToken => "in a workflow pass `GITHUB_TOKEN: ${{ github.token }}` (or a token with access to the repositories) in `env:`; locally, export GITHUB_TOKEN or write the token to a file and pass --token-file".to_owned(),
            GithubError::TokenFile { .. } => "the file must hold the token on its first line".to_owned(),
            GithubError::BadApiUrl { .. } => "use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server".to_owned(),
            GithubError::Status { status: 401, .. } => "the token is not valid (expired or revoked)".to_owned(),
            GithubError::Status { status: 403, rate_limited: false, .. } => "the token lacks a permission: see docs/github.md for what each command needs".to_owned(),
            GithubError::Status { status: 404, .. } => "the repository does not exist or the token cannot see it (a private repository needs a token with access to it)".to_owned(),
            GithubError::Status { rate_limited: true, .. } | GithubError::WaitTooLong { .. } => "rerun after the rate limit resets, or use a token with a higher limit".to_owned(),
            GithubError::Transport { .. } => "check GITHUB_API_URL (or --github-api-url) and the network".to_owned(),
            _ => return None,
        })
    }
}
