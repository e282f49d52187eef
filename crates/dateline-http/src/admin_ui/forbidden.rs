//! Admin pages a person's role does not reach. They get a page that says so (403), in the
//! admin's own look, where a script call would get the API's JSON envelope; every other
//! failure keeps the envelope of `crate::error`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dateline_app::AppError;
use minijinja::context;

use super::templates;
use crate::error::HttpError;

/// Why an admin page was not shown.
pub enum PageError {
    /// The person's role is below what the page needs.
    Forbidden,
    Http(HttpError),
}

impl From<HttpError> for PageError {
    fn from(err: HttpError) -> Self {
        PageError::Http(err)
    }
}

impl From<AppError> for PageError {
    fn from(err: AppError) -> Self {
        match err {
            AppError::NoPermission { .. } => PageError::Forbidden,
            other => PageError::Http(other.into()),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Forbidden => match templates::render("forbidden.html", context! {}) {
                Ok(page) => (StatusCode::FORBIDDEN, page).into_response(),
                Err(err) => err.into_response(),
            },
            PageError::Http(err) => err.into_response(),
        }
    }
}
