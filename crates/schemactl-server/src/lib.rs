//! `schemactl serve`: the registry over HTTP.
//!
//! - the native API under `/api/v1` (`native.rs`), with its OpenAPI document;
//! - the Confluent Schema Registry API at the root (`confluent.rs`);
//! - the web UI (`ui.rs`) at `/` (for browsers) and `/ui/...`;
//! - `/healthz`, `/readyz`, `/metrics`, and the GitHub push webhook.
//!
//! The state is one immutable snapshot behind an atomic pointer
//! (`state.rs`); a background task refreshes it by polling and on webhook.
//!
//! This file is the wiring only: the options, [`serve`], [`InProcess`] and
//! the router with its layers. Handlers, middlewares and the accept loop
//! live in their own modules (docs/ARCHITECTURE.md has the map).

// Handlers return `Result<_, Response>` for early exits with an error
// response; those are the cold paths, and boxing them buys nothing.
#![allow(clippy::result_large_err)]

mod auth;
mod cached;
mod confluent;
mod conn;
mod error;
mod health;
mod jobs;
mod metrics;
mod middleware;
mod native;
mod responses;
mod state;
mod ui;
mod webhook;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{any, get, post};

pub use error::ServeError;
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
    /// CPU-heavy requests (lookup, compatibility, validate, diff,
    /// descriptor sets) run at once; more wait briefly, then get 429.
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
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
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
        .map_err(ServeError::Runtime)?;
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
    ) -> Result<Self, ServeError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(ServeError::Runtime)?;
        let state = Arc::new(state::AppState::new(options));
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

async fn run(options: ServeOptions) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|source| ServeError::Listen {
            addr: options.addr,
            source,
        })?;
    let local = listener.local_addr().map_err(ServeError::LocalAddr)?;
    let loader = Arc::new(Mutex::new(schemactl_registry::Loader::new(
        options.source.dir(),
    )));
    let state = Arc::new(state::AppState::new(options.clone()));
    eprintln!("schemactl serve: listening on http://{local}");
    tokio::spawn(state::refresh_loop(state.clone(), loader));
    conn::accept_loop(listener, router(state.clone()), state).await;
    eprintln!("schemactl serve: stopped");
    Ok(())
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
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authorize,
        ));

    let open = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics_handler))
        .route("/api/v1/hooks/github", post(webhook::github_webhook));

    let body_limit = state.options.body_limit;
    let timeout = state.options.request_timeout;
    authenticated
        .merge(open)
        .fallback(middleware::fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::catch_panic,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(body_limit))
        // axum's extractors have their own 2 MB cap, which would silently
        // override a larger --body-limit: the layer above is the one limit.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(axum::middleware::from_fn(middleware::json_errors))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::observe,
        ))
        .with_state(state)
}

#[cfg(test)]
mod tests;
