use dateline_store::StoreError;

/// Why a use case refused or failed. The HTTP layer maps these to statuses and Ghost's error
/// envelope, the CLI to messages and exit codes; both rely on the variants, not the text.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the site already has an owner ({email}); sign in as them, or add staff in the admin")]
    OwnerExists { email: String },
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("email or password is incorrect")]
    BadCredentials,
    #[error("{0}")]
    Import(#[from] crate::ghost_json::FormatError),
    #[error("{record} conflicts with what is already here: {reason}")]
    Conflict { record: String, reason: String },
    #[error("{0}")]
    BadFilter(String),
    #[error("password hashing failed: {0}")]
    Hashing(String),
    /// The actor's role does not allow this (Ghost's `NoPermissionError`); `reason` says why.
    #[error("You do not have permission to perform this action")]
    NoPermission { reason: String },
    /// The record changed since the client read it (Ghost's `UpdateCollisionError`).
    #[error("Saving failed! Someone else is editing this post.")]
    UpdateCollision,
    /// The record to change or delete does not exist; `noun` is `post`, `page`, `tag`, …
    #[error("{noun} not found")]
    NotFound { noun: &'static str },
    /// Too many requests of one kind (sign-up links for one address); try again later.
    #[error("{message}")]
    RateLimited { message: String },
    /// An email could not be rendered or handed to the SMTP server.
    #[error("email failed: {0}")]
    Mail(String),
    /// An Admin API token was refused.
    #[error("{0}")]
    Token(#[from] crate::api_keys::TokenRefusal),
}

impl AppError {
    pub fn no_permission(reason: impl Into<String>) -> Self {
        AppError::NoPermission {
            reason: reason.into(),
        }
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field,
            message: message.into(),
        }
    }
}
