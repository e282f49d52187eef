//! Ghost's Admin API (`/ghost/api/admin/…`) on Ghost 5.130's wire format, so that
//! `@tryghost/admin-api` and existing integrations can write to Dateline unchanged.
//!
//! Every handler takes an [`Authenticated`] caller: an integration's admin-key JWT or a staff
//! session cookie ([`auth`]). Handlers parse the request ([`input`], the Content API's query
//! parameters), call a use case in `dateline_app::admin` with the caller, which applies the
//! role's permissions, and shape the answer ([`json`]).

mod auth;
pub mod authentication;
pub mod emails;
pub mod images;
mod input;
pub(crate) mod json;
pub mod labels;
pub mod members;
pub mod newsletters;
pub mod offers;
pub mod posts;
pub mod routes_yaml;
pub mod session;
pub mod settings;
pub mod site;
pub mod tags;
pub mod themes;
pub mod users;
pub mod webhooks;

use axum::http::{HeaderValue, header};
use axum::response::Response;

pub use auth::Authenticated;
/// The session cookie and origin rules, shared with the admin's pages (`admin_ui`).
pub(crate) use auth::{SESSION_COOKIE, check_origin, request_origin, session_token, site_origin};

/// Headers Ghost puts on every Admin API answer: nothing here may be cached, by anyone.
pub async fn headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        "content-version",
        HeaderValue::from_static(crate::content_api::CONTENT_VERSION),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Version, Accept-Encoding"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(
            "no-cache, private, no-store, must-revalidate, max-stale=0, post-check=0, pre-check=0",
        ),
    );
    if h.get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/json")
    {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
    response
}
