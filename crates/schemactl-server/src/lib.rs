//! `schemactl serve`: the registry over HTTP.
//!
//! - the native API under `/api/v1` (`native.rs`), with its OpenAPI document;
//! - the Confluent Schema Registry API at the root (`confluent.rs`);
//! - the web UI (`ui.rs`) at `/` (for browsers) and `/ui/...`;
//! - `/healthz`, `/readyz`, `/metrics`, and the GitHub push webhook.
//!
//! The state is one immutable snapshot behind an atomic pointer
//! (`state.rs`); a background task refreshes it by polling and on webhook.

// Handlers return `Result<_, Response>` for early exits with an error
// response; those are the cold paths, and boxing them buys nothing.
#![allow(clippy::result_large_err)]

mod confluent;
mod conn;
mod jobs;
mod metrics;
mod native;
mod state;
mod ui;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, get, post};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

pub use state::Source;

/// How `schemactl serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub source: Source,
    pub addr: SocketAddr,
    /// Refresh interval (zero: only on webhook).
    pub poll: Duration,
    /// Reads require `Authorization: Bearer <token>` (or HTTP Basic with the
    /// token as password) when set.
    pub token: Option<String>,
    /// Secret of the GitHub webhook (`X-Hub-Signature-256`); the webhook is
    /// disabled without it.
    pub webhook_secret: Option<String>,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Longest time a request may take.
    pub request_timeout: Duration,
    /// Longest time a client may take to send a request head, and to stay
    /// silent between two requests on a kept-alive connection.
    pub header_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// CPU-heavy requests (lookup, compatibility, validate, diff) run at
    /// once; more wait briefly, then get 429.
    pub max_jobs: usize,
}

impl ServeOptions {
    pub fn new(source: Source, addr: SocketAddr) -> Self {
        ServeOptions {
            source,
            addr,
            poll: Duration::from_secs(30),
            token: None,
            webhook_secret: None,
            body_limit: 1 << 20,
            request_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_jobs: default_max_jobs(),
        }
    }
}

/// One CPU-heavy job per core but one, which stays free for the cheap
/// lookups (at least one job).
pub fn default_max_jobs() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1)
}

/// Where a remote repository is mirrored by default.
pub fn default_cache_dir(url: &str) -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    let name: String = url
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    base.join("schemactl").join("repos").join(name)
}

/// Run the server until SIGINT or SIGTERM. Blocks.
pub fn serve(options: ServeOptions) -> Result<(), String> {
    // The CLI's hook says the program stopped; a panic while answering a
    // request does not stop the server (the request gets a 500).
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "schemactl serve: internal error (a bug): {info}\nhint: a request that hit it was answered 500 and the server carries on; please report it with that request"
        );
    }));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("schemactl-serve")
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let result = runtime.block_on(run(options));
    // Work that cannot be interrupted (inside the compiler) may still be
    // running for a request that was answered long ago; it must not keep
    // the process from exiting.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

/// The server's request handling without a socket: every route, layer and
/// limit of [`serve`] over one loaded registry, answering one request at a
/// time. The HTTP fuzz target drives the whole server through it.
pub struct InProcess {
    runtime: tokio::runtime::Runtime,
    router: Router,
}

impl InProcess {
    pub fn new(
        options: ServeOptions,
        registry: schemactl_registry::Registry,
    ) -> Result<Self, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))?;
        let state = Arc::new(state::AppState {
            snapshot: arc_swap::ArcSwapOption::empty(),
            status: Mutex::new(state::Status::default()),
            metrics: metrics::Metrics::default(),
            refresh: tokio::sync::Notify::new(),
            jobs: Arc::new(jobs::Jobs::new(options.max_jobs, options.request_timeout)),
            options,
            started: Instant::now(),
        });
        state
            .snapshot
            .store(Some(Arc::new(state::snapshot(registry, 0.0))));
        Ok(InProcess {
            runtime,
            router: router(state),
        })
    }

    /// Answer one request: its status and body. `None` when the method,
    /// URI or a header is not something hyper would have accepted from the
    /// wire.
    pub fn call(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &[u8])],
        body: Vec<u8>,
    ) -> Option<(u16, Vec<u8>)> {
        use tower::ServiceExt as _;
        let mut request = axum::http::Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(axum::body::Body::from(body)).ok()?;
        let router = self.router.clone();
        self.runtime.block_on(async move {
            let response = router.oneshot(request).await.ok()?;
            let status = response.status().as_u16();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .ok()?;
            Some((status, body.to_vec()))
        })
    }
}

