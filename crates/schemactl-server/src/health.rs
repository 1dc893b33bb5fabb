//! `/healthz` (the process answers) and `/readyz` (a snapshot is served).

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::native;
use crate::state::AppState;

pub(crate) async fn healthz() -> Response {
    native::json_response(StatusCode::OK, &json!({ "status": "ok" }))
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
