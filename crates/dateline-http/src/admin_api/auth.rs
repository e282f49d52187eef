//! Who is calling the Admin API. Two ways in, as in Ghost:
//! - `Authorization: Ghost <jwt>`, signed with an integration's admin key (checked by
//!   `App::admin_key_actor`, which gives Ghost's errors for every fault);
//! - the `ghost-admin-api-session` cookie of a signed-in staff member. A cookie is sent by the
//!   browser whoever made the page, so a cookie request must also prove it comes from the site
//!   itself: its `Origin` (or, failing that, its `Referer`) must be the site's origin and the
//!   origin the session was created from. Ghost falls back to its own URL when a request has
//!   neither header; Dateline refuses such a request instead, as a forged one could look like it.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE, ORIGIN, REFERER};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use dateline_app::admin::Actor;
use dateline_app::api_keys::TokenRefusal;

use crate::AppState;
use crate::error::HttpError;

/// The session cookie's name, Ghost's.
pub const SESSION_COOKIE: &str = "ghost-admin-api-session";

/// A caller the Admin API knows: a staff member or an integration.
pub struct Authenticated(pub Actor);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let now = dateline_core::time::now();
        if let Some(value) = parts.headers.get(AUTHORIZATION) {
            let value = value
                .to_str()
                .map_err(|_| dateline_app::AppError::from(TokenRefusal::BadHeader))?;
            return Ok(Authenticated(state.app.admin_key_actor(value, now).await?));
        }
        if let Some(token) = session_token(&parts.headers) {
            let origin = request_origin(&parts.headers);
            check_origin(&site_origin(&state.site_url), origin.as_deref())?;
            if let Some(session) = state.app.session(&token, now).await? {
                check_origin(&session.origin, origin.as_deref())?;
                return Ok(Authenticated(Actor::Staff(Box::new(session.user))));
            }
        }
        Err(HttpError::new(
            StatusCode::FORBIDDEN,
            "NoPermissionError",
            "Authorization failed",
        )
        .with_context(
            "Unable to determine the authenticated user or integration. Check that cookies are \
             being passed through if using session authentication.",
        ))
    }
}

/// The session token from the `Cookie` headers, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim_matches('"').to_owned())
        .filter(|v| !v.is_empty())
}

/// Where the request says it comes from: `Origin`, else the origin of `Referer`. A `null`
/// origin (sandboxed frames, some redirects) counts as none.
pub fn request_origin(headers: &HeaderMap) -> Option<String> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    match header(ORIGIN) {
        Some(origin) if origin != "null" => Some(origin.trim_end_matches('/').to_owned()),
        _ => header(REFERER).map(site_origin),
    }
}

/// `scheme://host[:port]` of a URL.
pub fn site_origin(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            format!(
                "{}://{}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }
        None => url.to_owned(),
    }
}

/// Ghost's CSRF answer when the origin is missing or another site's.
pub fn check_origin(expected: &str, received: Option<&str>) -> Result<(), HttpError> {
    if received.is_some_and(|r| r.eq_ignore_ascii_case(expected)) {
        return Ok(());
    }
    Err(HttpError::new(
        StatusCode::BAD_REQUEST,
        "BadRequestError",
        format!(
            "Request made from incorrect origin. Expected '{expected}' received '{}'.",
            received.unwrap_or("null")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            site_origin("https://News.example.com/blog/"),
            "https://news.example.com"
        );
        assert_eq!(
            site_origin("http://127.0.0.1:2368"),
            "http://127.0.0.1:2368"
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            REFERER,
            "http://127.0.0.1:2368/ghost/#/posts".parse().unwrap(),
        );
        assert_eq!(
            request_origin(&headers).as_deref(),
            Some("http://127.0.0.1:2368")
        );
        headers.insert(ORIGIN, "null".parse().unwrap());
        assert_eq!(
            request_origin(&headers).as_deref(),
            Some("http://127.0.0.1:2368")
        );
        assert!(check_origin("http://a.test", None).is_err());
        assert!(check_origin("http://a.test", Some("http://b.test")).is_err());
        assert!(check_origin("http://a.test", Some("http://a.test")).is_ok());
    }

    #[test]
    fn cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            "a=1; ghost-admin-api-session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("abc"));
    }
}