async fn run(options: ServeOptions) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.addr))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let loader = Arc::new(Mutex::new(schemactl_registry::Loader::new(
        options.source.dir(),
    )));
    let state = Arc::new(state::AppState {
        snapshot: arc_swap::ArcSwapOption::empty(),
        status: Mutex::new(state::Status::default()),
        metrics: metrics::Metrics::default(),
        refresh: tokio::sync::Notify::new(),
        jobs: Arc::new(jobs::Jobs::new(options.max_jobs, options.request_timeout)),
        options: options.clone(),
        started: Instant::now(),
    });
    eprintln!("schemactl serve: listening on http://{local}");
    tokio::spawn(state::refresh_loop(state.clone(), loader));
    accept_loop(listener, state).await;
    eprintln!("schemactl serve: stopped");
    Ok(())
}

/// Serve connections until SIGINT or SIGTERM, then finish the requests in
/// flight.
///
/// axum::serve has no knobs for slow clients, so connections are served
/// with hyper's HTTP/1 builder directly:
/// - the request head must arrive within `--header-timeout`; hyper arms
///   the same timer while a kept-alive connection waits for its next
///   request, so an idle connection is closed after that time too; and a
///   client that stops reading its response for that long is closed
///   ([`conn::WriteStall`]);
/// - at most `--max-connections` are served at once. When all are taken,
///   the connection idle the longest is closed to make room
///   ([`conn::Table`]); only when every connection has a request in
///   flight do new ones wait in the kernel's backlog. So a flood of idle or
///   slow connections neither locks a good client out nor makes it wait
///   for their timeouts.
async fn accept_loop(listener: tokio::net::TcpListener, state: Arc<state::AppState>) {
    use hyper_util::rt::{TokioIo, TokioTimer};

    let app = router(state.clone());
    let slots = Arc::new(tokio::sync::Semaphore::new(
        state.options.max_connections.max(1),
    ));
    let table = Arc::new(conn::Table::default());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(state.options.header_timeout)
        .keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: back off instead of spinning.
                    eprintln!("schemactl serve: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                if table.evict_idle() {
                    state.metrics.connection_evicted();
                }
                tokio::select! {
                    slot = slots.clone().acquire_owned() => match slot {
                        Ok(slot) => slot,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let stream = conn::WriteStall::new(stream, state.options.header_timeout);
        let handle = table.register();
        let service = {
            let app = app.clone();
            let activity = handle.activity.clone();
            hyper::service::service_fn(
                move |request: axum::http::Request<hyper::body::Incoming>| {
                    let busy = conn::InFlight::new(&activity);
                    let response = tower::ServiceExt::oneshot(app.clone(), request);
                    async move {
                        let response = response.await;
                        drop(busy);
                        response
                    }
                },
            )
        };
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        let state = state.clone();
        state.metrics.connection_opened();
        tokio::spawn(async move {
            // Errors here are the client's (a reset, a malformed or late
            // head); the connection is closed either way. Dropping it when
            // chosen to make room closes it too.
            tokio::select! {
                _ = connection => {}
                () = handle.close.notified() => {}
            }
            state.metrics.connection_closed();
            drop(handle);
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    eprintln!("schemactl serve: shutting down (finishing requests in flight)");
}

fn router(state: Arc<state::AppState>) -> Router {
    let confluent_routes = Router::new()
        .route("/subjects", get(confluent::subjects))
        .route(
            "/subjects/{subject}",
            post(confluent::lookup_schema).delete(confluent::read_only),
        )
        .route(
            "/subjects/{subject}/versions",
            get(confluent::subject_versions).post(confluent::read_only),
        )
        .route(
            "/subjects/{subject}/versions/{version}",
            get(confluent::subject_version).delete(confluent::read_only),
        )
        .route(
            "/subjects/{subject}/versions/{version}/schema",
            get(confluent::subject_version_schema),
        )
        .route(
            "/subjects/{subject}/versions/{version}/referencedby",
            get(confluent::subject_version_referenced_by),
        )
        .route("/schemas", get(confluent::schemas))
        .route("/schemas/types", get(confluent::schema_types))
        .route("/schemas/ids/{id}", get(confluent::schema_by_id))
        .route("/schemas/ids/{id}/schema", get(confluent::schema_by_id_raw))
        .route(
            "/schemas/ids/{id}/versions",
            get(confluent::schema_versions),
        )
        .route(
            "/schemas/ids/{id}/subjects",
            get(confluent::schema_subjects),
        )
        .route(
            "/config",
            get(confluent::config)
                .put(confluent::read_only)
                .delete(confluent::read_only),
        )
        .route(
            "/config/{subject}",
            get(confluent::subject_config)
                .put(confluent::read_only)
                .delete(confluent::read_only),
        )
        .route("/mode", get(confluent::mode).put(confluent::read_only))
        .route(
            "/mode/{subject}",
            get(confluent::mode)
                .put(confluent::read_only)
                .delete(confluent::read_only),
        )
        .route("/contexts", get(confluent::contexts))
        .route(
            "/compatibility/subjects/{subject}/versions/{version}",
            post(confluent::check_compatibility),
        )
        .route(
            "/compatibility/subjects/{subject}/versions",
            post(confluent::check_compatibility),
        )
        .route("/associations", any(confluent::associations))
        .route("/associations/{*rest}", any(confluent::associations));

    let native_routes = Router::new()
        .route("/api/v1/openapi.json", get(native::openapi))
        .route("/api/v1/releases", get(native::releases))
        .route("/api/v1/topics", get(native::topics))
        .route("/api/v1/topics/{topic}", get(native::topic_detail))
        .route(
            "/api/v1/topics/{topic}/versions",
            get(native::topic_versions),
        )
        .route(
            "/api/v1/topics/{topic}/versions/{version}",
            get(native::topic_version),
        )
        .route(
            "/api/v1/topics/{topic}/versions/{version}/descriptor",
            get(native::topic_descriptor),
        )
        .route("/api/v1/topics/{topic}/diff", get(native::topic_diff))
        .route(
            "/api/v1/topics/{topic}/validate",
            post(native::topic_validate),
        );

    let ui_routes = Router::new()
        .route("/", get(ui::index))
        .route("/ui/topics/{topic}", get(ui::topic))
        .route("/ui/topics/{topic}/versions/{version}", get(ui::version))
        .route("/ui/topics/{topic}/diff", get(ui::diff));

    let authenticated = confluent_routes
        .merge(native_routes)
        .merge(ui_routes)
        .route_layer(middleware::from_fn_with_state(state.clone(), authorize));

    let open = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_handler))
        .route("/api/v1/hooks/github", post(github_webhook));

    let body_limit = state.options.body_limit;
    let timeout = state.options.request_timeout;
    authenticated
        .merge(open)
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(state.clone(), catch_panic))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(body_limit))
        // axum's extractors have their own 2 MB cap, which would silently
        // override a larger --body-limit: the layer above is the one limit.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Unknown paths: JSON 404 in the API's shape.
async fn fallback(request: Request) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/") {
        native::api_error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "no route {} {path}; see /api/v1/openapi.json",
                request.method()
            ),
        )
    } else {
        confluent::not_found().await
    }
}

