//! `/newsletters/`: list, add and edit the site's newsletters in Ghost 5.130's shape. Layout
//! switches Dateline's email template does not have (fonts, colours, badges) are answered with
//! Ghost's defaults so clients that send them back do no harm.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use dateline_app::newsletters::{NewsletterEdit, NewsletterInput};
use dateline_store::newsletters::Newsletter;
use serde_json::{Map, Value, json};

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
    let query = params.list_query("newsletters")?;
    let counts = params
        .include
        .as_deref()
        .is_some_and(|i| i.split(',').any(|p| p.trim().starts_with("count.")));
    let listing = state.app.all_newsletters(&actor, &query).await?;
    let items: Vec<Value> = listing
        .items
        .iter()
        .map(|(n, members)| newsletter_json(n, counts.then_some(*members)))
        .collect();
    Ok(Json(
        json!({ "newsletters": items, "meta": pagination(&listing) }),
    ))
}

pub async fn add(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let action = Action {
        verb: "add",
        noun: "newsletter",
    };
    let edit = newsletter_edit(input::single(&body, "newsletters", action)?, action)?;
    let input = NewsletterInput {
        name: edit.name.unwrap_or_default(),
        slug: edit.slug,
        description: edit.description.flatten(),
        sender_name: edit.sender_name.flatten(),
        sender_email: edit.sender_email.flatten(),
        sender_reply_to: edit.sender_reply_to.flatten(),
        footer_content: edit.footer_content.flatten(),
        subscribe_on_signup: edit.subscribe_on_signup.unwrap_or(true),
        header_image: edit.header_image.flatten(),
        show_feature_image: edit.show_feature_image,
    };
    let newsletter = state.app.add_newsletter(&actor, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "newsletters": [newsletter_json(&newsletter, None)] })),
    ))
}

pub async fn edit(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, HttpError> {
    let action = Action {
        verb: "edit",
        noun: "newsletter",
    };
    let edit = newsletter_edit(input::single(&body, "newsletters", action)?, action)?;
    let newsletter = state.app.edit_newsletter(&actor, &id, edit).await?;
    Ok(Json(
        json!({ "newsletters": [newsletter_json(&newsletter, None)] }),
    ))
}

/// A newsletter as Ghost 5.130's Admin API shows one; `members` is its subscriber count when
/// `include=count.members` asked for it.
pub fn newsletter_json(n: &Newsletter, members: Option<u64>) -> Value {
    let mut o = json!({
        "id": n.id,
        "uuid": n.uuid,
        "name": n.name,
        "description": n.description,
        "feedback_enabled": false,
        "slug": n.slug,
        "sender_name": n.sender_name,
        "sender_email": n.sender_email,
        // Ghost's `newsletter` means "replies go to the sender address".
        "sender_reply_to": n.sender_reply_to.as_deref().unwrap_or("newsletter"),
        "status": n.status,
        "visibility": "members",
        "subscribe_on_signup": n.subscribe_on_signup,
        "sort_order": n.sort_order,
        "header_image": n.header_image,
        "show_header_icon": true,
        "show_header_title": true,
        "title_font_category": "sans_serif",
        "title_alignment": "center",
        "show_feature_image": n.show_feature_image,
        "body_font_category": "sans_serif",
        "footer_content": n.footer_content,
        "show_badge": true,
        "show_header_name": true,
        "show_post_title_section": true,
        "show_comment_cta": true,
        "show_subscription_details": false,
        "show_latest_posts": false,
        "background_color": "light",
        "post_title_color": null,
        "created_at": time(n.created_at),
        "updated_at": time(n.updated_at),
    });
    if let (Some(members), Some(o)) = (members, o.as_object_mut()) {
        o.insert("count".into(), json!({ "members": members }));
    }
    o
}

fn newsletter_edit(
    object: &Map<String, Value>,
    action: Action,
) -> Result<NewsletterEdit, HttpError> {
    let read = Reader { object, action };
    let sort_order = match object.get("sort_order") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_i64()
                .ok_or_else(|| read.wrong("sort_order", "a number"))?,
        ),
    };
    // Ghost's `newsletter` and `support` name addresses rather than give one.
    let reply_to = read
        .nullable_string("sender_reply_to")?
        .map(|v| v.filter(|r| r != "newsletter" && r != "support"));
    Ok(NewsletterEdit {
        name: read.string("name")?,
        slug: read.string("slug")?,
        description: read.nullable_string("description")?,
        sender_name: read.nullable_string("sender_name")?,
        sender_email: read.nullable_string("sender_email")?,
        sender_reply_to: reply_to,
        footer_content: read.nullable_string("footer_content")?,
        header_image: read.nullable_string("header_image")?,
        subscribe_on_signup: read.bool("subscribe_on_signup")?,
        show_feature_image: read.bool("show_feature_image")?,
        status: read.string("status")?,
        sort_order,
    })
}
