//! The layers around every route: the JSON 404 fallback, the catch-panic
//! layer, JSON bodies for errors produced outside the handlers, and the
//! request metrics.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;
use crate::{confluent, native};

/// Unknown paths: JSON 404 in the API's shape.
pub(crate) async fn fallback(request: Request) -> Response {
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
pub(crate) async fn catch_panic(
    State(state): State<Arc<AppState>>,
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
pub(crate) async fn json_errors(request: Request, next: Next) -> Response {
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
            &confluent::ErrorBody {
                error_code: status.as_u16(),
                message,
            },
        )
    }
}

/// Count and time every request by its route pattern.
pub(crate) async fn observe(
    State(state): State<Arc<AppState>>,
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
