//! `/session/`: staff sign in with their email and password and get the session cookie
//! (`POST`), and sign out (`DELETE`). Ghost answers these with a bare `201 Created` and
//! `204 No Content`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Authenticated;
use super::auth::{SESSION_COOKIE, check_origin, request_origin, session_token, site_origin};
use crate::AppState;
use crate::admin_ui::access::{ClientAddr, too_many_attempts};
use crate::error::HttpError;
use dateline_app::login_throttle::SignInRefusal;

/// Ghost's sign-in body: `username` is the staff member's email.
#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HttpError> {
    let Some(origin) = request_origin(&headers) else {
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "BadRequestError",
            "Could not determine origin of request. Please ensure an Origin or Referrer header \
             is present.",
        ));
    };
    // A session from another origin could never be used; refusing it here also stops a forged
    // form from signing a browser into someone else's account.
    check_origin(&site_origin(&state.site_url), Some(&origin))?;
    let credentials = parse_credentials(&body)?;
    // The admin's login page spends the same budget of attempts (`login_throttle`).
    let user = match state
        .app
        .sign_in_limited(&credentials.username, &credentials.password, &address)
        .await
    {
        Ok(user) => user,
        Err(SignInRefusal::TooManyAttempts { retry_after }) => {
            return Ok(too_many_attempts(retry_after));
        }
        Err(SignInRefusal::Failed(err)) => return Err(err.into()),
    };
    let user_agent = headers.get(USER_AGENT).and_then(|v| v.to_str().ok());
    let session = state
        .app
        .start_session(&user, &origin, user_agent, dateline_core::time::now())
        .await?;
    let max_age = dateline_app::sessions::SESSION_LIFETIME.as_secs();
    let cookie = cookie(&state, &session.token, max_age)?;
    Ok((StatusCode::CREATED, [(SET_COOKIE, cookie)], "Created").into_response())
}

pub async fn sign_out(
    _: Authenticated,
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    if let Some(token) = session_token(&headers) {
        state.app.end_session(&token).await?;
    }
    let cookie = cookie(&state, "", 0)?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}

/// The JSON body Ghost Admin sends.
fn parse_credentials(body: &[u8]) -> Result<Credentials, HttpError> {
    serde_json::from_slice::<Credentials>(body).map_err(|reason| {
        HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "ValidationError",
            "Validation error, cannot create session.",
        )
        .with_context(format!(
            "Send `username` (your email) and `password` as JSON: {reason}"
        ))
    })
}

/// The session cookie: only for the API's paths, never readable by scripts, not sent on
/// cross-site requests, and only over HTTPS when the site is served over HTTPS.
fn cookie(state: &AppState, token: &str, max_age: i64) -> Result<HeaderValue, HttpError> {
    let secure = if state.site_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/ghost; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .map_err(|e| HttpError::internal(&e))
}
