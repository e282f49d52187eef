//! Ghost's Content API (`/ghost/api/content/…`), answered on Ghost 5.130's wire format so that
//! `@tryghost/content-api` and existing integrations work unchanged. Handlers parse the query
//! ([`params`]), call a use case, and shape the answer ([`json`]).

mod auth;
pub mod cors;
pub(crate) mod json;
pub mod newsletters;
pub mod offers;
pub(crate) mod params;
pub mod posts;
pub mod settings;
pub mod taxonomies;
pub mod tiers;

use axum::http::{HeaderValue, header};
use axum::response::Response;

pub use auth::{ContentKey, KeyCache, require_key};

/// The Ghost version our answers speak, sent as `Content-Version`: `v` and
/// [`dateline_core::settings::public::GHOST_VERSION`].
pub const CONTENT_VERSION: &str = "v5.130";

/// Headers Ghost puts on every Content API answer. Errors carry their own `Cache-Control`.
pub async fn headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert("content-version", HeaderValue::from_static(CONTENT_VERSION));
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Version, Accept-Encoding"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    if h.get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/json")
    {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
    // Answers are cached in the server (the page cache, purged on every change), but clients
    // must revalidate each time, as Ghost tells them. Errors keep their `no-store`.
    let status = response.status();
    if status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=0"),
        );
    }
    response
}
