//! The newsroom's admin in the browser, under `/admin/`: pages rendered here from minijinja
//! templates, with small scripts and one stylesheet of their own (all in
//! `crates/dateline-http/admin/`, embedded in the binary, no build step).
//!
//! The admin signs staff in with the same session as Ghost's Admin API (the
//! `ghost-admin-api-session` cookie, here on the path `/` so the editor's calls to
//! `/ghost/api/admin/` carry it too), and does its work through the same use cases: saving a
//! story goes through `App::add_post`/`App::edit_post`, so the roles, the derived fields and
//! the collision check are the Admin API's. What the admin adds is a CSRF token on every form
//! and every script call ([`csrf`]), checked before anything changes.

pub mod access;
mod csrf;
pub mod editor;
pub mod emails;
mod forbidden;
mod guard;
pub mod history;
pub mod integrations;
pub mod mail_settings;
pub mod members;
pub mod newsletters;
mod pages;
pub mod password_reset;
mod paste;
pub mod review;
pub mod settings;
pub mod staff;
pub mod stories;
pub mod story_email;
pub mod tags;
mod templates;
pub mod themes;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::admin::Actor;
use dateline_core::user::User;

use crate::AppState;
use crate::admin_api::session_token;
use crate::error::HttpError;

/// A signed-in staff member on an admin page or call, with the CSRF token their session
/// expects back on anything that changes state.
pub struct Staff {
    pub user: User,
    pub csrf: String,
}

impl Staff {
    /// Who is signed in, as the layout shows them (and whether it links the review queue).
    pub fn view(&self) -> minijinja::Value {
        minijinja::context! {
            name => &self.user.name,
            role => self.user.role.to_string(),
            id => self.user.id.to_string(),
            reviews => self.user.role >= dateline_core::role::Role::Editor,
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::Staff(Box::new(self.user.clone()))
    }

    /// Refuses a state-changing script call whose `X-CSRF-Token` is not this session's.
    pub fn check_header(&self, headers: &HeaderMap) -> Result<(), HttpError> {
        let sent = headers
            .get(csrf::HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        csrf::check(&self.csrf, sent)
    }
}

/// Why an admin request has no staff member behind it.
pub enum SignInRequired {
    /// A page: go to the login page, and come back afterwards.
    Page { next: String },
    /// A script call: the script tells the person in place and keeps what they typed.
    Call,
}

impl IntoResponse for SignInRequired {
    fn into_response(self) -> Response {
        match self {
            SignInRequired::Page { next } => {
                Redirect::to(&format!("/admin/login/?next={}", query_escape(&next))).into_response()
            }
            SignInRequired::Call => HttpError::new(
                StatusCode::UNAUTHORIZED,
                "UnauthorizedError",
                "Your session has ended. Sign in again; what you typed is kept in this browser.",
            )
            .into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let required = || {
            let path = parts.uri.path();
            if path.starts_with("/admin/api/") {
                SignInRequired::Call
            } else {
                let next = parts
                    .uri
                    .path_and_query()
                    .map_or(path, |pq| pq.as_str())
                    .to_owned();
                SignInRequired::Page { next }
            }
        };
        let Some(token) = session_token(&parts.headers) else {
            return Err(required().into_response());
        };
        let now = dateline_core::time::now();
        let session = state
            .app
            .session(&token, now)
            .await
            .map_err(|e| HttpError::from(e).into_response())?;
        match session {
            Some(session) => Ok(Staff {
                user: session.user,
                csrf: csrf::token_for(&token),
            }),
            None => Err(required().into_response()),
        }
    }
}

/// `/admin/`: the stories list, or what has to come first.
pub async fn home() -> Redirect {
    Redirect::to("/admin/posts/")
}

/// `/ghost/` and anything under it but the APIs: Ghost's admin address leads to this one.
pub async fn from_ghost(path: Option<Path<String>>) -> Response {
    match path {
        Some(Path(rest)) if rest == "api" || rest.starts_with("api/") => {
            HttpError::not_found().into_response()
        }
        _ => Redirect::permanent("/admin/").into_response(),
    }
}

/// The admin's scripts and stylesheet. Their URLs carry the build's version, so they may be
/// kept for a year.
pub async fn asset(Path(path): Path<String>) -> Response {
    match templates::asset(&path) {
        Some((bytes, content_type)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        None => HttpError::not_found().into_response(),
    }
}

/// `value` made safe for a query string.
fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where to go after signing in: only a path inside the admin, so a link cannot send a
/// person who just signed in to another site.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with("/admin/") && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/admin/posts/",
    }
}

/// Headers on every admin answer: pages show unpublished text and per-session tokens, so no
/// cache keeps them, and no other site may frame them (clickjacking a Publish button).
pub async fn headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    h.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("same-origin"),
    );
    response
}
