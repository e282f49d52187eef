//! "Forgot password?": asking for a reset link (`/admin/forgot/`) and choosing a new password
//! through it (`/admin/reset/{token}/`), before anyone is signed in, so both forms carry the
//! pre-session CSRF token of the login page (`dateline_app::password_reset` decides the rest).
//!
//! The answer to a request never says whether the address has an account: a mail that could
//! not be sent is logged, not shown, for the same reason.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use dateline_app::AppError;
use dateline_app::login_throttle::SignInRefusal;
use minijinja::context;
use serde::Deserialize;

use super::access::{
    ClientAddr, PreSession, attempts_message, field_label, retry_after_header, signed_in,
};
use super::templates;
use crate::AppState;
use crate::error::HttpError;

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub confirm: String,
}

/// `GET /admin/forgot/`.
pub async fn forgot_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let pre = PreSession::from_headers(&headers);
    let page = templates::render("forgot.html", context! { csrf => pre.token() })?;
    Ok((pre.set_cookie(&state), page).into_response())
}

/// `POST /admin/forgot/`: the same answer for every address, unless it asked too often.
pub async fn forgot(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<ForgotForm>,
) -> Result<Response, HttpError> {
    let pre = PreSession::from_headers(&headers);
    pre.check(&state, &headers, &form.csrf)?;
    let requested = state
        .app
        .request_password_reset(&state.site_url, &form.email, &address)
        .await;
    match requested {
        Ok(()) => {}
        Err(SignInRefusal::TooManyAttempts { retry_after }) => {
            let page = templates::render(
                "forgot.html",
                context! {
                    csrf => pre.token(),
                    email => &form.email,
                    error => attempts_message(retry_after),
                },
            )?;
            return Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [retry_after_header(retry_after)],
                page,
            )
                .into_response());
        }
        Err(SignInRefusal::Failed(AppError::Mail(err))) => {
            tracing::error!(error = %err, "a password reset mail could not be sent");
        }
        Err(SignInRefusal::Failed(other)) => return Err(other.into()),
    }
    let page = templates::render(
        "forgot.html",
        context! { csrf => pre.token(), sent => true },
    )?;
    Ok(page.into_response())
}

/// `GET /admin/reset/{token}/`: the new password form, or why the link no longer works.
pub async fn reset_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    let now = dateline_core::time::now();
    let Some(user) = state.app.password_reset_user(&token, now).await? else {
        return link_gone();
    };
    let pre = PreSession::from_headers(&headers);
    let page = templates::render(
        "reset.html",
        context! { csrf => pre.token(), token => &token, email => &user.email },
    )?;
    Ok((pre.set_cookie(&state), page).into_response())
}

/// `POST /admin/reset/{token}/`: sets the password, ends every other session, signs in.
pub async fn reset(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, HttpError> {
    let pre = PreSession::from_headers(&headers);
    pre.check(&state, &headers, &form.csrf)?;
    let again = |error: String| -> Result<Response, HttpError> {
        let page = templates::render(
            "reset.html",
            context! { csrf => pre.token(), token => &token, error },
        )?;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    if form.password != form.confirm {
        return again("The two passwords are not the same.".to_owned());
    }
    let now = dateline_core::time::now();
    match state.app.reset_password(&token, &form.password, now).await {
        Ok(Some(user)) => signed_in(&state, &headers, &user, "/admin/posts/").await,
        Ok(None) => link_gone(),
        Err(AppError::Invalid { field, message }) => {
            again(format!("{}: {message}", field_label(field)))
        }
        Err(other) => Err(other.into()),
    }
}

/// The page for a link that is unknown, used, revoked or expired: 410, and the way on.
pub fn link_gone() -> Result<Response, HttpError> {
    let page = templates::render("link_gone.html", context! {})?;
    Ok((StatusCode::GONE, page).into_response())
}