/// A panic while answering a request is a bug; the client gets a JSON 500
/// without the panic's text (which may quote internals), the panic is
/// counted in metrics and logged on stderr by the panic hook, and the
/// connection and worker carry on.
async fn catch_panic(
    State(state): State<Arc<state::AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    match CatchUnwind(Box::pin(next.run(request))).await {
        Ok(response) => response,
        Err(_) => {
            state.metrics.panicked();
            internal_error(api)
        }
    }
}

/// The answer for a bug (a panic), in the shape of the API that was called.
pub(crate) fn internal_error(api: bool) -> Response {
    error_response(
        api,
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "internal error while answering this request; the server log has the details".to_owned(),
    )
}

/// A future whose panic is returned as `Err` instead of unwinding into
/// the connection.
struct CatchUnwind<F>(std::pin::Pin<Box<F>>);

impl<F: std::future::Future> std::future::Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(value)) => std::task::Poll::Ready(Ok(value)),
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        }
    }
}

/// Errors produced outside the handlers (a body over the limit, a timeout,
/// a method the route does not have, a malformed query) come as plain text
/// or empty bodies; give them the JSON shape of the API they hit.
async fn json_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let typed = response.headers().get(header::CONTENT_TYPE).is_some();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || (typed && !plain) {
        return response;
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is larger than the server's --body-limit".to_owned(),
        ),
        StatusCode::SERVICE_UNAVAILABLE => (
            "timeout",
            "the request took longer than the server's --request-timeout".to_owned(),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this route does not accept that method".to_owned(),
        ),
        _ => {
            let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
                .await
                .unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).trim().to_owned();
            let message = if text.is_empty() {
                status.canonical_reason().unwrap_or("error").to_owned()
            } else {
                text
            };
            let code = if status == StatusCode::BAD_REQUEST {
                "bad_request"
            } else {
                "error"
            };
            return error_response(api, status, code, message);
        }
    };
    error_response(api, status, code, message)
}

