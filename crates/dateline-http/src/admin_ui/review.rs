//! The review step: a contributor's "Submit for review" from the editor, and the editors'
//! queue at `/admin/review/` (`dateline_app::review`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;
use serde_json::json;

use super::guard::{AnyStaff, Posted};
use super::stories::{local_time, site_timezone};
use super::{Staff, templates};
use crate::AppState;
use crate::error::HttpError;

/// `POST /admin/api/posts/{id}/review/`.
pub async fn submit(
    staff: Staff,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, HttpError> {
    staff.check_header(&headers)?;
    let at = state.app.submit_for_review(&staff.user, &id).await?;
    Ok(Json(json!({ "submitted_at": at.to_string() })))
}

#[derive(Serialize)]
struct Row {
    id: String,
    title: String,
    section: Option<String>,
    authors: String,
    submitted_by: String,
    submitted_at: String,
}

/// `GET /admin/review/`: what waits for an editor.
pub async fn queue(staff: Staff, State(state): State<AppState>) -> Result<Response, HttpError> {
    let stories = state.app.review_queue(&staff.actor()).await?;
    let tz = site_timezone(&state).await?;
    let rows: Vec<Row> = stories
        .iter()
        .map(|s| Row {
            id: s.detail.post.id.to_string(),
            title: s.detail.post.title.clone(),
            section: s.detail.primary_tag().map(|t| t.name.clone()),
            authors: s
                .detail
                .authors
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            submitted_by: s.submitted_by.clone(),
            submitted_at: local_time(s.submitted_at, &tz),
        })
        .collect();
    let html = templates::render(
        "review.html",
        context! { user => staff.view(), csrf => &staff.csrf, rows => Value::from(Serde(&rows)) },
    )?;
    Ok(html.into_response())
}

/// `POST /admin/review/{id}/send-back/`.
pub async fn send_back(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, .. }: Posted<AnyStaff>,
) -> Result<Response, HttpError> {
    state.app.send_back(&staff.actor(), &id).await?;
    Ok(Redirect::to("/admin/review/").into_response())
}
