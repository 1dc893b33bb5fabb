//! schemactl's GitHub side, the only crate that talks to GitHub:
//!
//! - [`client`]: a REST client on octocrab's transport and models, with
//!   retries that honour `retry-after` and rate-limit resets, GitHub
//!   Enterprise base URLs, and a read-only mode for dry runs;
//! - [`comment`]: the one sticky pull-request comment, found by a hidden
//!   marker;
//! - [`consumers`]: the update pull requests to the consumer repositories
//!   of `schemactl.yaml` after a release;
//! - `fake` (feature `fake`): a local fake of GitHub's API for tests.
//!
//! It never prints: the CLI renders what these return.

pub mod client;
pub mod comment;
pub mod consumers;
mod error;
#[cfg(feature = "fake")]
pub mod fake;

pub use client::{Client, ClientConfig, Method, RetryPolicy, Wait};
pub use error::GithubError;

/// Run `future` to completion on a current-thread runtime of its own: the
/// CLI is synchronous, and the async stack stays in this crate (and the
/// server's).
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, GithubError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| GithubError::Runtime(e.to_string()))?;
    Ok(runtime.block_on(future))
}

/// The API base when neither `--github-api-url` nor `GITHUB_API_URL` says.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// The API base: the flag, else `GITHUB_API_URL` (what Actions sets; GitHub
/// Enterprise Server's is `https://HOST/api/v3`), else api.github.com.
pub fn api_url(flag: Option<&str>) -> String {
    flag.map(str::to_owned)
        .or_else(|| {
            std::env::var("GITHUB_API_URL")
                .ok()
                .filter(|v| !v.is_empty())
        })
        .unwrap_or_else(|| DEFAULT_API_URL.to_owned())
}

/// The token: the first line of `--token-file`, else `GITHUB_TOKEN`, else
/// none.
pub fn token(file: Option<&std::path::Path>) -> Result<Option<String>, GithubError> {
    if let Some(path) = file {
        let shown = path.display().to_string();
        let metadata = std::fs::metadata(path).map_err(|e| GithubError::TokenFile {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        if metadata.len() > 64 * 1024 {
            return Err(GithubError::TokenFile {
                path: shown,
                reason: "larger than 64 KiB".to_owned(),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|e| GithubError::TokenFile {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let token = text.lines().next().unwrap_or_default().trim().to_owned();
        if token.is_empty() {
            return Err(GithubError::TokenFile {
                path: shown,
                reason: "it is empty".to_owned(),
            });
        }
        return Ok(Some(token));
    }
    Ok(std::env::var("GITHUB_TOKEN")
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty()))
}
