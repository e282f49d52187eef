//! `/content/images/…`: stored images (fetched from the database when this node lacks them,
//! see `dateline_app::images`) and their resized variants, as WebP to browsers that
//! say they accept it. Each format of an image has its own `ETag`, and a negotiable answer says
//! `Vary: Accept`, so neither a browser nor a shared cache hands the WebP to a browser that
//! asked for the original or answers one format's `If-None-Match` with the other's 304.
//!
//! The `ETag` is a digest of the bytes served, never a file time: nodes behind one load
//! balancer each write their own copy at their own time, and a reader sent to another node
//! must still get its 304. For the same reason there is no `Last-Modified`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dateline_app::images::{ImageError, ServedImage};
use dateline_media::MediaError;

use crate::AppState;
use crate::error::HttpError;

/// Image URLs never change content (a new upload gets a new name), so browsers keep them a year.
const IMMUTABLE: &str = "public, max-age=31536000";

pub async fn image(
    State(state): State<AppState>,
    Path(path): Path<String>,
    request: HeaderMap,
) -> Result<Response, HttpError> {
    let webp = accepts_webp(&request);
    let read = match state.app.read_image(&state.media, path, webp).await {
        Ok(image) => Ok(image),
        Err(ImageError::Media(err)) => Err(err),
        Err(ImageError::App(err)) => return Err(err.into()),
    };
    match read {
        Ok(image) => Ok(answer(&image, &request)),
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

fn answer(served: &ServedImage, request: &HeaderMap) -> Response {
    let image = &served.image;
    let etag = format!("\"{}\"", served.digest);
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, image.kind.content_type())],
            image.bytes.clone(),
        )
            .into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    if image.negotiable {
        headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    }
    response
}

/// Whether `Accept` names `image/webp` with a quality above zero: browsers that decode WebP
/// name it, and `*/*` alone (curl, old browsers) promises nothing.
fn accepts_webp(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|range| {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            media.eq_ignore_ascii_case("image/webp") && !refused
        })
}
