//! `/labels/`: the labels members carry, for pickers and segment choosers, and Ghost's label
//! CRUD (read by id or slug, add, rename, delete).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use dateline_app::labels::LabelInput;
use dateline_store::labels::{Label, LabelKey};
use serde_json::{Value, json};

use super::Authenticated;
use super::input::{self, Action, Reader};
use super::json::time;
use crate::AppState;
use crate::content_api::json::pagination;
use crate::content_api::params::Params;
use crate::error::HttpError;

pub async fn browse(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<Value>, HttpError> {
    let query = params.list_query("labels")?;
    let listing = state.app.member_labels(&actor, &query).await?;
    let items: Vec<Value> = listing.items.iter().map(label_json).collect();
    Ok(Json(
        json!({ "labels": items, "meta": pagination(&listing) }),
    ))
}

pub async fn read(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let label = state.app.label(&actor, LabelKey::Id(&id)).await?;
    Ok(Json(json!({ "labels": [label_json(&label)] })))
}

pub async fn read_by_slug(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let label = state.app.label(&actor, LabelKey::Slug(&slug)).await?;
    Ok(Json(json!({ "labels": [label_json(&label)] })))
}

pub async fn add(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let input = label_input(
        &body,
        Action {
            verb: "add",
            noun: "label",
        },
    )?;
    let label = state.app.add_label(&actor, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "labels": [label_json(&label)] })),
    ))
}

pub async fn edit(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, HttpError> {
    let input = label_input(
        &body,
        Action {
            verb: "edit",
            noun: "label",
        },
    )?;
    let label = state.app.edit_label(&actor, &id, input).await?;
    Ok(Json(json!({ "labels": [label_json(&label)] })))
}

pub async fn delete(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    state.app.delete_label(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn label_input(body: &Value, action: Action) -> Result<LabelInput, HttpError> {
    let read = Reader {
        object: input::single(body, "labels", action)?,
        action,
    };
    Ok(LabelInput {
        name: read.string("name")?,
        slug: read.string("slug")?,
    })
}

/// A label as Ghost shows it, inside a member or in the list.
pub fn label_json(label: &Label) -> Value {
    json!({
        "id": label.id,
        "name": label.name,
        "slug": label.slug,
        "created_at": time(label.created_at),
        "updated_at": time(label.updated_at),
    })
}
