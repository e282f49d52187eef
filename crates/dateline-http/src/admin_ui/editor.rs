//! The story editor: `/admin/posts/new/` and `/admin/posts/{id}/`, and the calls its script
//! makes. Saving, uploading and rendering are the Admin API's and the site's own code paths
//! behind the admin's session and CSRF check: a save is `POST`/`PUT` of Ghost's post JSON to
//! the Admin API handlers (so a stale `updated_at` gets Ghost's 409 `UPDATE_COLLISION`, exact
//! however close together the saves, a contributor's publish Ghost's 403, and every save a
//! revision in the history), the live preview is the Markdown renderer saves use,
//! and the full preview is the site's article page in the active theme.

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dateline_app::content::{ListQuery, PostKey};
use dateline_app::site::PostDetail;
use dateline_core::post::{PostStatus, PostType};
use dateline_core::reading_time;
use dateline_core::role::Role;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::stories::{local_time, site_timezone};
use super::{Staff, templates};
use crate::AppState;
use crate::admin_api::Authenticated;
use crate::admin_api::posts::WriteParams;
use crate::error::HttpError;

/// What the editor's form starts from.
#[derive(Serialize)]
struct EditorPost {
    id: Option<String>,
    title: String,
    slug: String,
    markdown: String,
    status: &'static str,
    updated_at: Option<String>,
    published_at: Option<String>,
    feature_image: String,
    feature_image_alt: String,
    feature_image_caption: String,
    custom_excerpt: String,
    dateline: String,
    language: String,
    featured: bool,
    visibility: &'static str,
    section: String,
    tags: String,
    authors: Vec<Person>,
    text: Vec<(&'static str, &'static str, String)>,
    codeinjection_head: String,
    codeinjection_foot: String,
    corrections: Vec<CorrectionRow>,
    url: Option<String>,
}

