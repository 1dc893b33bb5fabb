//! Prometheus metrics, in the text exposition format, without a metrics
//! library: request counts by route, method and status, a latency
//! histogram per route, and the registry's own gauges.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;

use crate::state::AppState;

/// Latency histogram bucket bounds, in seconds.
const BUCKETS: [f64; 12] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5,
];

/// A counter family: name, help, and its series as (labels, value); empty
/// labels for a counter without labels.
pub type Counter<'a> = (&'a str, &'a str, &'a [(&'a str, u64)]);

#[derive(Default)]
struct RouteStats {
    by_status: BTreeMap<(&'static str, u16), u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Request metrics, keyed by route pattern (never by raw path, so the
/// number of series stays bounded).
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<String, RouteStats>>,
    refresh_ok: std::sync::atomic::AtomicU64,
    refresh_failed: std::sync::atomic::AtomicU64,
    connections_open: std::sync::atomic::AtomicU64,
    connections_total: std::sync::atomic::AtomicU64,
    connections_evicted: std::sync::atomic::AtomicU64,
    panics: std::sync::atomic::AtomicU64,
}

impl Metrics {
    pub fn record(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let Ok(mut routes) = self.routes.lock() else {
            return;
        };
        let stats = match routes.get_mut(route) {
            Some(s) => s,
            None => routes.entry(route.to_owned()).or_default(),
        };
        let method = match method {
            "GET" => "GET",
            "HEAD" => "HEAD",
            "POST" => "POST",
            "PUT" => "PUT",
            "DELETE" => "DELETE",
            _ => "OTHER",
        };
        *stats.by_status.entry((method, status)).or_default() += 1;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                stats.buckets[i] += 1;
            }
        }
        stats.count += 1;
        stats.sum += secs;
    }

    pub fn refreshed(&self, ok: bool) {
        let counter = if ok {
            &self.refresh_ok
        } else {
            &self.refresh_failed
        };
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn connection_opened(&self) {
        self.connections_open
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.connections_total
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn connection_closed(&self) {
        self.connections_open
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn connection_evicted(&self) {
        self.connections_evicted
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn panicked(&self) {
        self.panics
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// The exposition text; `gauges` are (name, help, value), `counters`
    /// (name, help, [(labels, value)]).
    pub fn render(&self, gauges: &[(&str, &str, f64)], counters: &[Counter<'_>]) -> String {
        let mut out = String::new();
        out.push_str("# HELP schemactl_http_requests_total HTTP requests by route pattern, method and status.\n");
        out.push_str("# TYPE schemactl_http_requests_total counter\n");
        let routes = match self.routes.lock() {
            Ok(r) => r,
            Err(poisoned) => poisoned.into_inner(),
        };
        for (route, stats) in routes.iter() {
            for ((method, status), n) in &stats.by_status {
                let _ = writeln!(
                    out,
                    "schemactl_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str("# HELP schemactl_http_request_duration_seconds Time to answer a request, by route pattern.\n");
        out.push_str("# TYPE schemactl_http_request_duration_seconds histogram\n");
        for (route, stats) in routes.iter() {
            let route = escape(route);
            for (bound, n) in BUCKETS.iter().zip(stats.buckets) {
                let _ = writeln!(
                    out,
                    "schemactl_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "schemactl_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                stats.count
            );
            let _ = writeln!(
                out,
                "schemactl_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                stats.sum
            );
            let _ = writeln!(
                out,
                "schemactl_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                stats.count
            );
        }
        drop(routes);
        out.push_str("# HELP schemactl_refreshes_total Refreshes of the repository, by result.\n");
        out.push_str("# TYPE schemactl_refreshes_total counter\n");
        let ok = self.refresh_ok.load(std::sync::atomic::Ordering::Relaxed);
        let failed = self
            .refresh_failed
            .load(std::sync::atomic::Ordering::Relaxed);
        let _ = writeln!(out, "schemactl_refreshes_total{{result=\"ok\"}} {ok}");
        let _ = writeln!(
            out,
            "schemactl_refreshes_total{{result=\"error\"}} {failed}"
        );
        let load = |a: &std::sync::atomic::AtomicU64| a.load(std::sync::atomic::Ordering::Relaxed);
        let mine: [Counter<'_>; 3] = [
            (
                "schemactl_connections_total",
                "Connections accepted.",
                &[("", load(&self.connections_total))],
            ),
            (
                "schemactl_connections_evicted_total",
                "Connections without a request in flight closed to make room (all --max-connections taken).",
                &[("", load(&self.connections_evicted))],
            ),
            (
                "schemactl_panics_total",
                "Requests whose handler panicked (answered 500 without the panic text).",
                &[("", load(&self.panics))],
            ),
        ];
        for (name, help, series) in mine.iter().chain(counters) {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            for (labels, value) in *series {
                if labels.is_empty() {
                    let _ = writeln!(out, "{name} {value}");
                } else {
                    let _ = writeln!(out, "{name}{{{labels}}} {value}");
                }
            }
        }
        let open = (
            "schemactl_connections_open",
            "Connections being served now.",
            load(&self.connections_open) as f64,
        );
        let gauges = gauges.iter().chain(std::iter::once(&open));
        for (name, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} gauge");
            let _ = writeln!(out, "{name} {value}");
        }
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `GET /metrics`: the request metrics and the registry's gauges.
pub(crate) async fn metrics_handler(State(state): State<Arc<AppState>>) -> Response {
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
    let counters: [Counter<'_>; 1] = [(
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
