//! `/content/images/…`: stored images and their resized variants.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use dateline_media::MediaError;

use crate::AppState;
use crate::error::HttpError;

/// Image URLs never change content (a new upload gets a new name), so browsers keep them a year.
const IMMUTABLE: &str = "public, max-age=31536000";

pub async fn image(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Result<Response, HttpError> {
    let media = state.media.clone();
    // Decoding and resizing are CPU work; they must not hold up the request threads.
    let read = tokio::task::spawn_blocking(move || media.read(&path))
        .await
        .map_err(|e| HttpError::internal(&e))?;
    match read {
        Ok((bytes, kind)) => Ok((
            [
                (header::CONTENT_TYPE, kind.content_type()),
                (header::CACHE_CONTROL, IMMUTABLE),
            ],
            bytes,
        )
            .into_response()),
        Err(MediaError::NotFound | MediaError::BadPath(_)) => Err(HttpError::not_found()),
        Err(err @ (MediaError::NotAnImage | MediaError::Undecodable(_) | MediaError::TooLarge)) => {
            tracing::warn!(error = %err, "a stored image cannot be served");
            Err(HttpError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "ValidationError",
                err.to_string(),
            ))
        }
        Err(err @ MediaError::Io(_)) => Err(HttpError::internal(&err)),
    }
}
