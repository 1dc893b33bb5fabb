//! `/healthz` (the process answers) and `/readyz` (a snapshot is served).

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::native;
use crate::responses::{Health, Loading, Ready, ReleaseProblem};
use crate::state::AppState;

pub(crate) async fn healthz() -> Response {
    native::json_response(StatusCode::OK, &Health { status: "ok" })
}

/// Ready once a snapshot is loaded. A failed refresh keeps the last good
/// snapshot serving (still ready, so a remote outage does not take every
/// replica out of the load balancer) and is reported here as `degraded`.
pub(crate) async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    let status = state.status();
    let snap = state.snapshot.load_full();
    let Some(snap) = snap else {
        return native::json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &Loading {
                last_error: status.last_error,
                status: "loading",
            },
        );
    };
    let age = SystemTime::now()
        .duration_since(snap.loaded_at)
        .unwrap_or_default()
        .as_secs_f64();
    let healthy = status.last_error.is_none();
    native::json_response(
        StatusCode::OK,
        &Ready {
            consecutive_refresh_failures: status.consecutive_failures,
            last_refresh_error: status.last_error,
            latest_release: snap.registry.latest_release().map(|r| r.name.as_str()),
            release_errors: snap
                .registry
                .errors
                .iter()
                .map(ReleaseProblem::new)
                .collect(),
            releases: snap.registry.releases.len(),
            snapshot_age_seconds: age,
            status: if healthy { "ready" } else { "degraded" },
            topics: snap.registry.topics.len(),
        },
    )
}
