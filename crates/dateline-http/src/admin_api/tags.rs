//! `/tags/`: browse, read by id or slug, add, edit, delete.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use dateline_core::tag::Tag;
use serde_json::{Value, json};

use super::Authenticated;
use super::input::{self, Action};
use super::json;
use crate::AppState;
use crate::content_api::json::{Site, pagination};
use crate::content_api::params::Params;
use crate::error::HttpError;

pub async fn browse(
    _: Authenticated,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<Value>, HttpError> {
    let query = params.list_query("tags")?;
    let count = params.shape().count_posts;
    let listing = state.app.list_tags(&query).await?;
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    let items: Vec<Value> = listing
        .items
        .iter()
        .map(|(t, n)| json::tag(&site, t, count.then_some(*n)))
        .collect();
    Ok(Json(json!({ "tags": items, "meta": pagination(&listing) })))
}

pub async fn read_by_id(
    who: Authenticated,
    state: State<AppState>,
    Path(id): Path<String>,
    params: Query<Params>,
) -> Result<Json<Value>, HttpError> {
    read(who, state, params, |t| t.id.as_str() == id).await
}

pub async fn read_by_slug(
    who: Authenticated,
    state: State<AppState>,
    Path(slug): Path<String>,
    params: Query<Params>,
) -> Result<Json<Value>, HttpError> {
    read(who, state, params, |t| t.slug == slug).await
}

async fn read(
    _: Authenticated,
    State(state): State<AppState>,
    Query(params): Query<Params>,
    wanted: impl Fn(&Tag) -> bool,
) -> Result<Json<Value>, HttpError> {
    let all = state.app.list_tags(&Default::default()).await?;
    let Some((tag, n)) = all.items.into_iter().find(|(t, _)| wanted(t)) else {
        return Err(HttpError::not_found_resource("tag", "Tag"));
    };
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    let count = params.shape().count_posts.then_some(n);
    Ok(Json(json!({ "tags": [json::tag(&site, &tag, count)] })))
}

pub async fn add(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let action = Action {
        verb: "add",
        noun: "tag",
    };
    let input = input::tag(input::single(&body, "tags", action)?, action)?;
    let tag = state.app.add_tag(&actor, input).await?;
    Ok((StatusCode::CREATED, answer(&state, &tag).await?))
}

pub async fn edit(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, HttpError> {
    let action = Action {
        verb: "edit",
        noun: "tag",
    };
    let input = input::tag(input::single(&body, "tags", action)?, action)?;
    let tag = state.app.edit_tag(&actor, &id, input).await?;
    answer(&state, &tag).await
}

pub async fn delete(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    state.app.delete_tag(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn answer(state: &AppState, tag: &Tag) -> Result<Json<Value>, HttpError> {
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    Ok(Json(json!({ "tags": [json::tag(&site, tag, None)] })))
}
