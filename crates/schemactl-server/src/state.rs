//! The served state: the current snapshot (swapped whole, atomically, so no
//! request ever sees a half-built one), the refresh loop and its status.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use arc_swap::ArcSwapOption;
use axum::body::Bytes;
use schemactl_registry::{Loader, Registry};
use tokio::sync::Notify;

use crate::cached::{Cached, etag, version_body};
use crate::metrics::Metrics;

/// Where the schema repository is.
#[derive(Debug, Clone)]
pub enum Source {
    /// A local directory (working tree or bare repository), re-read on
    /// every refresh.
    Local(PathBuf),
    /// A remote URL, mirrored into `cache` and fetched on every refresh.
    Remote { url: String, cache: PathBuf },
}

impl Source {
    pub fn dir(&self) -> &std::path::Path {
        match self {
            Source::Local(p) => p,
            Source::Remote { cache, .. } => cache,
        }
    }
}

/// One immutable, fully built state of the registry.
pub struct Snapshot {
    pub registry: Arc<Registry>,
    /// `versions/latest` and `versions/{n}` bodies of the native API, by
    /// (topic, version as written in the URL).
    pub versions: HashMap<(String, String), Cached>,
    pub loaded_at: SystemTime,
    /// Seconds the refresh that built it spent compiling.
    pub compile_seconds: f64,
}

/// The outcome of the refreshes so far.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub last_refresh: Option<SystemTime>,
    /// The error of the last refresh, if it failed (the last good snapshot
    /// is still served).
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
}

pub struct AppState {
    pub snapshot: ArcSwapOption<Snapshot>,
    pub status: Mutex<Status>,
    pub metrics: Metrics,
    pub refresh: Notify,
    pub options: crate::ServeOptions,
    pub started: Instant,
    pub jobs: Arc<crate::jobs::Jobs>,
}

impl AppState {
    /// The state before the first load: no snapshot yet.
    pub fn new(options: crate::ServeOptions) -> Self {
        AppState {
            snapshot: ArcSwapOption::empty(),
            status: Mutex::new(Status::default()),
            metrics: Metrics::default(),
            refresh: Notify::new(),
            jobs: Arc::new(crate::jobs::Jobs::new(
                options.max_jobs,
                options.request_timeout,
            )),
            options,
            started: Instant::now(),
        }
    }

    pub fn status(&self) -> Status {
        match self.status.lock() {
            Ok(s) => s.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Record the outcome of a refresh: `error` is why it failed (the
    /// current snapshot is kept), `None` when it succeeded.
    fn refreshed(&self, error: Option<String>) {
        self.metrics.refreshed(error.is_none());
        let mut s = match self.status.lock() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        };
        s.last_refresh = Some(SystemTime::now());
        if error.is_some() {
            s.consecutive_failures += 1;
        } else {
            s.consecutive_failures = 0;
        }
        s.last_error = error;
    }
}

/// Build the cached bodies of a registry.
pub fn snapshot(registry: Registry, compile_seconds: f64) -> Snapshot {
    let registry = Arc::new(registry);
    let mut versions = HashMap::new();
    for topic in registry.topics.values() {
        for v in &topic.versions {
            let body = version_body(topic, v);
            let cached = Cached {
                etag: etag(v, ""),
                body: Bytes::from(body),
            };
            if Arc::ptr_eq(v, topic.latest()) {
                versions.insert((topic.name.clone(), "latest".to_owned()), cached.clone());
            }
            versions.insert((topic.name.clone(), v.version.to_string()), cached);
        }
    }
    Snapshot {
        registry,
        versions,
        loaded_at: SystemTime::now(),
        compile_seconds,
    }
}

/// The longest a fetch of a remote mirror may take.
const FETCH_LIMIT: Duration = Duration::from_secs(120);

/// Refresh now (fetching a remote first) and swap in the new snapshot if
/// anything changed. Errors keep the current snapshot.
pub async fn refresh_once(state: &Arc<AppState>, loader: &Arc<Mutex<Loader>>) {
    if let Source::Remote { url, cache } = &state.options.source {
        let (url, cache) = (url.clone(), cache.clone());
        let fetched = tokio::task::spawn_blocking(move || {
            schemactl_source::mirror(&url, &cache, FETCH_LIMIT).map_err(|e| e.to_string())
        })
        .await
        .unwrap_or_else(|join| Err(format!("fetch task failed: {join}")));
        if let Err(e) = fetched {
            eprintln!("schemactl serve: refresh failed: {e}");
            state.refreshed(Some(e));
            return;
        }
    }
    let loader = loader.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut loader = match loader.lock() {
            Ok(l) => l,
            Err(p) => p.into_inner(),
        };
        let started = Instant::now();
        let outcome = loader.refresh();
        let elapsed = started.elapsed();
        let errors: Vec<String> = loader
            .errors()
            .iter()
            .map(|e| format!("{}: {}", e.release, e.message))
            .collect();
        // The cached bodies are built here too: serializing every version
        // is CPU work, kept off the async workers like the compile.
        let outcome = outcome.map(|(report, registry)| {
            let seconds = report.elapsed.as_secs_f64();
            (report, registry.map(|r| snapshot(r, seconds)))
        });
        (outcome, errors, elapsed)
    })
    .await;
    let error = match result {
        Ok((Ok((report, snap)), errors, elapsed)) => {
            if let Some(snap) = snap {
                let releases = snap.registry.releases.len();
                let topics = snap.registry.topics.len();
                state.snapshot.store(Some(Arc::new(snap)));
                eprintln!(
                    "schemactl serve: {releases} release(s), {topics} topic(s) loaded; compiled {} in {:.2}s",
                    report.compiled.len(),
                    elapsed.as_secs_f64()
                );
            }
            for e in &errors {
                eprintln!("schemactl serve: not served: {e}");
            }
            (!errors.is_empty()).then(|| {
                format!(
                    "{} release tag(s) could not be served: {}",
                    errors.len(),
                    errors.join("; ")
                )
            })
        }
        Ok((Err(e), _, _)) => {
            eprintln!("schemactl serve: refresh failed: {e}");
            Some(e.to_string())
        }
        Err(join) => {
            let message = format!("refresh task failed: {join}");
            eprintln!("schemactl serve: {message}");
            Some(message)
        }
    };
    state.refreshed(error);
}

/// Refresh every `poll` interval and whenever the webhook asks.
pub async fn refresh_loop(state: Arc<AppState>, loader: Arc<Mutex<Loader>>) {
    loop {
        refresh_once(&state, &loader).await;
        let poll = state.options.poll;
        if poll.is_zero() {
            state.refresh.notified().await;
        } else {
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                () = state.refresh.notified() => {}
            }
        }
    }
}
