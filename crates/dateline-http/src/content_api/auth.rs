//! Content API keys: `?key=` must name an integration's content key.

use std::time::Duration;

use axum::extract::{FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
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
        // Read before the lookup, so a rotation that commits during it is not trusted past.
        let generation = state.app.events.generation();
        if state.content_keys.contains(&key, generation) {
            return Ok(ContentKey);
        }
        if state
            .app
            .content_key_is_valid(&key)
            .await
            .map_err(HttpError::from)?
        {
            state.content_keys.remember(key, generation);
            Ok(ContentKey)
        } else {
            Err(HttpError::unknown_content_key())
        }
    }
}

/// Checks the key before anything else runs, so a cached answer is never handed to a request
/// without a valid key.
pub async fn require_key(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match ContentKey::from_request_parts(&mut parts, &state).await {
        Ok(ContentKey) => next.run(Request::from_parts(parts, body)).await,
        Err(err) => err.into_response(),
    }
}

/// How long a key that was valid is trusted without asking the database again, at most.
const KEY_TRUST: Duration = Duration::from_secs(60);

/// Keys recently found valid, so a busy API does not look its key up on every request. A key
/// is trusted only within the content generation it was checked in: rotating or deleting keys
/// announces a change (`App::rotate_integration_key`), so the old key is refused by the next
/// request on this node, and on other PostgreSQL nodes once the change relay has told them;
/// [`KEY_TRUST`] bounds the wait should a notice be lost.
#[derive(Clone)]
pub struct KeyCache(moka::sync::Cache<String, u64>);

impl KeyCache {
    pub fn new() -> Self {
        KeyCache(
            moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(KEY_TRUST)
                .build(),
        )
    }

    fn contains(&self, key: &str, generation: u64) -> bool {
        self.0.get(key) == Some(generation)
    }

    fn remember(&self, key: String, generation: u64) {
        self.0.insert(key, generation);
    }
}

impl Default for KeyCache {
    fn default() -> Self {
        Self::new()
    }
}
