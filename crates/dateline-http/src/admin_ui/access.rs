//! Getting into the admin: the first-run setup page (only while the site has no owner), the
//! login page and signing out. Password attempts are held to the login budgets of
//! `dateline_app::login_throttle`, shared with Ghost's session endpoint; a refusal is a 429
//! with `Retry-After`.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::header::{COOKIE, RETRY_AFTER, SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_app::login_throttle::SignInRefusal;
use dateline_app::setup::OwnerInput;
use dateline_core::user::User;
use minijinja::context;
use serde::Deserialize;

use super::guard::{AnyStaff, Posted};
use super::{csrf, safe_next, templates};
use crate::AppState;
use crate::admin_api::{SESSION_COOKIE, check_origin, request_origin, session_token, site_origin};
use crate::error::HttpError;

/// The address a request came from, for the per-address login budget. Behind a proxy every
/// request shares the proxy's address, which makes that budget stricter, never looser.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
        Ok(ClientAddr(addr))
    }
}

/// The answer to too many sign-in attempts: 429 in Ghost's envelope, with `Retry-After`.
pub fn too_many_attempts(retry_after: Duration) -> Response {
    let error = HttpError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TooManyRequestsError",
        attempts_message(retry_after),
    );
    ([retry_after_header(retry_after)], error).into_response()
}

pub(super) fn attempts_message(retry_after: Duration) -> String {
    format!(
        "Too many sign-in attempts. Try again in {}.",
        wait_in_words(retry_after)
    )
}

/// The `Retry-After` header for a wait, in whole seconds (at least one).
pub(super) fn retry_after_header(retry_after: Duration) -> (axum::http::HeaderName, HeaderValue) {
    let seconds = retry_after.as_secs().max(1);
    (RETRY_AFTER, HeaderValue::from(seconds))
}

fn wait_in_words(wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    if minutes == 1 {
        "a minute".to_owned()
    } else {
        format!("{minutes} minutes")
    }
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    site_title: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `GET /admin/setup/`: the owner's form, only while there is no owner.
pub async fn setup_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    if state.app.has_owner().await? {
        return Ok(Redirect::to("/admin/login/").into_response());
    }
    let pre = PreSession::from_headers(&headers);
    let page = templates::render("setup.html", context! { csrf => pre.token() })?;
    Ok((pre.set_cookie(&state), page).into_response())
}

/// `POST /admin/setup/`: creates the owner, names the site and signs the owner in.
pub async fn setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SetupForm>,
) -> Result<Response, HttpError> {
    let pre = PreSession::from_headers(&headers);
    pre.check(&state, &headers, &form.csrf)?;
    let created = state
        .app
        .create_owner(OwnerInput {
            site_title: &form.site_title,
            name: &form.name,
            email: &form.email,
            password: &form.password,
        })
        .await;
    let user = match created {
        Ok(user) => user,
        Err(AppError::OwnerExists { .. }) => {
            return Ok(Redirect::to("/admin/login/").into_response());
        }
        Err(AppError::Invalid { field, message }) => {
            let page = templates::render(
                "setup.html",
                context! {
                    csrf => pre.token(),
                    error => format!("{}: {message}", field_label(field)),
                    site_title => form.site_title,
                    name => form.name,
                    email => form.email,
                },
            )?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(other) => return Err(other.into()),
    };
    signed_in(&state, &headers, &user, "/admin/posts/").await
}

/// `GET /admin/login/`.
pub async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<NextParam>,
) -> Result<Response, HttpError> {
    if !state.app.has_owner().await? {
        return Ok(Redirect::to("/admin/setup/").into_response());
    }
    let pre = PreSession::from_headers(&headers);
    let page = templates::render(
        "login.html",
        context! { csrf => pre.token(), next => safe_next(params.next.as_deref()) },
    )?;
    Ok((pre.set_cookie(&state), page).into_response())
}

