//! CORS preflights. The Content API is public (its key is meant to sit in a page's scripts), so
//! Ghost lets any origin call it: every answer carries `Access-Control-Allow-Origin: *` (see
//! [`super::headers`]), and an `OPTIONS` preflight is answered here, before the key check and
//! the routes, as Ghost's `cors` middleware answers it: 204, the methods, the request headers
//! asked for, and a day's `Max-Age` (Ghost's `caching.cors.maxAge`). The Admin API grants no
//! origin anything, so it has no such layer.

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// How long a browser may reuse a preflight's answer, in seconds.
const MAX_AGE: &str = "86400";

/// The methods a preflight allows: the `cors` package's default list, which Ghost keeps.
const METHODS: &str = "GET,HEAD,PUT,PATCH,POST,DELETE";

pub async fn preflight(request: Request<Body>, next: Next) -> Response {
    if request.method() != Method::OPTIONS {
        return next.run(request).await;
    }
    let asked = request
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned();
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(METHODS),
    );
    // The headers the browser asks for are the ones allowed, so the answer depends on them.
    h.insert(
        header::VARY,
        HeaderValue::from_static("Access-Control-Request-Headers"),
    );
    if let Some(asked) = asked {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked);
    }
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static(MAX_AGE),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
    response
}
