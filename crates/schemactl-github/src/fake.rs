//! A local fake of GitHub's REST API for tests (feature `fake`).
//!
//! It answers with GitHub's response shapes (every field octocrab's models
//! require, and the usual others), keeps state (repositories with branches
//! and files, pull requests, issue comments, labels), checks tokens (a
//! read-only token gets GitHub's 403 on writes, as a fork's does), paginates
//! with `Link` headers, serves under a path prefix (`/api/v3`, as GitHub
//! Enterprise Server does), logs every request with its time, and injects
//! faults (a status with headers, for the next N matching requests).
//!
//! It runs on its own thread with its own runtime, so a test stays
//! synchronous: start it, point `GITHUB_API_URL` at [`FakeGithub::url`], run
//! the command, then read the state and the log.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};

/// One logged request.
#[derive(Debug, Clone)]
pub struct Logged {
    pub method: String,
    /// Path without the prefix, with the query.
    pub path: String,
    pub status: u16,
    /// Since the server started.
    pub at: Duration,
    /// The JSON body sent, if any.
    pub body: Option<Value>,
}

/// A fault to inject: the next `times` requests matching `method` (any if
/// `None`) and a path containing `path_contains` get `status` with
/// `headers` and GitHub's error body.
#[derive(Debug, Clone)]
pub struct Fault {
    pub method: Option<String>,
    pub path_contains: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub message: String,
    pub times: usize,
}

/// A pull request as the fake keeps it.
#[derive(Debug, Clone)]
pub struct FakePull {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub head: String,
    pub head_sha: String,
    pub base: String,
    pub state: String,
    pub labels: Vec<String>,
    /// The login of the token that opened it.
    pub user: String,
}

/// An issue comment as the fake keeps it.
#[derive(Debug, Clone)]
pub struct FakeComment {
    pub id: u64,
    pub issue: u64,
    pub body: String,
    pub user: String,
    pub created: u64,
    pub updated: u64,
}

#[derive(Debug, Default)]
struct Repo {
    id: u64,
    default_branch: String,
    /// Branch → commit sha.
    branches: BTreeMap<String, String>,
    /// Commit sha → (path → content).
    trees: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    pulls: Vec<FakePull>,
    comments: Vec<FakeComment>,
    /// Whether requests to it answer 404 (it exists for nobody).
    hidden: bool,
}

#[derive(Debug, Default)]
struct State {
    repos: BTreeMap<String, Repo>,
    /// Token → (login, may write).
    tokens: BTreeMap<String, (String, bool)>,
    log: Vec<Logged>,
    faults: Vec<Fault>,
    next_id: u64,
    clock: u64,
}

impl State {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }
}

