//! `/posts/` and `/pages/`: browse, read by id or slug, add, edit, delete. Publishing,
//! scheduling and unpublishing are edits of `status` (and `published_at`), as in Ghost.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use dateline_app::content::PostKey;
use dateline_app::site::PostDetail;
use dateline_core::post::{PostStatus, PostType};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Authenticated;
use super::input::{self, Action};
use super::json::{self, Shape};
use crate::AppState;
use crate::content_api::json::{Site, pagination};
use crate::content_api::params::Params;
use crate::error::HttpError;

/// `?source=html` marks `html` as the body to store. `?newsletter={slug}` (with
/// `email_segment`, `all` by default) sends the post as that newsletter when this request
/// publishes it, as in Ghost.
#[derive(Debug, Default, Deserialize)]
pub struct WriteParams {
    source: Option<String>,
    newsletter: Option<String>,
    email_segment: Option<String>,
    #[serde(flatten)]
    params: Params,
}

impl WriteParams {
    /// A save that sends the post as `newsletter` to `email_segment` if it publishes it (the
    /// admin's editor), as `?newsletter=&email_segment=` does.
    pub fn sending(newsletter: Option<String>, email_segment: Option<String>) -> WriteParams {
        WriteParams {
            newsletter,
            email_segment,
            ..WriteParams::default()
        }
    }
}

fn resource(post_type: PostType) -> &'static str {
    match post_type {
        PostType::Post => "posts",
        PostType::Page => "pages",
    }
}

fn noun(post_type: PostType) -> &'static str {
    match post_type {
        PostType::Post => "post",
        PostType::Page => "page",
    }
}

macro_rules! for_both_types {
    ($($post_fn:ident, $page_fn:ident => $inner:ident($($arg:ident: $ty:ty),*);)+) => {
        $(
            pub async fn $post_fn(who: Authenticated, state: State<AppState>, $($arg: $ty),*) -> Result<(StatusCode, Json<Value>), HttpError> {
                $inner(who, state, PostType::Post, $($arg),*).await
            }
            pub async fn $page_fn(who: Authenticated, state: State<AppState>, $($arg: $ty),*) -> Result<(StatusCode, Json<Value>), HttpError> {
                $inner(who, state, PostType::Page, $($arg),*).await
            }
        )+
    };
}

for_both_types! {
    browse_posts, browse_pages => browse(params: Query<Params>);
    read_post_by_id, read_page_by_id => read_by_id(id: Path<String>, params: Query<Params>);
    read_post_by_slug, read_page_by_slug => read_by_slug(slug: Path<String>, params: Query<Params>);
    add_post, add_page => add(params: Query<WriteParams>, body: Json<Value>);
    edit_post, edit_page => edit(id: Path<String>, params: Query<WriteParams>, body: Json<Value>);
}

async fn browse(
    _: Authenticated,
    State(state): State<AppState>,
    post_type: PostType,
    Query(params): Query<Params>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let query = params.list_query(resource(post_type))?;
    let listing = state.app.staff_posts(post_type, &query).await?;
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    let shape = Shape::new(&params);
    let mut items: Vec<Value> = listing
        .items
        .iter()
        .map(|p| json::post(&site, p, &shape))
        .collect();
    for item in &mut items {
        super::emails::attach(&state, item).await?;
    }
    Ok((
        StatusCode::OK,
        Json(json!({ resource(post_type): items, "meta": pagination(&listing) })),
    ))
}

async fn read_by_id(
    who: Authenticated,
    state: State<AppState>,
    post_type: PostType,
    Path(id): Path<String>,
    params: Query<Params>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    read(who, state, post_type, PostKey::Id(&id), params).await
}

async fn read_by_slug(
    who: Authenticated,
    state: State<AppState>,
    post_type: PostType,
    Path(slug): Path<String>,
    params: Query<Params>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    read(who, state, post_type, PostKey::Slug(&slug), params).await
}

async fn read(
    _: Authenticated,
    State(state): State<AppState>,
    post_type: PostType,
    key: PostKey<'_>,
    Query(params): Query<Params>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let Some(detail) = state.app.staff_post(post_type, key).await? else {
        let title = match post_type {
            PostType::Post => "Post",
            PostType::Page => "Page",
        };
        return Err(HttpError::not_found_resource(noun(post_type), title));
    };
    answer(&state, post_type, StatusCode::OK, &detail, &params).await
}