#[derive(Serialize)]
struct Person {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct CorrectionRow {
    id: String,
    note: String,
    date: String,
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn editor_post(
    detail: &PostDetail,
    site_url: &str,
    tz: &jiff::tz::TimeZone,
    routes: &dateline_core::routes::SiteRoutes,
) -> EditorPost {
    let p = &detail.post;
    let primary = detail.primary_tag();
    let other_tags: Vec<&str> = detail
        .tags
        .iter()
        .filter(|t| primary.is_none_or(|s| s.id != t.id))
        .map(|t| t.name.as_str())
        .collect();
    EditorPost {
        id: Some(p.id.to_string()),
        title: p.title.clone(),
        slug: p.slug.clone(),
        markdown: text(&p.markdown),
        status: match p.status {
            PostStatus::Draft => "draft",
            PostStatus::Scheduled => "scheduled",
            PostStatus::Published | PostStatus::Sent => "published",
        },
        updated_at: Some(p.updated_at.to_string()),
        published_at: p.published_at.map(|t| t.to_string()),
        feature_image: text(&p.feature_image).replace("__GHOST_URL__", site_url),
        feature_image_alt: text(&p.feature_image_alt),
        feature_image_caption: text(&p.feature_image_caption),
        custom_excerpt: text(&p.custom_excerpt),
        dateline: text(&p.dateline),
        language: text(&p.language),
        featured: p.featured,
        visibility: p.visibility.as_str(),
        section: primary.map(|t| t.name.clone()).unwrap_or_default(),
        tags: other_tags.join(", "),
        authors: detail
            .authors
            .iter()
            .map(|a| Person {
                id: a.id.to_string(),
                name: a.name.clone(),
            })
            .collect(),
        text: seo_fields(&[
            &p.meta_title,
            &p.meta_description,
            &p.og_title,
            &p.og_description,
            &p.twitter_title,
            &p.twitter_description,
            &p.canonical_url,
        ]),
        codeinjection_head: text(&p.codeinjection_head),
        codeinjection_foot: text(&p.codeinjection_foot),
        corrections: p
            .corrections
            .iter()
            .map(|c| CorrectionRow {
                id: c.id.to_string(),
                note: c.note.clone(),
                date: local_time(c.created_at, tz),
            })
            .collect(),
        url: (p.status == PostStatus::Published)
            .then(|| routes.post_path(&detail.record()))
            .flatten()
            .map(|path| format!("{site_url}{path}")),
    }
}

/// The SEO and social fields: Admin API key, label, value.
const SEO_FIELDS: [(&str, &str); 7] = [
    ("meta_title", "Meta title"),
    ("meta_description", "Meta description"),
    ("og_title", "Facebook title"),
    ("og_description", "Facebook description"),
    ("twitter_title", "X (Twitter) title"),
    ("twitter_description", "X (Twitter) description"),
    ("canonical_url", "Canonical URL"),
];

fn seo_fields(values: &[&Option<String>; 7]) -> Vec<(&'static str, &'static str, String)> {
    SEO_FIELDS
        .iter()
        .zip(values)
        .map(|((key, label), value)| (*key, *label, text(value)))
        .collect()
}

fn new_post(staff: &Staff) -> EditorPost {
    EditorPost {
        id: None,
        title: String::new(),
        slug: String::new(),
        markdown: String::new(),
        status: "draft",
        updated_at: None,
        published_at: None,
        feature_image: String::new(),
        feature_image_alt: String::new(),
        feature_image_caption: String::new(),
        custom_excerpt: String::new(),
        dateline: String::new(),
        language: String::new(),
        featured: false,
        visibility: "public",
        section: String::new(),
        tags: String::new(),
        authors: vec![Person {
            id: staff.user.id.to_string(),
            name: staff.user.name.clone(),
        }],
        text: seo_fields(&[&None, &None, &None, &None, &None, &None, &None]),
        codeinjection_head: String::new(),
        codeinjection_foot: String::new(),
        corrections: Vec::new(),
        url: None,
    }
}

/// `GET /admin/posts/new/`.
pub async fn new(staff: Staff, State(state): State<AppState>) -> Result<Response, HttpError> {
    let post = new_post(&staff);
    page(&staff, &state, post, None, None).await
}

/// `GET /admin/posts/{id}/`.
pub async fn edit(
    staff: Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let detail = state
        .app
        .staff_post(PostType::Post, PostKey::Id(&id))
        .await?
        .ok_or(HttpError::not_found())?;
    let tz = site_timezone(&state).await?;
    let routes = dateline_core::routes::SiteRoutes::of(&state.app.settings().await?);
    let post = editor_post(&detail, &state.site_url, &tz, &routes);
    let review = state
        .app
        .review_request(&detail.post.id)
        .await?
        .map(|(by, at)| context! { by, at => local_time(at, &tz) });
    // The story's newsletter send, if it went out (`emails`).
    let email = super::emails::for_post(&state, &detail.post.id.to_string()).await?;
    page(&staff, &state, post, review, email).await
}

/// The editor for `post`; `review` says who submitted it for review and when, if it waits;
/// `email` is the progress of its newsletter send, if it was sent.
async fn page(
    staff: &Staff,
    state: &AppState,
    post: EditorPost,
    review: Option<Value>,
    email: Option<Value>,
) -> Result<Response, HttpError> {
    let everything = ListQuery {
        page: 1,
        ..ListQuery::default()
    };
    let tags: Vec<String> = state
        .app
        .list_tags(&everything)
        .await?
        .items
        .into_iter()
        .map(|(t, _)| t.name)
        .collect();
    let staff_list: Vec<Person> = state
        .app
        .staff_users(&everything)
        .await?
        .items
        .into_iter()
        .map(|(u, _)| Person {
            id: u.id.to_string(),
            name: u.name,
        })
        .collect();
    let role = staff.user.role;
    // What the publish dialog offers for sending the story as a newsletter (`story_email`).
    let send = super::story_email::choices(state, staff).await?;
    let html = templates::render(
        "editor.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            post => Value::from(Serde(&post)),
            tags,
            staff => Value::from(Serde(&staff_list)),
            may_publish => role >= Role::Author,
            may_manage => role >= Role::Editor,
            review,
            send => send.map(|s| Value::from(Serde(s))),
            email,
            body_limit => crate::router::BODY_LIMIT,
        },
    )?;
    Ok(html.into_response())
}

/// `POST /admin/api/posts/`: the first save of a new story.
pub async fn create(
    staff: Staff,
    state: State<AppState>,
    headers: HeaderMap,
    body: Json<serde_json::Value>,
) -> Result<Response, HttpError> {
    staff.check_header(&headers)?;
    let who = Authenticated(staff.actor());
    let saved = crate::admin_api::posts::add_post(who, state, Query(WriteParams::default()), body);
    Ok(saved.await?.into_response())
}

/// What a save that publishes may also do: send the story as `newsletter` to `email_segment`
/// (the publish dialog's choice).
#[derive(Debug, Default, Deserialize)]
pub struct SendParams {
    newsletter: Option<String>,
    email_segment: Option<String>,
}

/// `PUT /admin/api/posts/{id}/`: autosave and every status change; with `?newsletter=` a
/// publish also sends the story, by the Admin API's rules.
pub async fn save(
    staff: Staff,
    state: State<AppState>,
    headers: HeaderMap,
    id: Path<String>,
    Query(send): Query<SendParams>,
    body: Json<serde_json::Value>,
) -> Result<Response, HttpError> {
    staff.check_header(&headers)?;
    let who = Authenticated(staff.actor());
    let write = WriteParams::sending(
        send.newsletter.filter(|n| !n.is_empty()),
        send.email_segment,
    );
    let saved = crate::admin_api::posts::edit_post(who, state, id, Query(write), body);
    Ok(saved.await?.into_response())
}

/// `POST /admin/api/images/`: an image for the body or the feature image.
pub async fn upload(
    staff: Staff,
    state: State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    staff.check_header(&headers)?;
    let who = Authenticated(staff.actor());
    Ok(crate::admin_api::images::upload(who, state, multipart)
        .await?
        .into_response())
}

#[derive(Deserialize)]
pub struct RenderRequest {
    #[serde(default)]
    markdown: String,
    #[serde(default)]
    has_feature_image: bool,
}

/// `POST /admin/api/render/`: the live preview, word count and reading time, by the rules a
/// save applies (the same renderer, the same cleaning for the writer's role, Ghost's count).
pub async fn render(
    staff: Staff,
    headers: HeaderMap,
    Json(request): Json<RenderRequest>,
) -> Result<Json<serde_json::Value>, HttpError> {
    staff.check_header(&headers)?;
    let (html, _) = dateline_app::editorial::render_body(&request.markdown, staff.user.role);
    Ok(Json(json!({
        "html": html,
        "words": reading_time::word_count(&html),
        "minutes": reading_time::reading_time_minutes(&html, request.has_feature_image).max(1),
    })))
}

#[derive(Deserialize)]
pub struct PasteRequest {
    #[serde(default)]
    html: String,
}

/// `POST /admin/api/paste/`: rich text pasted from a browser or a word processor, as clean
/// Markdown.
pub async fn paste(
    staff: Staff,
    headers: HeaderMap,
    Json(request): Json<PasteRequest>,
) -> Result<Json<serde_json::Value>, HttpError> {
    staff.check_header(&headers)?;
    Ok(Json(
        json!({ "markdown": super::paste::markdown(&request.html) }),
    ))
}

/// `GET /admin/posts/{id}/preview/`: the story as its page will look, whatever its status,
/// in the active theme. Never cached: it shows unpublished text.
pub async fn preview(
    _: Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let detail = state
        .app
        .staff_post(PostType::Post, PostKey::Id(&id))
        .await?
        .ok_or(HttpError::not_found())?;
    let mut page = crate::site::entry_page(&state, &detail, &[]).await?;
    page.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    page.headers_mut()
        .insert("x-robots-tag", header::HeaderValue::from_static("noindex"));
    Ok((StatusCode::OK, page).into_response())
}