/// The running fake.
pub struct FakeGithub {
    url: String,
    prefix: String,
    state: Arc<Mutex<State>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeGithub {
    /// Start on a free local port, serving under `prefix` (`""` like
    /// api.github.com, `"/api/v3"` like GitHub Enterprise Server).
    pub fn start(prefix: &str) -> FakeGithub {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("local address");
        let prefix = prefix.trim_end_matches('/').to_owned();
        let url = format!("http://{addr}{prefix}");
        let state = Arc::new(Mutex::new(State {
            next_id: 1000,
            clock: 1_700_000_000,
            ..State::default()
        }));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let shared = Shared {
            state: state.clone(),
            prefix: prefix.clone(),
            origin: format!("http://{addr}"),
            started: Instant::now(),
        };
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                let app = axum::Router::new().fallback(
                    move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                        let shared = shared.clone();
                        async move { shared.handle(method, uri, headers, body) }
                    },
                );
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await;
            });
        });
        FakeGithub {
            url,
            prefix,
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// The API base URL (what `GITHUB_API_URL` is set to).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A token for `login`; `write: false` makes it read-only (a fork's).
    pub fn add_token(&self, token: &str, login: &str, write: bool) {
        self.state()
            .tokens
            .insert(token.to_owned(), (login.to_owned(), write));
    }

    /// A repository `owner/name` with one commit on `default_branch`
    /// holding `files`.
    pub fn add_repo(&self, full_name: &str, default_branch: &str, files: &[(&str, &str)]) {
        let mut state = self.state();
        let id = state.id();
        let tree: BTreeMap<String, Vec<u8>> = files
            .iter()
            .map(|(p, c)| ((*p).to_owned(), c.as_bytes().to_vec()))
            .collect();
        let sha = tree_sha(&tree, None);
        let mut repo = Repo {
            id,
            default_branch: default_branch.to_owned(),
            ..Repo::default()
        };
        repo.branches.insert(default_branch.to_owned(), sha.clone());
        repo.trees.insert(sha, tree);
        state.repos.insert(full_name.to_owned(), repo);
    }

    /// Make a repository answer 404 to everything.
    pub fn hide_repo(&self, full_name: &str) {
        if let Some(repo) = self.state().repos.get_mut(full_name) {
            repo.hidden = true;
        }
    }

    /// An open pull request `number` from `head` (at `head_sha`) into the
    /// default branch.
    pub fn add_pull(&self, full_name: &str, number: u64, head: &str, head_sha: &str) {
        let mut state = self.state();
        let Some(repo) = state.repos.get_mut(full_name) else {
            panic!("no repository {full_name}");
        };
        let base = repo.default_branch.clone();
        repo.pulls.push(FakePull {
            number,
            title: format!("Pull request {number}"),
            body: String::new(),
            head: head.to_owned(),
            head_sha: head_sha.to_owned(),
            base,
            state: "open".to_owned(),
            labels: Vec::new(),
            user: "author".to_owned(),
        });
    }

    /// A new head commit on a pull request (a push).
    pub fn set_pull_head(&self, full_name: &str, number: u64, head_sha: &str) {
        let mut state = self.state();
        if let Some(pull) = state
            .repos
            .get_mut(full_name)
            .and_then(|r| r.pulls.iter_mut().find(|p| p.number == number))
        {
            pull.head_sha = head_sha.to_owned();
        }
    }

    /// A comment by `user` on issue or pull request `issue`.
    pub fn add_comment(&self, full_name: &str, issue: u64, user: &str, body: &str) -> u64 {
        let mut state = self.state();
        let id = state.id();
        let now = state.tick();
        let repo = state.repos.get_mut(full_name).expect("repository");
        repo.comments.push(FakeComment {
            id,
            issue,
            body: body.to_owned(),
            user: user.to_owned(),
            created: now,
            updated: now,
        });
        id
    }

    pub fn comments(&self, full_name: &str, issue: u64) -> Vec<FakeComment> {
        self.state()
            .repos
            .get(full_name)
            .map(|r| {
                r.comments
                    .iter()
                    .filter(|c| c.issue == issue)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn pulls(&self, full_name: &str) -> Vec<FakePull> {
        self.state()
            .repos
            .get(full_name)
            .map(|r| r.pulls.clone())
            .unwrap_or_default()
    }

    /// A file's content on a branch.
    pub fn file(&self, full_name: &str, branch: &str, path: &str) -> Option<String> {
        let state = self.state();
        let repo = state.repos.get(full_name)?;
        let sha = repo.branches.get(branch)?;
        let bytes = repo.trees.get(sha)?.get(path)?;
        Some(String::from_utf8_lossy(bytes).into_owned())
    }

    pub fn branches(&self, full_name: &str) -> Vec<String> {
        self.state()
            .repos
            .get(full_name)
            .map(|r| r.branches.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Every request so far.
    pub fn log(&self) -> Vec<Logged> {
        self.state().log.clone()
    }

    pub fn clear_log(&self) {
        self.state().log.clear();
    }

    pub fn inject(&self, fault: Fault) {
        self.state().faults.push(fault);
    }
}

impl Drop for FakeGithub {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A stand-in commit sha: the hash of the tree and its parent.
fn tree_sha(tree: &BTreeMap<String, Vec<u8>>, parent: Option<&str>) -> String {
    use std::hash::{Hash, Hasher};
    let mut a = std::collections::hash_map::DefaultHasher::new();
    tree.hash(&mut a);
    parent.hash(&mut a);
    let first = a.finish();
    first.hash(&mut a);
    let second = a.finish();
    format!("{first:016x}{second:016x}{:08x}", (first ^ second) as u32)
}

fn blob_sha(bytes: &[u8]) -> String {
    let mut tree = BTreeMap::new();
    tree.insert(String::new(), bytes.to_vec());
    tree_sha(&tree, Some("blob"))
}

#[derive(Clone)]
struct Shared {
    state: Arc<Mutex<State>>,
    prefix: String,
    /// `http://127.0.0.1:PORT`.
    origin: String,
    started: Instant,
}

/// An answer: status, JSON body, extra headers.
struct Answer {
    status: u16,
    body: Value,
    headers: Vec<(String, String)>,
}

impl Answer {
    fn ok(body: Value) -> Answer {
        Answer {
            status: 200,
            body,
            headers: Vec::new(),
        }
    }

    fn created(body: Value) -> Answer {
        Answer {
            status: 201,
            body,
            headers: Vec::new(),
        }
    }

    fn error(status: u16, message: &str) -> Answer {
        Answer {
            status,
            body: json!({
                "message": message,
                "documentation_url": "https://docs.github.com/rest",
                "status": status.to_string(),
            }),
            headers: Vec::new(),
        }
    }

    fn not_found() -> Answer {
        Answer::error(404, "Not Found")
    }
}

impl Shared {
    fn handle(&self, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let full = uri.path();
        let path = match full.strip_prefix(self.prefix.as_str()) {
            Some(rest) if rest.starts_with('/') || self.prefix.is_empty() => rest.to_owned(),
            _ => {
                return self.finish(
                    &mut state,
                    &method,
                    full.to_owned(),
                    None,
                    Answer::not_found(),
                );
            }
        };
        let logged_path = match uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.clone(),
        };
        let json_body: Option<Value> = serde_json::from_slice(&body).ok();
        // An injected fault first.
        if let Some(i) = state.faults.iter().position(|f| {
            f.times > 0
                && f.method.as_deref().is_none_or(|m| m == method.as_str())
                && logged_path.contains(&f.path_contains)
        }) {
            let fault = &mut state.faults[i];
            fault.times -= 1;
            let mut answer = Answer::error(fault.status, &fault.message);
            answer.headers = fault.headers.clone();
            return self.finish(&mut state, &method, logged_path, json_body, answer);
        }
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("token "))
            })
            .map(str::to_owned);
        let user = match &token {
            Some(token) => match state.tokens.get(token) {
                Some(found) => Some(found.clone()),
                None => {
                    return self.finish(
                        &mut state,
                        &method,
                        logged_path,
                        json_body,
                        Answer::error(401, "Bad credentials"),
                    );
                }
            },
            None => None,
        };
        let answer = if method != Method::GET {
            match &user {
                None => Answer::error(401, "Requires authentication"),
                Some((_, false)) => Answer::error(403, "Resource not accessible by integration"),
                Some((login, true)) => {
                    let login = login.clone();
                    self.route(&mut state, &method, &path, &uri, json_body.as_ref(), &login)
                }
            }
        } else {
            let login = user.map(|(l, _)| l).unwrap_or_default();
            self.route(&mut state, &method, &path, &uri, None, &login)
        };
        self.finish(&mut state, &method, logged_path, json_body, answer)
    }

    fn finish(
        &self,
        state: &mut State,
        method: &Method,
        path: String,
        body: Option<Value>,
        answer: Answer,
    ) -> Response {
        state.log.push(Logged {
            method: method.to_string(),
            path,
            status: answer.status,
            at: self.started.elapsed(),
            body,
        });
        let status =
            StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, answer.body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            "content-type",
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        for (name, value) in answer.headers {
            if let (Ok(name), Ok(value)) = (
                axum::http::HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                headers.insert(name, value);
            }
        }
        response
    }

    fn api(&self) -> String {
        format!("{}{}", self.origin, self.prefix)
    }

    fn html(&self) -> String {
        format!("{}/html", self.origin)
    }

    fn route(
        &self,
        state: &mut State,
        method: &Method,
        path: &str,
        uri: &Uri,
        body: Option<&Value>,
        login: &str,
    ) -> Answer {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let query = parse_query(uri.query().unwrap_or(""));
        match (method.as_str(), segments.as_slice()) {
            ("GET", ["user"]) => {
                if login.is_empty() {
                    Answer::error(401, "Requires authentication")
                } else {
                    Answer::ok(self.user_json(login))
                }
            }
            (_, ["repos", owner, name, rest @ ..]) => {
                let full = format!("{owner}/{name}");
                match state.repos.get(&full) {
                    Some(repo) if !repo.hidden => {}
                    _ => return Answer::not_found(),
                }
                self.repo_route(state, method.as_str(), &full, rest, &query, body, login)
            }
            _ => Answer::not_found(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn repo_route(
        &self,
        state: &mut State,
        method: &str,
        full: &str,
        rest: &[&str],
        query: &BTreeMap<String, String>,
        body: Option<&Value>,
        login: &str,
    ) -> Answer {
        let field = |name: &str| body.and_then(|b| b.get(name));
        let text = |name: &str| field(name).and_then(Value::as_str).map(str::to_owned);
        match (method, rest) {
            ("GET", []) => {
                let repo = &state.repos[full];
                Answer::ok(self.repo_json(full, repo))
            }
            ("GET", ["pulls", number]) => {
                let Ok(number) = number.parse::<u64>() else {
                    return Answer::not_found();
                };
                let repo = &state.repos[full];
                match repo.pulls.iter().find(|p| p.number == number) {
                    Some(pull) => Answer::ok(self.pull_json(full, repo, pull)),
                    None => Answer::not_found(),
                }
            }
            ("GET", ["pulls"]) => {
                let repo = &state.repos[full];
                let wanted_state = query.get("state").map_or("open", String::as_str);
                let head = query.get("head").cloned();
                let owner = full.split('/').next().unwrap_or_default();
                let items: Vec<Value> = repo
                    .pulls
                    .iter()
                    .filter(|p| wanted_state == "all" || p.state == wanted_state)
                    .filter(|p| {
                        head.as_deref()
                            .is_none_or(|h| h == format!("{owner}:{}", p.head))
                    })
                    .map(|p| self.pull_json(full, repo, p))
                    .collect();
                self.page(full, "pulls", items, query)
            }
            ("POST", ["pulls"]) => {
                let (Some(title), Some(head), Some(base)) =
                    (text("title"), text("head"), text("base"))
                else {
                    return Answer::error(422, "Validation Failed");
                };
                let number = state.id();
                let repo = state.repos.get_mut(full).expect("checked above");
                let Some(head_sha) = repo.branches.get(&head).cloned() else {
                    return Answer::error(422, "Validation Failed: head does not exist");
                };
                if !repo.branches.contains_key(&base) {
                    return Answer::error(422, "Validation Failed: base does not exist");
                }
                if repo
                    .pulls
                    .iter()
                    .any(|p| p.state == "open" && p.head == head && p.base == base)
                {
                    return Answer::error(
                        422,
                        &format!("Validation Failed: A pull request already exists for {head}."),
                    );
                }
                let pull = FakePull {
                    number,
                    title,
                    body: text("body").unwrap_or_default(),
                    head,
                    head_sha,
                    base,
                    state: "open".to_owned(),
                    labels: Vec::new(),
                    user: login.to_owned(),
                };
                repo.pulls.push(pull.clone());
                let repo = &state.repos[full];
                Answer::created(self.pull_json(full, repo, &pull))
            }
            ("PATCH", ["pulls", number]) => {
                let Ok(number) = number.parse::<u64>() else {
                    return Answer::not_found();
                };
                let repo = state.repos.get_mut(full).expect("checked above");
                let Some(pull) = repo.pulls.iter_mut().find(|p| p.number == number) else {
                    return Answer::not_found();
                };
                if let Some(title) = text("title") {
                    pull.title = title;
                }
                if let Some(body) = text("body") {
                    pull.body = body;
                }
                if let Some(state) = text("state") {
                    pull.state = state;
                }
                let pull = pull.clone();
                let repo = &state.repos[full];
                Answer::ok(self.pull_json(full, repo, &pull))
            }
            ("POST", ["issues", number, "labels"]) => {
                let Ok(number) = number.parse::<u64>() else {
                    return Answer::not_found();
                };
                let labels: Vec<String> = field("labels")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                let repo = state.repos.get_mut(full).expect("checked above");
                let Some(pull) = repo.pulls.iter_mut().find(|p| p.number == number) else {
                    return Answer::not_found();
                };
                for label in labels {
                    if !pull.labels.contains(&label) {
                        pull.labels.push(label);
                    }
                }
                let labels = pull.labels.clone();
                Answer::ok(Value::Array(
                    labels.iter().map(|l| self.label_json(full, l)).collect(),
                ))
            }
            ("GET", ["issues", number, "comments"]) => {
                let Ok(number) = number.parse::<u64>() else {
                    return Answer::not_found();
                };
                let repo = &state.repos[full];
                let items: Vec<Value> = repo
                    .comments
                    .iter()
                    .filter(|c| c.issue == number)
                    .map(|c| self.comment_json(full, c))
                    .collect();
                self.page(full, &format!("issues/{number}/comments"), items, query)
            }
            ("POST", ["issues", number, "comments"]) => {
                let Ok(number) = number.parse::<u64>() else {
                    return Answer::not_found();
                };
                let Some(body) = text("body") else {
                    return Answer::error(422, "Validation Failed: body is missing");
                };
                if body.chars().count() > 65_536 {
                    return Answer::error(
                        422,
                        "Validation Failed: body is too long (maximum is 65536 characters)",
                    );
                }
                let id = state.id();
                let now = state.tick();
                let comment = FakeComment {
                    id,
                    issue: number,
                    body,
                    user: login.to_owned(),
                    created: now,
                    updated: now,
                };
                let repo = state.repos.get_mut(full).expect("checked above");
                repo.comments.push(comment.clone());
                Answer::created(self.comment_json(full, &comment))
            }
            ("PATCH", ["issues", "comments", id]) => {
                let Ok(id) = id.parse::<u64>() else {
                    return Answer::not_found();
                };
                let Some(body) = text("body") else {
                    return Answer::error(422, "Validation Failed: body is missing");
                };
                if body.chars().count() > 65_536 {
                    return Answer::error(
                        422,
                        "Validation Failed: body is too long (maximum is 65536 characters)",
                    );
                }
                let now = state.tick();
                let repo = state.repos.get_mut(full).expect("checked above");
                let Some(comment) = repo.comments.iter_mut().find(|c| c.id == id) else {
                    return Answer::not_found();
                };
                if comment.user != login {
                    return Answer::error(403, "Must have admin rights to Repository.");
                }
                comment.body = body;
                comment.updated = now;
                let comment = comment.clone();
                Answer::ok(self.comment_json(full, &comment))
            }
            ("GET", ["contents", path @ ..]) => {
                let path = path.join("/");
                let repo = &state.repos[full];
                let branch = query
                    .get("ref")
                    .cloned()
                    .unwrap_or_else(|| repo.default_branch.clone());
                let Some(bytes) = repo
                    .branches
                    .get(&branch)
                    .and_then(|sha| repo.trees.get(sha))
                    .and_then(|tree| tree.get(&path))
                else {
                    return Answer::not_found();
                };
                Answer::ok(self.content_json(full, &branch, &path, bytes, true))
            }
            ("PUT", ["contents", path @ ..]) => {
                let path = path.join("/");
                let (Some(message), Some(content)) = (text("message"), text("content")) else {
                    return Answer::error(
                        422,
                        "Validation Failed: message and content are required",
                    );
                };
                let Ok(bytes) =
                    base64::engine::general_purpose::STANDARD.decode(content.as_bytes())
                else {
                    return Answer::error(422, "Validation Failed: content is not valid Base64");
                };
                let repo = state.repos.get_mut(full).expect("checked above");
                let branch = text("branch").unwrap_or_else(|| repo.default_branch.clone());
                let Some(parent) = repo.branches.get(&branch).cloned() else {
                    return Answer::error(422, &format!("Branch {branch} not found"));
                };
                let mut tree = repo.trees.get(&parent).cloned().unwrap_or_default();
                let existing = tree.get(&path).map(|b| blob_sha(b));
                match (&existing, text("sha")) {
                    (Some(current), Some(given)) if *current != given => {
                        return Answer::error(409, &format!("{path} does not match {given}"));
                    }
                    (Some(_), None) => {
                        return Answer::error(422, "Invalid request.\n\n\"sha\" wasn't supplied.");
                    }
                    _ => {}
                }
                let _ = message;
                tree.insert(path.clone(), bytes.clone());
                let sha = tree_sha(&tree, Some(&parent));
                repo.trees.insert(sha.clone(), tree);
                repo.branches.insert(branch.clone(), sha.clone());
                let status = if existing.is_some() { 200 } else { 201 };
                Answer {
                    status,
                    body: json!({
                        "content": self.content_json(full, &branch, &path, &bytes, false),
                        "commit": self.commit_json(full, &sha, &parent),
                    }),
                    headers: Vec::new(),
                }
            }
            ("GET", ["git", "ref", "heads", branch @ ..]) => {
                let branch = branch.join("/");
                let repo = &state.repos[full];
                match repo.branches.get(&branch) {
                    Some(sha) => Answer::ok(self.ref_json(full, &branch, sha)),
                    None => Answer::not_found(),
                }
            }
            ("POST", ["git", "refs"]) => {
                let (Some(reference), Some(sha)) = (text("ref"), text("sha")) else {
                    return Answer::error(422, "Validation Failed: ref and sha are required");
                };
                let Some(branch) = reference.strip_prefix("refs/heads/") else {
                    return Answer::error(422, "Reference name must start with refs/heads/");
                };
                let repo = state.repos.get_mut(full).expect("checked above");
                if repo.branches.contains_key(branch) {
                    return Answer::error(422, "Reference already exists");
                }
                if !repo.trees.contains_key(&sha) {
                    return Answer::error(422, "Object does not exist");
                }
                repo.branches.insert(branch.to_owned(), sha.clone());
                Answer::created(self.ref_json(full, branch, &sha))
            }
            ("PATCH", ["git", "refs", "heads", branch @ ..]) => {
                let branch = branch.join("/");
                let Some(sha) = text("sha") else {
                    return Answer::error(422, "Validation Failed: sha is required");
                };
                let repo = state.repos.get_mut(full).expect("checked above");
                if !repo.branches.contains_key(&branch) {
                    return Answer::error(422, "Reference does not exist");
                }
                if !repo.trees.contains_key(&sha) {
                    return Answer::error(422, "Object does not exist");
                }
                repo.branches.insert(branch.clone(), sha.clone());
                Answer::ok(self.ref_json(full, &branch, &sha))
            }
            _ => Answer::not_found(),
        }
    }

    /// One page of `items` with GitHub's `Link` header.
    fn page(
        &self,
        full: &str,
        what: &str,
        items: Vec<Value>,
        query: &BTreeMap<String, String>,
    ) -> Answer {
        let per_page = query
            .get("per_page")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(30)
            .clamp(1, 100);
        let page = query
            .get("page")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1);
        let last = items.len().div_ceil(per_page).max(1);
        let slice: Vec<Value> = items
            .into_iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .collect();
        let mut extra: Vec<String> = query
            .iter()
            .filter(|(k, _)| *k != "page" && *k != "per_page")
            .map(|(k, v)| format!("&{k}={v}"))
            .collect();
        extra.sort();
        let extra = extra.concat();
        let link = |n: usize, rel: &str| {
            format!(
                "<{}/repos/{full}/{what}?per_page={per_page}{extra}&page={n}>; rel=\"{rel}\"",
                self.api()
            )
        };
        let mut links = Vec::new();
        if page > 1 {
            links.push(link(page - 1, "prev"));
            links.push(link(1, "first"));
        }
        if page < last {
            links.push(link(page + 1, "next"));
            links.push(link(last, "last"));
        }
        let mut answer = Answer::ok(Value::Array(slice));
        if !links.is_empty() {
            answer.headers.push(("link".to_owned(), links.join(", ")));
        }
        answer
    }

    fn user_json(&self, login: &str) -> Value {
        let api = self.api();
        let id = login
            .bytes()
            .fold(7u64, |h, b| h.wrapping_mul(31) + u64::from(b))
            % 10_000_000;
        let bot = login.ends_with("[bot]");
        json!({
            "login": login,
            "id": id,
            "node_id": format!("U_{id}"),
            "avatar_url": format!("{}/avatars/{id}", self.origin),
            "gravatar_id": "",
            "url": format!("{api}/users/{login}"),
            "html_url": format!("{}/{login}", self.html()),
            "followers_url": format!("{api}/users/{login}/followers"),
            "following_url": format!("{api}/users/{login}/following{{/other_user}}"),
            "gists_url": format!("{api}/users/{login}/gists{{/gist_id}}"),
            "starred_url": format!("{api}/users/{login}/starred{{/owner}}{{/repo}}"),
            "subscriptions_url": format!("{api}/users/{login}/subscriptions"),
            "organizations_url": format!("{api}/users/{login}/orgs"),
            "repos_url": format!("{api}/users/{login}/repos"),
            "events_url": format!("{api}/users/{login}/events{{/privacy}}"),
            "received_events_url": format!("{api}/users/{login}/received_events"),
            "type": if bot { "Bot" } else { "User" },
            "user_view_type": "public",
            "site_admin": false,
        })
    }

    fn repo_json(&self, full: &str, repo: &Repo) -> Value {
        let api = self.api();
        let (owner, name) = full.split_once('/').unwrap_or((full, full));
        json!({
            "id": repo.id,
            "node_id": format!("R_{}", repo.id),
            "name": name,
            "full_name": full,
            "private": false,
            "owner": self.user_json(owner),
            "html_url": format!("{}/{full}", self.html()),
            "description": null,
            "fork": false,
            "url": format!("{api}/repos/{full}"),
            "contents_url": format!("{api}/repos/{full}/contents/{{+path}}"),
            "pulls_url": format!("{api}/repos/{full}/pulls{{/number}}"),
            "git_refs_url": format!("{api}/repos/{full}/git/refs{{/sha}}"),
            "default_branch": repo.default_branch,
            "visibility": "public",
            "archived": false,
            "disabled": false,
            "permissions": {"admin": false, "maintain": false, "push": true, "triage": true, "pull": true},
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "pushed_at": "2026-01-01T00:00:00Z",
        })
    }

    fn branch_json(&self, full: &str, repo: &Repo, branch: &str, sha: &str) -> Value {
        let owner = full.split('/').next().unwrap_or_default();
        json!({
            "label": format!("{owner}:{branch}"),
            "ref": branch,
            "sha": sha,
            "user": self.user_json(owner),
            "repo": self.repo_json(full, repo),
        })
    }

    fn pull_json(&self, full: &str, repo: &Repo, pull: &FakePull) -> Value {
        let api = self.api();
        let n = pull.number;
        let base_sha = repo.branches.get(&pull.base).cloned().unwrap_or_default();
        json!({
            "url": format!("{api}/repos/{full}/pulls/{n}"),
            "id": 50_000 + n,
            "node_id": format!("PR_{n}"),
            "html_url": format!("{}/{full}/pull/{n}", self.html()),
            "diff_url": format!("{}/{full}/pull/{n}.diff", self.html()),
            "patch_url": format!("{}/{full}/pull/{n}.patch", self.html()),
            "issue_url": format!("{api}/repos/{full}/issues/{n}"),
            "commits_url": format!("{api}/repos/{full}/pulls/{n}/commits"),
            "review_comments_url": format!("{api}/repos/{full}/pulls/{n}/comments"),
            "review_comment_url": format!("{api}/repos/{full}/pulls/comments{{/number}}"),
            "comments_url": format!("{api}/repos/{full}/issues/{n}/comments"),
            "statuses_url": format!("{api}/repos/{full}/statuses/{}", pull.head_sha),
            "number": n,
            "state": pull.state,
            "locked": false,
            "title": pull.title,
            "user": self.user_json(&pull.user),
            "body": pull.body,
            "labels": pull.labels.iter().map(|l| self.label_json(full, l)).collect::<Vec<_>>(),
            "milestone": null,
            "active_lock_reason": null,
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "closed_at": null,
            "merged_at": null,
            "merge_commit_sha": null,
            "assignee": null,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": self.branch_json(full, repo, &pull.head, &pull.head_sha),
            "base": self.branch_json(full, repo, &pull.base, &base_sha),
            "_links": {
                "self": {"href": format!("{api}/repos/{full}/pulls/{n}")},
                "html": {"href": format!("{}/{full}/pull/{n}", self.html())},
            },
            "author_association": "MEMBER",
            "auto_merge": null,
            "draft": false,
        })
    }

    fn label_json(&self, full: &str, name: &str) -> Value {
        let id = name
            .bytes()
            .fold(11u64, |h, b| h.wrapping_mul(31) + u64::from(b))
            % 10_000_000;
        json!({
            "id": id,
            "node_id": format!("LA_{id}"),
            "url": format!("{}/repos/{full}/labels/{}", self.api(), name.replace(' ', "%20")),
            "name": name,
            "description": null,
            "color": "ededed",
            "default": false,
        })
    }

    fn comment_json(&self, full: &str, comment: &FakeComment) -> Value {
        let api = self.api();
        json!({
            "id": comment.id,
            "node_id": format!("IC_{}", comment.id),
            "url": format!("{api}/repos/{full}/issues/comments/{}", comment.id),
            "html_url": format!("{}/{full}/pull/{}#issuecomment-{}", self.html(), comment.issue, comment.id),
            "issue_url": format!("{api}/repos/{full}/issues/{}", comment.issue),
            "body": comment.body,
            "user": self.user_json(&comment.user),
            "created_at": timestamp(comment.created),
            "updated_at": timestamp(comment.updated),
            "author_association": "CONTRIBUTOR",
        })
    }

    fn content_json(
        &self,
        full: &str,
        branch: &str,
        path: &str,
        bytes: &[u8],
        with_content: bool,
    ) -> Value {
        let api = self.api();
        let sha = blob_sha(bytes);
        let name = path.rsplit('/').next().unwrap_or(path);
        let mut value = json!({
            "type": "file",
            "size": bytes.len(),
            "name": name,
            "path": path,
            "sha": sha,
            "url": format!("{api}/repos/{full}/contents/{path}?ref={branch}"),
            "git_url": format!("{api}/repos/{full}/git/blobs/{sha}"),
            "html_url": format!("{}/{full}/blob/{branch}/{path}", self.html()),
            "download_url": format!("{}/raw/{full}/{branch}/{path}", self.origin),
            "_links": {
                "self": format!("{api}/repos/{full}/contents/{path}?ref={branch}"),
                "git": format!("{api}/repos/{full}/git/blobs/{sha}"),
                "html": format!("{}/{full}/blob/{branch}/{path}", self.html()),
            },
        });
        if with_content {
            // GitHub wraps the Base64 at 60 columns with newlines.
            let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
            let wrapped: Vec<&str> = encoded
                .as_bytes()
                .chunks(60)
                .map(|c| std::str::from_utf8(c).unwrap_or_default())
                .collect();
            value["encoding"] = json!("base64");
            value["content"] = json!(format!("{}\n", wrapped.join("\n")));
        }
        value
    }

    fn commit_json(&self, full: &str, sha: &str, parent: &str) -> Value {
        let api = self.api();
        json!({
            "sha": sha,
            "node_id": format!("C_{sha}"),
            "url": format!("{api}/repos/{full}/git/commits/{sha}"),
            "html_url": format!("{}/{full}/commit/{sha}", self.html()),
            "author": {"name": "schemactl", "email": "schemactl@example.com", "date": "2026-01-01T00:00:00Z"},
            "committer": {"name": "schemactl", "email": "schemactl@example.com", "date": "2026-01-01T00:00:00Z"},
            "message": "update",
            "tree": {"url": format!("{api}/repos/{full}/git/trees/{sha}"), "sha": sha},
            "parents": [{"url": format!("{api}/repos/{full}/git/commits/{parent}"), "html_url": format!("{}/{full}/commit/{parent}", self.html()), "sha": parent}],
            "verification": {"verified": false, "reason": "unsigned", "signature": null, "payload": null},
        })
    }

    fn ref_json(&self, full: &str, branch: &str, sha: &str) -> Value {
        let api = self.api();
        json!({
            "ref": format!("refs/heads/{branch}"),
            "node_id": format!("REF_{branch}"),
            "url": format!("{api}/repos/{full}/git/refs/heads/{branch}"),
            "object": {
                "type": "commit",
                "sha": sha,
                "url": format!("{api}/repos/{full}/git/commits/{sha}"),
            },
        })
    }
}

fn parse_query(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_owned(), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Seconds since the epoch as GitHub's ISO 8601.
fn timestamp(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