pub(crate) fn error_response(
    api: bool,
    status: StatusCode,
    code: &str,
    message: String,
) -> Response {
    if api {
        native::api_error(status, code, message)
    } else {
        confluent::respond(
            status,
            &json!({ "error_code": status.as_u16(), "message": message }),
        )
    }
}

/// Count and time every request by its route pattern.
async fn observe(
    State(state): State<Arc<state::AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |m| m.as_str().to_owned());
    let method = request.method().clone();
    let response = next.run(request).await;
    state.metrics.record(
        &route,
        method.as_str(),
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// Bearer-token check for reads, when a token is configured. HTTP Basic
/// with the token as the password works too (what Confluent clients send
/// with `basic.auth.user.info`).
async fn authorize(
    State(state): State<Arc<state::AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(token) = &state.options.token else {
        return next.run(request).await;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(credential);
    if given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.as_bytes())) {
        return next.run(request).await;
    }
    let mut r = if request.uri().path().starts_with("/api/") {
        native::api_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send `Authorization: Bearer <token>`",
        )
    } else {
        confluent::respond(
            StatusCode::UNAUTHORIZED,
            &json!({ "error_code": 401, "message": "Unauthorized: send `Authorization: Bearer <token>` or HTTP Basic with the token as password" }),
        )
    };
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"schemactl\""),
    );
    r
}

fn credential(header: &str) -> Option<String> {
    use base64::Engine as _;
    let (scheme, value) = header.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(value.trim().to_owned());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        return text.split_once(':').map(|(_, p)| p.to_owned());
    }
    None
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn healthz() -> Response {
    native::json_response(StatusCode::OK, &json!({ "status": "ok" }))
}

/// Ready once a snapshot is loaded. A failed refresh keeps the last good
/// snapshot serving (still ready, so a remote outage does not take every
/// replica out of the load balancer) and is reported here as `degraded`.
async fn readyz(State(state): State<Arc<state::AppState>>) -> Response {
    let status = state.status();
    let snap = state.snapshot.load_full();
    let Some(snap) = snap else {
        return native::json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({ "status": "loading", "last_error": status.last_error }),
        );
    };
    let age = SystemTime::now()
        .duration_since(snap.loaded_at)
        .unwrap_or_default()
        .as_secs_f64();
    let errors: Vec<serde_json::Value> = snap
        .registry
        .errors
        .iter()
        .map(|e| json!({ "release": e.release, "message": e.message }))
        .collect();
    let healthy = status.last_error.is_none();
    native::json_response(
        StatusCode::OK,
        &json!({
            "status": if healthy { "ready" } else { "degraded" },
            "releases": snap.registry.releases.len(),
            "latest_release": snap.registry.latest_release().map(|r| r.name.clone()),
            "topics": snap.registry.topics.len(),
            "snapshot_age_seconds": age,
            "last_refresh_error": status.last_error,
            "consecutive_refresh_failures": status.consecutive_failures,
            "release_errors": errors,
        }),
    )
}