/// `POST /admin/login/`.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, HttpError> {
    let pre = PreSession::from_headers(&headers);
    pre.check(&state, &headers, &form.csrf)?;
    let next = safe_next(form.next.as_deref()).to_owned();
    let again = |status: StatusCode, error: String| -> Result<Response, HttpError> {
        let page = templates::render(
            "login.html",
            context! { csrf => pre.token(), next => &next, email => &form.email, error },
        )?;
        Ok((status, page).into_response())
    };
    match state
        .app
        .sign_in_limited(&form.email, &form.password, &address)
        .await
    {
        Ok(user) => signed_in(&state, &headers, &user, &next).await,
        Err(SignInRefusal::TooManyAttempts { retry_after }) => {
            let page = again(StatusCode::TOO_MANY_REQUESTS, attempts_message(retry_after))?;
            Ok(([retry_after_header(retry_after)], page).into_response())
        }
        Err(SignInRefusal::Failed(AppError::BadCredentials)) => again(
            StatusCode::UNAUTHORIZED,
            "That email and password do not match an account.".to_owned(),
        ),
        Err(SignInRefusal::Failed(other)) => Err(other.into()),
    }
}

/// `POST /admin/logout/`.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    _: Posted<AnyStaff>,
) -> Result<Response, HttpError> {
    if let Some(token) = session_token(&headers) {
        state.app.end_session(&token).await?;
    }
    let cookie = session_cookie(&state, "", 0)?;
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/admin/login/")).into_response())
}

/// Opens a session for `user` and goes on to `next` with the session cookie.
pub(super) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    user: &User,
    next: &str,
) -> Result<Response, HttpError> {
    let user_agent = headers.get(USER_AGENT).and_then(|v| v.to_str().ok());
    // The session is the site's own: the Admin API will hold its calls to this origin.
    let origin = site_origin(&state.site_url);
    let session = state
        .app
        .start_session(user, &origin, user_agent, dateline_core::time::now())
        .await?;
    let max_age = dateline_app::sessions::SESSION_LIFETIME.as_secs();
    let cookie = session_cookie(state, &session.token, max_age)?;
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), Redirect::to(next)).into_response())
}

/// The staff session cookie for the whole site, so the admin's pages and the Admin API both
/// receive it: never readable by scripts, not sent on cross-site requests, HTTPS-only on an
/// HTTPS site.
fn session_cookie(state: &AppState, token: &str, max_age: i64) -> Result<HeaderValue, HttpError> {
    cookie_header(state, SESSION_COOKIE, token, "/", "Lax", max_age)
}

fn cookie_header(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    same_site: &str,
    max_age: i64,
) -> Result<HeaderValue, HttpError> {
    let secure = if state.site_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite={same_site}{secure}"
    ))
    .map_err(|e| HttpError::internal(&e))
}

/// The CSRF secret of a page shown before signing in: the browser's own cookie, or a fresh
/// one to set.
pub(super) struct PreSession {
    secret: String,
    fresh: bool,
}

impl PreSession {
    pub(super) fn from_headers(headers: &HeaderMap) -> PreSession {
        match cookie(headers, csrf::PRE_SESSION_COOKIE) {
            Some(secret) if secret.len() >= 32 => PreSession {
                secret,
                fresh: false,
            },
            _ => PreSession {
                secret: dateline_core::id::random_hex(32),
                fresh: true,
            },
        }
    }

    pub(super) fn token(&self) -> String {
        csrf::token_for(&self.secret)
    }

    /// The cookie to set, when the browser did not have one.
    pub(super) fn set_cookie(
        &self,
        state: &AppState,
    ) -> AppendHeaders<Vec<(axum::http::HeaderName, HeaderValue)>> {
        let header = self
            .fresh
            .then(|| {
                cookie_header(
                    state,
                    csrf::PRE_SESSION_COOKIE,
                    &self.secret,
                    "/admin",
                    "Strict",
                    86_400,
                )
                .ok()
            })
            .flatten()
            .map(|v| (SET_COOKIE, v));
        AppendHeaders(header.into_iter().collect())
    }

    /// Refuses a form that did not come from a page this browser was shown.
    pub(super) fn check(
        &self,
        state: &AppState,
        headers: &HeaderMap,
        sent: &str,
    ) -> Result<(), HttpError> {
        if let Some(origin) = request_origin(headers) {
            check_origin(&site_origin(&state.site_url), Some(&origin))?;
        }
        if self.fresh {
            // No cookie: whatever the form carries cannot match anything.
            return csrf::check("", sent);
        }
        csrf::check(&self.token(), sent)
    }
}

/// A cookie's value from the `Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
}

pub(super) fn field_label(field: &str) -> &str {
    match field {
        "title" => "Site title",
        "name" => "Your name",
        "email" => "Email",
        "password" => "Password",
        other => other,
    }
}
