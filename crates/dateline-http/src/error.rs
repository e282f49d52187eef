//! How failures become HTTP responses.
//!
//! Policy:
//! - Every error body is Ghost's envelope, `{"errors":[{"message","context","type", …}]}`, so
//!   Ghost clients can read our errors as they read Ghost's.
//! - The `type` is Ghost's error name (`NotFoundError`, `ValidationError`, …) and decides the
//!   status; clients may rely on it. The `message` is for people and may change.
//! - 4xx errors say what was wrong with the request. 5xx errors are logged with the request id
//!   and the cause, and the response says only that something went wrong: internals (SQL,
//!   paths, stack traces) never reach a client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dateline_app::AppError;
use serde_json::json;

/// An error on its way to the client.
#[derive(Debug)]
pub struct HttpError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    context: Option<String>,
}

impl HttpError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        HttpError {
            status,
            kind,
            message: message.into(),
            context: None,
        }
    }

    pub fn with_context(mut self, context: impl Into<String>) -> Self {
        self.context = Some(context.into());
        self
    }

    pub fn not_found() -> Self {
        HttpError::new(StatusCode::NOT_FOUND, "NotFoundError", "Resource not found")
    }

    /// A failure that is ours, not the client's: logged in full, answered in general terms.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "request failed");
        HttpError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "The server has encountered an error.",
        )
    }
}

impl From<AppError> for HttpError {
    fn from(err: AppError) -> Self {
        match &err {
            AppError::Invalid { .. } | AppError::Import(_) | AppError::Conflict { .. } => {
                HttpError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "ValidationError",
                    err.to_string(),
                )
            }
            AppError::BadCredentials => HttpError::new(
                StatusCode::UNAUTHORIZED,
                "UnauthorizedError",
                err.to_string(),
            ),
            AppError::OwnerExists { .. } => HttpError::new(
                StatusCode::FORBIDDEN,
                "NoPermissionError",
                "Setup has already been completed.",
            ),
            AppError::Store(_) | AppError::Hashing(_) => HttpError::internal(&err),
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = json!({
            "errors": [{
                "message": self.message,
                "context": self.context,
                "type": self.kind,
                "details": null,
                "property": null,
                "help": null,
                "code": null,
                "id": uuid::Uuid::new_v4().to_string(),
                "ghostErrorCode": null,
            }]
        });
        (self.status, Json(body)).into_response()
    }
}

/// The fallback for unknown paths.
pub async fn not_found() -> HttpError {
    HttpError::not_found()
}
