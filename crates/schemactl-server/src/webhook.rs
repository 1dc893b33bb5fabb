//! The GitHub push webhook: an HMAC-signed request that triggers a refresh.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::native;
use crate::responses::{Hooked, Pong};
use crate::state::AppState;

/// `POST /api/v1/hooks/github`: a push to the schema repository triggers a
/// refresh. The body must carry a valid `X-Hub-Signature-256`.
pub(crate) async fn github_webhook(
    State(state): State<Arc<AppState>>,
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
        "ping" => native::json_response(
            StatusCode::OK,
            &Pong {
                event: "ping",
                ok: true,
            },
        ),
        "push" | "create" | "delete" => {
            state.refresh.notify_one();
            native::json_response(
                StatusCode::ACCEPTED,
                &Hooked {
                    event,
                    refresh: "scheduled",
                },
            )
        }
        other => native::json_response(
            StatusCode::ACCEPTED,
            &Hooked {
                event: other,
                refresh: "ignored",
            },
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