async fn metrics_handler(State(state): State<Arc<state::AppState>>) -> Response {
    let snap = state.snapshot.load_full();
    let status = state.status();
    let (age, releases, topics, schemas, compile, errors) = match &snap {
        Some(s) => (
            SystemTime::now()
                .duration_since(s.loaded_at)
                .unwrap_or_default()
                .as_secs_f64(),
            s.registry.releases.len() as f64,
            s.registry.topics.len() as f64,
            s.registry.schemas.len() as f64,
            s.compile_seconds,
            s.registry.errors.len() as f64,
        ),
        None => (0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    };
    let jobs = &state.jobs.counters;
    let load = |a: &std::sync::atomic::AtomicU64| a.load(std::sync::atomic::Ordering::Relaxed);
    let job_outcomes = [
        ("outcome=\"finished\"", load(&jobs.finished)),
        ("outcome=\"cancelled\"", load(&jobs.cancelled)),
        ("outcome=\"rejected\"", load(&jobs.rejected)),
        ("outcome=\"panicked\"", load(&jobs.panicked)),
    ];
    let counters: [metrics::Counter<'_>; 1] = [(
        "schemactl_jobs_total",
        "CPU-heavy request jobs (lookup, compatibility, validate, diff) by outcome: finished, cancelled (stopped by the request's deadline), rejected (no free slot), panicked.",
        &job_outcomes,
    )];
    let text = state.metrics.render(&[
        (
            "schemactl_snapshot_age_seconds",
            "Seconds since the served snapshot was built.",
            age,
        ),
        (
            "schemactl_releases_loaded",
            "Release tags loaded (compiled and served).",
            releases,
        ),
        (
            "schemactl_release_errors",
            "Release tags that could not be served.",
            errors,
        ),
        ("schemactl_topics", "Topics served.", topics),
        (
            "schemactl_schemas",
            "Distinct schemas (Confluent ids) served.",
            schemas,
        ),
        (
            "schemactl_compile_seconds",
            "Seconds the refresh that built the snapshot took.",
            compile,
        ),
        (
            "schemactl_last_refresh_ok",
            "1 if the last refresh succeeded, 0 if it failed (the last good snapshot is served).",
            if status.last_error.is_none() {
                1.0
            } else {
                0.0
            },
        ),
        (
            "schemactl_uptime_seconds",
            "Seconds since start.",
            state.started.elapsed().as_secs_f64(),
        ),
        (
            "schemactl_jobs_running",
            "CPU-heavy request jobs running now (including ones whose request already timed out).",
            load(&jobs.running) as f64,
        ),
        (
            "schemactl_jobs_capacity",
            "CPU-heavy request jobs allowed at once (--max-jobs).",
            state.jobs.capacity() as f64,
        ),
    ], &counters);
    let mut r = Response::new(Body::from(text));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}

/// `POST /api/v1/hooks/github`: a push to the schema repository triggers a
/// refresh. The body must carry a valid `X-Hub-Signature-256`.
async fn github_webhook(
    State(state): State<Arc<state::AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(secret) = &state.options.webhook_secret else {
        return native::api_error(
            StatusCode::NOT_FOUND,
            "webhook_disabled",
            "the GitHub webhook is disabled; start `schemactl serve` with --webhook-secret-file",
        );
    };
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("sha256="))
        .and_then(decode_hex);
    let Some(signature) = signature else {
        return native::api_error(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            "missing or malformed X-Hub-Signature-256 header",
        );
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return native::api_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "bad secret");
    };
    mac.update(&body);
    if mac.verify_slice(&signature).is_err() {
        return native::api_error(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            "X-Hub-Signature-256 does not match the body and the configured secret",
        );
    }
    let event = headers
        .get("x-github-event")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match event {
        "ping" => native::json_response(StatusCode::OK, &json!({ "event": "ping", "ok": true })),
        "push" | "create" | "delete" => {
            state.refresh.notify_one();
            native::json_response(
                StatusCode::ACCEPTED,
                &json!({ "event": event, "refresh": "scheduled" }),
            )
        }
        other => native::json_response(
            StatusCode::ACCEPTED,
            &json!({ "event": other, "refresh": "ignored" }),
        ),
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests;
