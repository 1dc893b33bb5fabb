//! A GitHub REST client: octocrab's transport (hyper with rustls), token
//! and response models, with schemactl's own retries.
//!
//! Every request goes through [`Client::send`]. Paths are relative to the
//! API base (`/repos/...`), so a GitHub Enterprise base with an `/api/v3`
//! prefix works and octocrab sends the token (it sends it only to relative
//! URIs and api.github.com). Retried, with the waits reported through the
//! [`Client`]'s observer:
//!
//! - 5xx answers and transport failures: exponential backoff from
//!   [`RetryPolicy::backoff`], or the server's `retry-after`;
//! - a secondary rate limit (403/429 with `retry-after`): that many seconds;
//! - a primary rate limit (403/429 with `x-ratelimit-remaining: 0`): until
//!   `x-ratelimit-reset`.
//!
//! A wait longer than [`RetryPolicy::max_wait`] is an error rather than a
//! silent hour-long sleep. A read-only client ([`Client::read_only`], for
//! `--dry-run`) refuses every method but GET before sending anything.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::HeaderMap;
use http_body_util::BodyExt;
use octocrab::Octocrab;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::GithubError;

/// The HTTP methods schemactl uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
        }
    }
}

/// How hard to retry.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub attempts: u32,
    /// The first backoff after a 5xx or a transport failure; doubled each
    /// time.
    pub backoff: Duration,
    /// The longest single wait accepted (a rate limit's reset may be an hour
    /// away).
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(15 * 60),
        }
    }
}

/// Where and as whom.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `https://api.github.com`, or `https://HOST/api/v3` for GitHub
    /// Enterprise Server (what Actions puts in `GITHUB_API_URL`).
    pub api_url: String,
    pub token: Option<String>,
    pub retry: RetryPolicy,
    /// Refuse every write (`--dry-run`).
    pub read_only: bool,
}

/// A wait before a retry, for the observer.
#[derive(Debug, Clone)]
pub struct Wait {
    pub method: Method,
    pub path: String,
    /// Why: `502`, `secondary rate limit`, `primary rate limit`, or the
    /// transport error.
    pub reason: String,
    pub wait: Duration,
    /// The attempt that failed (1 for the first).
    pub attempt: u32,
}

/// A raw answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The largest answer read (a comment page of 100 65 KB comments is 6.5 MB).
const MAX_BODY: usize = 64 << 20;
/// The most pages [`Client::get_all`] follows.
const MAX_PAGES: usize = 1000;

type Observer = Box<dyn Fn(&Wait) + Send + Sync>;

