//! `/tags/` and `/authors/`: browse, read by id, read by slug. Both are small lists with a post
//! count, answered the same way, so one set of handlers serves both through [`Listed`].

use std::future::Future;

use axum::Json;
use axum::extract::{Path, State};
use dateline_app::App;
use dateline_app::content::{ListQuery, Listing};
use dateline_core::tag::Tag;
use dateline_core::user::User;
use serde_json::{Value, json};

use super::ContentKey;
use super::json::{self, Site};
use super::params::{Params, Shape};
use crate::AppState;
use crate::error::HttpError;

/// A resource listed with its number of published posts.
pub trait Listed: Sized + Send + Sync + 'static {
    /// The answer's key and the path segment (`tags`).
    const RESOURCE: &'static str;
    /// For "cannot read tag." / "Tag not found."
    const NOUN: (&'static str, &'static str);
    fn list(
        app: &App,
        query: &ListQuery,
    ) -> impl Future<Output = dateline_app::Result<Listing<(Self, u64)>>> + Send;
    fn to_json(site: &Site, item: &Self, count: Option<u64>) -> Value;
    fn id(&self) -> &str;
    fn slug(&self) -> &str;
}

impl Listed for Tag {
    const RESOURCE: &'static str = "tags";
    const NOUN: (&'static str, &'static str) = ("tag", "Tag");
    fn list(
        app: &App,
        query: &ListQuery,
    ) -> impl Future<Output = dateline_app::Result<Listing<(Self, u64)>>> + Send {
        app.list_tags(query)
    }
    fn to_json(site: &Site, item: &Self, count: Option<u64>) -> Value {
        json::tag(site, item, count)
    }
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn slug(&self) -> &str {
        &self.slug
    }
}

impl Listed for User {
    const RESOURCE: &'static str = "authors";
    const NOUN: (&'static str, &'static str) = ("author", "Author");
    fn list(
        app: &App,
        query: &ListQuery,
    ) -> impl Future<Output = dateline_app::Result<Listing<(Self, u64)>>> + Send {
        app.list_authors(query)
    }
    fn to_json(site: &Site, item: &Self, count: Option<u64>) -> Value {
        json::author(site, item, count)
    }
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn slug(&self) -> &str {
        &self.slug
    }
}

pub async fn browse<T: Listed>(
    _: ContentKey,
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, HttpError> {
    let query = params.list_query(T::RESOURCE)?;
    let shape = params.shape();
    let listing = T::list(&state.app, &query).await?;
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    let items: Vec<Value> = listing
        .items
        .iter()
        .map(|(item, n)| shaped::<T>(&site, item, *n, &shape))
        .collect();
    Ok(Json(
        json!({ T::RESOURCE: items, "meta": json::pagination(&listing) }),
    ))
}

pub async fn read_by_id<T: Listed>(
    _: ContentKey,
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, HttpError> {
    super::params::check_id(&id, &format!("read {}", T::NOUN.0))?;
    read::<T>(&state, &params, |item| item.id() == id).await
}

pub async fn read_by_slug<T: Listed>(
    _: ContentKey,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Json<Value>, HttpError> {
    read::<T>(&state, &params, |item| item.slug() == slug).await
}

async fn read<T: Listed>(
    state: &AppState,
    params: &Params,
    wanted: impl Fn(&T) -> bool,
) -> Result<Json<Value>, HttpError> {
    let shape = params.shape();
    let all = T::list(&state.app, &ListQuery::default()).await?;
    let Some((item, n)) = all.items.into_iter().find(|(item, _)| wanted(item)) else {
        let (noun, title) = T::NOUN;
        return Err(HttpError::not_found_resource(noun, title));
    };
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    Ok(Json(
        json!({ T::RESOURCE: [shaped::<T>(&site, &item, n, &shape)] }),
    ))
}

/// One record as `include` and `fields` ask. Ghost reads `fields` as the columns to load and
/// adds `count` for `include=count.posts` after, so the count stays whatever the fields.
fn shaped<T: Listed>(site: &Site, item: &T, posts: u64, shape: &Shape) -> Value {
    match T::to_json(site, item, shape.count_posts.then_some(posts)) {
        Value::Object(mut o) => {
            let count = o.remove("count");
            let mut kept = json::select(o, shape);
            if let (Some(count), Value::Object(kept)) = (count, &mut kept) {
                kept.insert("count".into(), count);
            }
            kept
        }
        other => other,
    }
}
