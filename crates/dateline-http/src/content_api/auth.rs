//! Content API keys: `?key=` must name an integration's content key.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;

/// Proof that the request carried a valid Content API key.
pub struct ContentKey;

#[derive(Deserialize)]
struct KeyParam {
    key: Option<String>,
}

impl FromRequestParts<AppState> for ContentKey {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let Query(param) =
            Query::<KeyParam>::try_from_uri(&parts.uri).map_err(|_| HttpError::no_content_key())?;
        let Some(key) = param.key.filter(|k| !k.is_empty()) else {
            return Err(HttpError::no_content_key());
        };
        if state
            .app
            .content_key_is_valid(&key)
            .await
            .map_err(HttpError::from)?
        {
            Ok(ContentKey)
        } else {
            Err(HttpError::unknown_content_key())
        }
    }
}
