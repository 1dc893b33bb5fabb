//! The token check on reads: `Authorization: Bearer <token>`, or HTTP
//! Basic with the token as the password.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;
use crate::{confluent, native};

/// Bearer-token check for reads, when a token is configured. HTTP Basic
/// with the token as the password works too (what Confluent clients send
/// with `basic.auth.user.info`).
pub(crate) async fn authorize(
    State(state): State<Arc<AppState>>,
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
            &confluent::ErrorBody {
                error_code: 401,
                message: "Unauthorized: send `Authorization: Bearer <token>` or HTTP Basic with the token as password".to_owned(),
            },
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