async fn add(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    post_type: PostType,
    Query(write): Query<WriteParams>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let action = Action {
        verb: "add",
        noun: noun(post_type),
    };
    let object = input::single(&body, resource(post_type), action)?;
    let input = input::post(object, write.source.as_deref() == Some("html"), action)?;
    check_newsletter(&state, &actor, post_type, &write).await?;
    let detail = state.app.add_post(&actor, post_type, input).await?;
    let detail = send_newsletter(&state, &write, detail).await?;
    answer(
        &state,
        post_type,
        StatusCode::CREATED,
        &detail,
        &write.params,
    )
    .await
}

async fn edit(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    post_type: PostType,
    Path(id): Path<String>,
    Query(write): Query<WriteParams>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let action = Action {
        verb: "edit",
        noun: noun(post_type),
    };
    let object = input::single(&body, resource(post_type), action)?;
    let input = input::post(object, write.source.as_deref() == Some("html"), action)?;
    check_newsletter(&state, &actor, post_type, &write).await?;
    let was_published = match write.newsletter {
        Some(_) => state
            .app
            .staff_post(post_type, PostKey::Id(&id))
            .await?
            .is_some_and(|d| d.post.status == PostStatus::Published),
        None => false,
    };
    let mut detail = state.app.edit_post(&actor, post_type, &id, input).await?;
    if !was_published {
        detail = send_newsletter(&state, &write, detail).await?;
    }
    answer(&state, post_type, StatusCode::OK, &detail, &write.params).await
}

pub async fn delete_post(
    who: Authenticated,
    state: State<AppState>,
    id: Path<String>,
) -> Result<StatusCode, HttpError> {
    delete(who, state, PostType::Post, id).await
}

pub async fn delete_page(
    who: Authenticated,
    state: State<AppState>,
    id: Path<String>,
) -> Result<StatusCode, HttpError> {
    delete(who, state, PostType::Page, id).await
}

async fn delete(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    post_type: PostType,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    state.app.remove_post(&actor, post_type, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn answer(
    state: &AppState,
    post_type: PostType,
    status: StatusCode,
    detail: &dateline_app::site::PostDetail,
    params: &Params,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let site = Site::new(&state.site_url, &state.app.settings().await?);
    let shape = Shape::new(params);
    let mut post = json::post(&site, detail, &shape);
    super::emails::attach(state, &mut post).await?;
    Ok((status, Json(json!({ resource(post_type): [post] }))))
}

/// Refuses an unknown newsletter, a bad segment or a sender below an editor before the post
/// is saved, so a failed send never leaves a post published without its email.
async fn check_newsletter(
    state: &AppState,
    actor: &dateline_app::admin::Actor,
    post_type: PostType,
    write: &WriteParams,
) -> Result<(), HttpError> {
    if let Some(newsletter) = &write.newsletter {
        if post_type != PostType::Post {
            return Err(HttpError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "ValidationError",
                "Only posts can be sent as newsletters.",
            ));
        }
        state
            .app
            .check_send(
                actor,
                newsletter,
                write.email_segment.as_deref().unwrap_or("all"),
            )
            .await?;
    }
    Ok(())
}

/// Sends a post that this request published as the newsletter asked for, or remembers to
/// send it when the scheduler publishes it; a post put back to draft forgets its newsletter.
/// A post goes out once: a later request that asks again changes nothing.
async fn send_newsletter(
    state: &AppState,
    write: &WriteParams,
    detail: PostDetail,
) -> Result<PostDetail, HttpError> {
    let post_id = detail.post.id.to_string();
    let segment = write.email_segment.as_deref().unwrap_or("all");
    let newsletter = match (&write.newsletter, detail.post.status) {
        (Some(newsletter), PostStatus::Published) => newsletter,
        (Some(newsletter), PostStatus::Scheduled) => {
            let app = &state.app;
            app.schedule_newsletter(&state.site_url, &post_id, newsletter, segment)
                .await?;
            return Ok(detail);
        }
        (_, PostStatus::Draft) => {
            state.app.forget_scheduled_newsletter(&post_id).await?;
            return Ok(detail);
        }
        _ => return Ok(detail),
    };
    match state
        .app
        .send_post_to_segment(&state.site_url, &post_id, newsletter, segment)
        .await
    {
        Ok(_) | Err(dateline_app::AppError::Conflict { .. }) => {}
        Err(err) => return Err(err.into()),
    }
    if !detail.post.email_only {
        return Ok(detail);
    }
    // An email-only post left the site (`sent`) once it went out: answer with that.
    let again = state
        .app
        .staff_post(PostType::Post, PostKey::Id(&post_id))
        .await?;
    Ok(again.unwrap_or(detail))
}