/// The client. Cheap to share by reference across concurrent requests.
pub struct Client {
    octo: Octocrab,
    api_url: String,
    /// The base's path (`/api/v3` on GitHub Enterprise), stripped from the
    /// absolute URLs of `Link` headers.
    base_path: String,
    retry: RetryPolicy,
    read_only: bool,
    observer: Observer,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token.
        f.debug_struct("Client")
            .field("api_url", &self.api_url)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config`. Must be called inside a tokio runtime.
    pub fn new(config: ClientConfig) -> Result<Client, GithubError> {
        let api_url = config.api_url.trim_end_matches('/').to_owned();
        let bad = || GithubError::BadApiUrl {
            url: config.api_url.clone(),
        };
        let uri: http::Uri = api_url.parse().map_err(|_| bad())?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.authority().is_none() {
            return Err(bad());
        }
        let base_path = uri.path().trim_end_matches('/').to_owned();
        let mut builder = Octocrab::builder()
            .base_uri(api_url.as_str())
            .map_err(|_| bad())?
            .set_connect_timeout(Some(Duration::from_secs(10)))
            .set_read_timeout(Some(Duration::from_secs(60)))
            .set_write_timeout(Some(Duration::from_secs(60)))
            .add_header(
                http::header::USER_AGENT,
                concat!("schemactl/", env!("CARGO_PKG_VERSION")).to_owned(),
            );
        if let Some(token) = config.token {
            builder = builder.personal_token(token);
        }
        let octo = builder.build().map_err(|e| GithubError::Transport {
            base: api_url.clone(),
            method: "GET",
            path: String::new(),
            reason: e.to_string(),
        })?;
        Ok(Client {
            octo,
            api_url,
            base_path,
            retry: config.retry,
            read_only: config.read_only,
            observer: Box::new(|_| {}),
        })
    }

    /// Report every wait before a retry to `observer` (the CLI prints them).
    pub fn observe(mut self, observer: impl Fn(&Wait) + Send + Sync + 'static) -> Self {
        self.observer = Box::new(observer);
        self
    }

    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Send one request, retrying as the module documentation says. Any
    /// status is returned once the retries are over; transport failures
    /// are errors.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, GithubError> {
        if self.read_only && method != Method::Get {
            return Err(GithubError::Status {
                method: method.as_str(),
                path: path.to_owned(),
                status: 0,
                message: "refused: a dry run sends no write".to_owned(),
                rate_limited: false,
            });
        }
        let mut attempt = 1;
        loop {
            let result = self.send_once(method, path, body).await;
            let (reason, wait) = match &result {
                Ok(response) => match self.retry_after(response, attempt) {
                    Some(found) => found,
                    None => return result,
                },
                Err(GithubError::Transport { reason, .. }) => {
                    (reason.clone(), self.backoff(attempt))
                }
                Err(_) => return result,
            };
            if attempt >= self.retry.attempts {
                return result;
            }
            if wait > self.retry.max_wait {
                return Err(GithubError::WaitTooLong {
                    method: method.as_str(),
                    path: path.to_owned(),
                    wait,
                    bound: self.retry.max_wait,
                });
            }
            (self.observer)(&Wait {
                method,
                path: path.to_owned(),
                reason,
                wait,
                attempt,
            });
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.retry
            .backoff
            .saturating_mul(1 << (attempt - 1).min(10))
    }

    /// Whether `response` is worth retrying, why, and after how long.
    fn retry_after(&self, response: &Response, attempt: u32) -> Option<(String, Duration)> {
        let header = |name: &str| {
            response
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let retry_after = header("retry-after").and_then(|v| v.parse::<u64>().ok());
        match response.status {
            500..=599 => Some((
                response.status.to_string(),
                retry_after.map_or_else(|| self.backoff(attempt), Duration::from_secs),
            )),
            403 | 429 => {
                if let Some(seconds) = retry_after {
                    return Some((
                        "secondary rate limit".to_owned(),
                        Duration::from_secs(seconds),
                    ));
                }
                if header("x-ratelimit-remaining") == Some("0") {
                    let reset = header("x-ratelimit-reset").and_then(|v| v.parse::<u64>().ok())?;
                    let now = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs());
                    // A second of margin: the reset is a whole second.
                    return Some((
                        "primary rate limit".to_owned(),
                        Duration::from_secs(reset.saturating_sub(now) + 1),
                    ));
                }
                None
            }
            _ => None,
        }
    }

    async fn send_once(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, GithubError> {
        let transport = |reason: String| GithubError::Transport {
            base: self.api_url.clone(),
            method: method.as_str(),
            path: path.to_owned(),
            reason,
        };
        let uri = path;
        let result = match method {
            Method::Get => self.octo._get(uri).await,
            Method::Post => self.octo._post(uri, body).await,
            Method::Patch => self.octo._patch(uri, body).await,
            Method::Put => self.octo._put(uri, body).await,
        };
        let response = result.map_err(|e| transport(error_chain(&e)))?;
        let (parts, body) = response.into_parts();
        let body = http_body_util::Limited::new(body, MAX_BODY)
            .collect()
            .await
            .map_err(|e| transport(format!("reading the answer: {e}")))?
            .to_bytes()
            .to_vec();
        Ok(Response {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body,
        })
    }

    /// Send and decode a 2xx answer as `T`; any other status is an error
    /// with GitHub's message.
    pub async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T, GithubError> {
        let response = self.send(method, path, body).await?;
        self.decode(method, path, response)
    }

    fn decode<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        response: Response,
    ) -> Result<T, GithubError> {
        if !(200..300).contains(&response.status) {
            return Err(status_error(method, path, &response));
        }
        serde_json::from_slice(&response.body).map_err(|e| GithubError::Decode {
            method: method.as_str(),
            path: path.to_owned(),
            reason: e.to_string(),
        })
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, GithubError> {
        self.json(Method::Get, path, None).await
    }

    /// GET, with 404 as `None`.
    pub async fn get_optional<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Option<T>, GithubError> {
        let response = self.send(Method::Get, path, None).await?;
        if response.status == 404 {
            return Ok(None);
        }
        self.decode(Method::Get, path, response).map(Some)
    }

    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, GithubError> {
        let body = to_value(Method::Post, path, body)?;
        self.json(Method::Post, path, Some(&body)).await
    }

    pub async fn patch<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, GithubError> {
        let body = to_value(Method::Patch, path, body)?;
        self.json(Method::Patch, path, Some(&body)).await
    }

    pub async fn put<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, GithubError> {
        let body = to_value(Method::Put, path, body)?;
        self.json(Method::Put, path, Some(&body)).await
    }

    /// Every item of a paginated list: `path` (with its `per_page`) and the
    /// pages its `Link: <...>; rel="next"` headers name, up to a bound.
    pub async fn get_all<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, GithubError> {
        let mut items = Vec::new();
        let mut next = Some(path.to_owned());
        let mut pages = 0;
        while let Some(page) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(GithubError::Decode {
                    method: "GET",
                    path: path.to_owned(),
                    reason: format!("more than {MAX_PAGES} pages"),
                });
            }
            let response = self.send(Method::Get, &page, None).await?;
            next = self.next_page(&response.headers);
            let mut found: Vec<T> = self.decode(Method::Get, &page, response)?;
            items.append(&mut found);
        }
        Ok(items)
    }

    /// The path (relative to the base) of the `rel="next"` page.
    fn next_page(&self, headers: &HeaderMap) -> Option<String> {
        let link = headers.get("link")?.to_str().ok()?;
        let url = link.split(',').find_map(|part| {
            let (url, params) = part.split_once(';')?;
            params
                .split(';')
                .any(|p| p.trim() == "rel=\"next\"")
                .then(|| url.trim().trim_start_matches('<').trim_end_matches('>'))
        })?;
        let uri: http::Uri = url.parse().ok()?;
        let path_and_query = uri.path_and_query()?.as_str();
        let relative = path_and_query
            .strip_prefix(self.base_path.as_str())
            .filter(|rest| rest.starts_with('/'))
            .unwrap_or(path_and_query);
        Some(relative.to_owned())
    }
}

fn to_value(
    method: Method,
    path: &str,
    body: &impl Serialize,
) -> Result<serde_json::Value, GithubError> {
    serde_json::to_value(body).map_err(|e| GithubError::Decode {
        method: method.as_str(),
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

/// The error for a non-2xx answer, with GitHub's `message`.
pub fn status_error(method: Method, path: &str, response: &Response) -> GithubError {
    #[derive(serde::Deserialize)]
    struct Body {
        message: Option<String>,
    }
    let message = serde_json::from_slice::<Body>(&response.body)
        .ok()
        .and_then(|b| b.message)
        .unwrap_or_else(|| {
            String::from_utf8_lossy(&response.body[..response.body.len().min(200)]).into_owned()
        });
    let header = |name: &str| response.headers.get(name).is_some();
    let rate_limited = matches!(response.status, 403 | 429)
        && (header("retry-after")
            || response
                .headers
                .get("x-ratelimit-remaining")
                .is_some_and(|v| v == "0"));
    GithubError::Status {
        method: method.as_str(),
        path: path.to_owned(),
        status: response.status,
        message,
        rate_limited,
    }
}

/// An error with its sources, on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
