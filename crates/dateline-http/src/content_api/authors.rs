//! `/authors/`: browse, read by id, read by slug.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use super::ContentKey;
use super::json::{self, Site};
use super::params::Params;
use crate::AppState;
use crate::error::HttpError;

pub async fn browse(
    _: ContentKey,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<Value>, HttpError> {
    let query = params.list_query("authors")?;
    let shape = params.shape();
    let listing = state.app.list_authors(&query).await?;
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    let items: Vec<Value> = listing
        .items
        .iter()
        .map(|(t, n)| json::author(&site, t, shape.count_posts.then_some(*n)))
        .collect();
    Ok(Json(
        json!({ "authors": items, "meta": json::pagination(&listing) }),
    ))
}

pub async fn read_by_id(
    key: ContentKey,
    state: State<AppState>,
    Path(id): Path<String>,
    params: Query<Params>,
) -> Result<Json<Value>, HttpError> {
    read(key, state, params, |t| t.id.as_str() == id).await
}

pub async fn read_by_slug(
    key: ContentKey,
    state: State<AppState>,
    Path(slug): Path<String>,
    params: Query<Params>,
) -> Result<Json<Value>, HttpError> {
    read(key, state, params, |t| t.slug == slug).await
}

async fn read(
    _: ContentKey,
    State(state): State<AppState>,
    Query(params): Query<Params>,
    wanted: impl Fn(&dateline_core::user::User) -> bool,
) -> Result<Json<Value>, HttpError> {
    let shape = params.shape();
    let all = state.app.list_authors(&Default::default()).await?;
    let Some((author, n)) = all.items.into_iter().find(|(t, _)| wanted(t)) else {
        return Err(HttpError::not_found_resource("author", "Author"));
    };
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    Ok(Json(
        json!({ "authors": [json::author(&site, &author, shape.count_posts.then_some(n))] }),
    ))
}
