//! What every admin section says the same way: the page that asks before something is
//! deleted or replaced, the redirect that names what was just saved, and a use case's refusal
//! put in words at the form. Kept in one place so the sections cannot drift apart in
//! wording or status codes.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::AppError;
use minijinja::context;
use serde::Deserialize;

use super::forbidden::PageError;
use super::{Staff, query_escape, templates};

/// The "are you sure?" page (`confirm.html`) before an action that cannot be taken back.
pub struct Confirm {
    pub heading: String,
    /// What happens, said plainly, as a warning.
    pub message: String,
    /// Where the confirming form posts.
    pub action: String,
    pub button: String,
    /// Where Cancel leads.
    pub back: String,
    /// A constructive action (activating) gets the primary button; the rest the danger one.
    pub primary: bool,
}

/// Renders the confirmation page for `staff`, with their CSRF token in the form.
pub fn confirm(staff: &Staff, page: Confirm) -> Result<Response, PageError> {
    let html = templates::render(
        "confirm.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            heading => page.heading,
            message => page.message,
            action => page.action,
            button => page.button,
            back => page.back,
            style => if page.primary { "primary" } else { "danger" },
        },
    )?;
    Ok(html.into_response())
}

/// A redirect to the list at `path` that names what was just done: `?{key}={name}`, which the
/// list turns into its notice ("“Sport” was saved.").
pub fn redirect_naming(path: &str, key: &str, name: &str) -> Response {
    Redirect::to(&format!("{path}?{key}={}", query_escape(name))).into_response()
}

/// What a page says after a redirect: `?saved=` and `?deleted=` name what was just saved or
/// deleted ([`redirect_naming`]), or `?saved=1` marks a form saved in place.
#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    pub saved: Option<String>,
    pub deleted: Option<String>,
}

/// A form page's status: 422 when it is shown again with a refusal, so scripts and tests can
/// tell a refused save from a plain visit.
pub fn form_status(refused: bool) -> StatusCode {
    if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

/// A refusal the person can fix at the form (invalid input, or a clash with something that
/// exists), in words; any other failure is the error page.
pub fn refusal(err: AppError) -> Result<String, PageError> {
    match err {
        AppError::Invalid { message, .. } => Ok(plain(&message)),
        AppError::Conflict { reason, .. } => Ok(plain(&reason)),
        other => Err(other.into()),
    }
}

/// A use case's message as a sentence: capitalised, with a full stop.
pub fn plain(message: &str) -> String {
    let mut out = capitalised(message);
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// `text` with its first letter made a capital.
pub fn capitalised(text: &str) -> String {
    let mut out = text.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}
