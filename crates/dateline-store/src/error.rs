use dateline_core::post::UnknownValue;

/// What can go wrong below the use cases. Callers mostly care whether a thing was missing or
/// conflicted; everything else is an internal error that the HTTP layer logs and hides.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL `{0}`: use sqlite:PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl From<UnknownValue> for StoreError {
    fn from(err: UnknownValue) -> Self {
        StoreError::Corrupt(err.to_string())
    }
}

impl From<dateline_core::id::InvalidId> for StoreError {
    fn from(err: dateline_core::id::InvalidId) -> Self {
        StoreError::Corrupt(err.to_string())
    }
}

impl StoreError {
    /// True when a unique constraint refused the write (a duplicate slug, email or key).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Sqlx(sqlx::Error::Database(db)) if db.is_unique_violation())
    }
}
