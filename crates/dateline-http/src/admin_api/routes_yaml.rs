//! `/settings/routes/yaml/`: Ghost's download and upload of `routes.yaml`, for administrators
//! and integrations. An upload is checked (a refusal is a 422 `ValidationError` whose context
//! names the line), stored, and announced as a change, so the page cache starts afresh.

use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use dateline_app::routes_yaml::RoutesYamlError;
use dateline_core::routes::MAX_BYTES;

use super::Authenticated;
use crate::AppState;
use crate::error::HttpError;

pub async fn download(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
) -> Result<Response, HttpError> {
    let text = state
        .app
        .staff_routes_text(&actor, &state.data_dir)
        .await
        .map_err(refused)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/yaml"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"routes.yaml\"",
            ),
        ],
        text,
    )
        .into_response())
}

pub async fn upload(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    mut multipart: Multipart,
) -> Result<StatusCode, HttpError> {
    let mut file = None;
    while let Some(field) = multipart.next_field().await? {
        if field.name() == Some("routes") {
            file = Some(field.bytes().await?);
        }
    }
    let Some(bytes) = file else {
        return Err(invalid("Please select a routes.yaml file.")
            .with_context("Send the file in a multipart field named `routes`."));
    };
    if bytes.len() > MAX_BYTES {
        return Err(invalid("The routes.yaml file is too large."));
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Err(invalid("The routes.yaml file is not UTF-8 text."));
    };
    state
        .app
        .staff_upload_routes(&actor, text)
        .await
        .map_err(refused)?;
    Ok(StatusCode::OK)
}

fn invalid(message: &str) -> HttpError {
    HttpError::new(StatusCode::UNPROCESSABLE_ENTITY, "ValidationError", message)
}

fn refused(err: RoutesYamlError) -> HttpError {
    match err {
        RoutesYamlError::App(err) => err.into(),
        RoutesYamlError::Invalid(err) => {
            invalid("The routes.yaml file is invalid.").with_context(err.to_string())
        }
        err @ RoutesYamlError::Io { .. } => HttpError::internal(&err),
    }
}
