//! `/posts/` and `/pages/`: browse, read by id, read by slug.

use axum::Json;
use axum::extract::{Path, State};
use dateline_app::content::PostKey;
use dateline_core::post::PostType;
use serde_json::{Value, json};

use super::ContentKey;
use super::json::{self, Site};
use super::params::Params;
use crate::AppState;
use crate::error::HttpError;

pub async fn browse_posts(
    _: ContentKey,
    state: State<AppState>,
    params: Params,
) -> Result<Json<Value>, HttpError> {
    browse(state, params, PostType::Post).await
}

pub async fn browse_pages(
    _: ContentKey,
    state: State<AppState>,
    params: Params,
) -> Result<Json<Value>, HttpError> {
    browse(state, params, PostType::Page).await
}

pub async fn read_post_by_id(
    _: ContentKey,
    state: State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, HttpError> {
    read(state, params, PostType::Post, PostKey::Id(&id)).await
}

pub async fn read_post_by_slug(
    _: ContentKey,
    state: State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Json<Value>, HttpError> {
    read(state, params, PostType::Post, PostKey::Slug(&slug)).await
}

pub async fn read_page_by_id(
    _: ContentKey,
    state: State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, HttpError> {
    read(state, params, PostType::Page, PostKey::Id(&id)).await
}

pub async fn read_page_by_slug(
    _: ContentKey,
    state: State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Json<Value>, HttpError> {
    read(state, params, PostType::Page, PostKey::Slug(&slug)).await
}

fn resource(post_type: PostType) -> &'static str {
    match post_type {
        PostType::Post => "posts",
        PostType::Page => "pages",
    }
}

async fn browse(
    State(state): State<AppState>,
    params: Params,
    post_type: PostType,
) -> Result<Json<Value>, HttpError> {
    let query = params
        .list_query(resource(post_type))?
        .for_readers(post_type);
    let shape = params.shape();
    let listing = state.app.list_posts(post_type, &query).await?;
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    let items: Vec<Value> = listing
        .items
        .iter()
        .map(|p| json::post(&site, p, &shape))
        .collect();
    Ok(Json(
        json!({ resource(post_type): items, "meta": json::pagination(&listing) }),
    ))
}

async fn read(
    State(state): State<AppState>,
    params: Params,
    post_type: PostType,
    key: PostKey<'_>,
) -> Result<Json<Value>, HttpError> {
    let (noun, title) = match post_type {
        PostType::Post => ("post", "Post"),
        PostType::Page => ("page", "Page"),
    };
    if let PostKey::Id(id) = key {
        super::params::check_id(id, &format!("read {noun}"))?;
    }
    params.check_read(resource(post_type), noun)?;
    let shape = params.shape();
    let Some(detail) = state.app.read_post(post_type, key).await? else {
        return Err(HttpError::not_found_resource(noun, title));
    };
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    Ok(Json(
        json!({ resource(post_type): [json::post(&site, &detail, &shape)] }),
    ))
}
