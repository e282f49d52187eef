//! The newsletter box's form (`POST /members/api/subscribe/`). It works without JavaScript: a
//! sign-up sends the confirmation email (double opt-in, see `dateline_app::members`) and the
//! reader back to the page they were on, marked `?subscribed=1#newsletter`.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_app::members::{EmailType, MagicLinkRequest};
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::xml::escape;

#[derive(Deserialize)]
pub struct SignupForm {
    email: String,
}

pub async fn subscribe(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignupForm>,
) -> Result<Response, HttpError> {
    let back = same_site_path(&headers, &state.site_url).unwrap_or_else(|| "/".to_owned());
    let request = MagicLinkRequest {
        email: form.email,
        name: None,
        email_type: EmailType::Signup,
        newsletters: None,
    };
    match state.app.send_magic_link(&state.site_url, request).await {
        Ok(_) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Ok(Redirect::to(&format!("{back}{sep}subscribed=1#newsletter")).into_response())
        }
        Err(AppError::Invalid { message, .. }) => Ok(problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Check your email address",
            &message,
            &back,
        )),
        Err(AppError::RateLimited { message }) => Ok(problem(
            StatusCode::TOO_MANY_REQUESTS,
            "Please wait a little",
            &message,
            &back,
        )),
        Err(err) => Err(err.into()),
    }
}

fn problem(status: StatusCode, title: &str, message: &str, back: &str) -> Response {
    (
        status,
        Html(format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{title}</title>\
             <main><h1>{title}</h1><p>{}</p><p><a href=\"{}\">Go back</a></p></main></html>",
            escape(message),
            escape(back)
        )),
    )
        .into_response()
}

/// The path of the page the form was sent from, when that page is on this site. Anything else
/// is ignored, so the form cannot be used to redirect readers elsewhere.
fn same_site_path(headers: &HeaderMap, site_url: &str) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let path = referer.strip_prefix(site_url)?;
    let path = path.split('#').next()?;
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
}
