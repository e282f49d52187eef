//! `/authentication/password_reset/`: Ghost's "forgot password" pair, for clients that reset
//! passwords as Ghost's admin does. `POST` asks for a link by email, `PUT` sets the new
//! password with the link's token. Both run the admin's own use cases
//! (`dateline_app::password_reset`), so the budgets, the single-use links and the end of every
//! other session are the same; and, unlike Ghost, `POST` gives one answer whether or not the
//! address has an account. The token is Dateline's random one, not Ghost's signed string: a
//! client passes it through without reading it.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use dateline_app::AppError;
use dateline_app::login_throttle::SignInRefusal;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::AppState;
use crate::admin_ui::access::{ClientAddr, too_many_attempts};
use crate::error::HttpError;

/// Ghost's envelope: `{"password_reset": [{…}]}`.
#[derive(Deserialize)]
struct Envelope<T> {
    password_reset: Vec<T>,
}

#[derive(Deserialize)]
struct ResetRequest {
    email: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewPassword {
    token: String,
    new_password: String,
    ne2_password: String,
}

/// `POST /ghost/api/admin/authentication/password_reset/`.
pub async fn request(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    body: Bytes,
) -> Result<Response, HttpError> {
    let ResetRequest { email } = single(&body, "`email`")?;
    match state
        .app
        .request_password_reset(&state.site_url, &email, &address)
        .await
    {
        Ok(()) => {}
        Err(SignInRefusal::TooManyAttempts { retry_after }) => {
            return Ok(too_many_attempts(retry_after));
        }
        // Not shown: a failure only for real accounts would tell who has one.
        Err(SignInRefusal::Failed(AppError::Mail(err))) => {
            tracing::error!(error = %err, "a password reset mail could not be sent");
        }
        Err(SignInRefusal::Failed(other)) => return Err(other.into()),
    }
    Ok(answer("Check your email for further instructions."))
}

/// `PUT /ghost/api/admin/authentication/password_reset/`.
pub async fn reset(State(state): State<AppState>, body: Bytes) -> Result<Response, HttpError> {
    let input: NewPassword = single(&body, "`token`, `newPassword` and `ne2Password`")?;
    if input.new_password != input.ne2_password {
        return Err(HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "ValidationError",
            "Your new passwords do not match",
        ));
    }
    let now = dateline_core::time::now();
    match state
        .app
        .reset_password(&input.token, &input.new_password, now)
        .await?
    {
        Some(_) => Ok(answer("Password updated")),
        None => Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "BadRequestError",
            "Invalid password reset link.",
        )
        .with_context("The link is unknown, was already used or has expired.")),
    }
}

/// The one object of Ghost's envelope, or a 422 saying what to send.
fn single<T: DeserializeOwned>(body: &[u8], fields: &str) -> Result<T, HttpError> {
    let refused = |reason: String| {
        HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "ValidationError",
            "Validation error, cannot reset password.",
        )
        .with_context(format!(
            "Send {{\"password_reset\": [{{{fields}}}]}}: {reason}"
        ))
    };
    let envelope: Envelope<T> = serde_json::from_slice(body).map_err(|e| refused(e.to_string()))?;
    envelope
        .password_reset
        .into_iter()
        .next()
        .ok_or_else(|| refused("the list is empty".to_owned()))
}

fn answer(message: &str) -> Response {
    Json(json!({ "password_reset": [{ "message": message }] })).into_response()
}
