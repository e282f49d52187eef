//! `/images/upload/`: a `multipart/form-data` upload with the image in the `file` field, as
//! Ghost takes it. What the file is comes from its bytes (JPEG, PNG, GIF or WebP that decodes),
//! never from its name or declared type; SVG is refused, since it can carry scripts. The file
//! is stored under `content/images/YYYY/MM/` with a fresh name (and in the database, for the
//! other nodes: `dateline_app::images`), and the answer is its URL.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use dateline_app::images::ImageError;
use dateline_media::MediaError;
use serde_json::{Value, json};

use super::Authenticated;
use crate::AppState;
use crate::error::HttpError;

pub async fn upload(
    _: Authenticated,
    State(state): State<AppState>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let mut file: Option<(Vec<u8>, String)> = None;
    let mut reference: Option<String> = None;
    while let Some(field) = multipart.next_field().await? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("image").to_owned();
                let bytes = field.bytes().await?;
                file = Some((bytes.to_vec(), name));
            }
            Some("ref") => reference = Some(field.text().await?),
            _ => {}
        }
    }
    let Some((bytes, name)) = file else {
        return Err(HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "ValidationError",
            "Please select an image.",
        )
        .with_context("Send the image in a multipart field named `file`."));
    };
    let path = state
        .app
        .upload_image(&state.media, bytes, &name)
        .await
        .map_err(|err| match err {
            ImageError::Media(err) => refused(err),
            ImageError::App(err) => err.into(),
        })?;
    let url = format!("{}/content/images/{path}", state.site_url);
    Ok((
        StatusCode::CREATED,
        Json(json!({ "images": [{ "url": url, "ref": reference }] })),
    ))
}

/// Ghost's answers for a file that is not an image it takes, or too large.
fn refused(err: MediaError) -> HttpError {
    match err {
        MediaError::NotAnImage | MediaError::Undecodable(_) => HttpError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaTypeError",
            "Please select a valid image.",
        )
        .with_context(err.to_string()),
        MediaError::TooLarge => HttpError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLargeError",
            "Request is larger than the maximum file size.",
        )
        .with_context(err.to_string()),
        MediaError::NotFound | MediaError::BadPath(_) | MediaError::Io(_) => {
            HttpError::internal(&err)
        }
    }
}
