//! `/users/`: browse the staff, read one by id, slug or email, or `me`.

use axum::Json;
use axum::extract::{Path, Query, State};
use dateline_app::admin::users::UserKey;
use serde_json::{Value, json};

use super::Authenticated;
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
    let query = params.list_query("users")?;
    let count = params.shape().count_posts;
    let listing = state.app.staff_users(&query).await?;
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    let items: Vec<Value> = listing
        .items
        .iter()
        .map(|(u, n)| json::user(&site, u, count.then_some(*n)))
        .collect();
    Ok(Json(
        json!({ "users": items, "meta": pagination(&listing) }),
    ))
}

/// `/users/{id}/`, where the id may be `me`.
pub async fn read_by_id(
    who: Authenticated,
    state: State<AppState>,
    Path(id): Path<String>,
    params: Query<Params>,
) -> Result<Json<Value>, HttpError> {
    let key = if id == "me" {
        UserKey::Me
    } else {
        UserKey::Id(&id)
    };
    read(who, state, key, params).await
}

pub async fn read_by_slug(
    who: Authenticated,
    state: State<AppState>,
    Path(slug): Path<String>,
    params: Query<Params>,
) -> Result<Json<Value>, HttpError> {
    read(who, state, UserKey::Slug(&slug), params).await
}

pub async fn read_by_email(
    who: Authenticated,
    state: State<AppState>,
    Path(email): Path<String>,
    params: Query<Params>,
) -> Result<Json<Value>, HttpError> {
    read(who, state, UserKey::Email(&email), params).await
}

async fn read(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    key: UserKey<'_>,
    Query(params): Query<Params>,
) -> Result<Json<Value>, HttpError> {
    let Some((user, n)) = state.app.staff_user(&actor, key).await? else {
        return Err(HttpError::not_found_resource("user", "User"));
    };
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    let count = params.shape().count_posts.then_some(n);
    Ok(Json(json!({ "users": [json::user(&site, &user, count)] })))
}
