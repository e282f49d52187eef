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
    /// Structured detail for programs, where Ghost gives some (a theme check's findings).
    /// Boxed: most errors have none, and every `Result` carrying an `HttpError` pays its size.
    details: Option<Box<serde_json::Value>>,
    /// Ghost's stable machine-readable code, where it has one (`UNKNOWN_CONTENT_API_KEY`).
    code: Option<&'static str>,
}

impl HttpError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        HttpError {
            status,
            kind,
            message: message.into(),
            context: None,
            details: None,
            code: None,
        }
    }

    pub fn with_context(mut self, context: impl Into<String>) -> Self {
        self.context = Some(context.into());
        self
    }

    /// Ghost's `details` (its `errorDetails`): data a client can act on, beside the message.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    /// Ghost's machine-readable code (`UPDATE_COLLISION`, `INVALID_JWT`, …).
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub fn not_found() -> Self {
        HttpError::new(StatusCode::NOT_FOUND, "NotFoundError", "Resource not found")
    }

    /// Ghost's answer for a missing post, page, tag or author.
    pub fn not_found_resource(noun: &str, title: &str) -> Self {
        HttpError::new(
            StatusCode::NOT_FOUND,
            "NotFoundError",
            format!("Resource not found error, cannot read {noun}."),
        )
        .with_context(format!("{title} not found."))
    }

    pub fn unknown_content_key() -> Self {
        let mut err = HttpError::new(
            StatusCode::UNAUTHORIZED,
            "UnauthorizedError",
            "Unknown Content API Key",
        );
        err.code = Some("UNKNOWN_CONTENT_API_KEY");
        err
    }

    pub fn no_content_key() -> Self {
        HttpError::new(StatusCode::FORBIDDEN, "NoPermissionError", "Authorization failed").with_context(
            "Unable to determine the authenticated member or integration. Check the supplied \
             Content API Key and ensure cookies are being passed through if member auth is failing.",
        )
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

/// A multipart body that cannot be read (cut short, too large for its route, malformed):
/// axum's status, with its reason as the context.
impl From<axum::extract::multipart::MultipartError> for HttpError {
    fn from(err: axum::extract::multipart::MultipartError) -> Self {
        HttpError::new(
            err.status(),
            "BadRequestError",
            "The upload could not be read.",
        )
        .with_context(err.body_text())
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
            AppError::BadFilter(message) => HttpError::new(
                StatusCode::BAD_REQUEST,
                "BadRequestError",
                "Error parsing filter",
            )
            .with_context(message.clone()),
            AppError::NoPermission { reason } => {
                HttpError::new(StatusCode::FORBIDDEN, "NoPermissionError", err.to_string())
                    .with_context(reason.clone())
            }
            AppError::UpdateCollision => HttpError::new(
                StatusCode::CONFLICT,
                "UpdateCollisionError",
                err.to_string(),
            )
            .with_code("UPDATE_COLLISION"),
            AppError::NotFound { noun } => {
                let mut title = noun.to_string();
                if let Some(first) = title.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                HttpError::new(
                    StatusCode::NOT_FOUND,
                    "NotFoundError",
                    format!("{title} not found."),
                )
            }
            AppError::Token(refusal) => {
                let (status, kind) = if refusal.is_bad_request() {
                    (StatusCode::BAD_REQUEST, "BadRequestError")
                } else {
                    (StatusCode::UNAUTHORIZED, "UnauthorizedError")
                };
                HttpError::new(status, kind, refusal.to_string()).with_code(refusal.code())
            }
            AppError::RateLimited { message } => HttpError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequestsError",
                message.clone(),
            ),
            AppError::Store(_) | AppError::Hashing(_) | AppError::Mail(_) => {
                HttpError::internal(&err)
            }
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
                "details": self.details,
                "property": null,
                "help": null,
                "code": self.code,
                "id": uuid::Uuid::new_v4().to_string(),
                "ghostErrorCode": null,
            }]
        });
        // Errors must never be cached by browsers or proxies (Ghost sends the same).
        let no_store =
            "no-cache, private, no-store, must-revalidate, max-stale=0, post-check=0, pre-check=0";
        (
            self.status,
            [(axum::http::header::CACHE_CONTROL, no_store)],
            Json(body),
        )
            .into_response()
    }
}

/// The fallback for unknown paths.
pub async fn not_found() -> HttpError {
    HttpError::not_found()
}
