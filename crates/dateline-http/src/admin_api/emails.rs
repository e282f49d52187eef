//! `/emails/{id}/`: a post sent as a newsletter, with its progress (`email_count`,
//! `delivered_count`, `failed_count`, `status`), as Ghost's Admin API shows it; and
//! `/emails/{id}/cancel/`, a Dateline extension (Ghost can only retry a failed email) that stops
//! a send in progress: nobody still queued gets it.

use axum::Json;
use axum::extract::{Path, State};
use dateline_app::mailing::SentEmail;
use serde_json::{Value, json};

use super::Authenticated;
use super::json::time;
use super::newsletters::newsletter_json;
use crate::AppState;
use crate::error::HttpError;

pub async fn read(
    _: Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    match state.app.email(&id).await? {
        Some(email) => Ok(Json(json!({ "emails": [email_json(&email)] }))),
        None => Err(HttpError::not_found_resource("email", "Email")),
    }
}

pub async fn cancel(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let email = state.app.cancel_email(&actor, &id).await?;
    Ok(Json(json!({ "emails": [email_json(&email)] })))
}

/// Ghost's `email` object. Its states are `submitting` (Dateline: still being delivered) and
/// `submitted` (every recipient settled); a cancelled send says `cancelled`.
pub fn email_json(email: &SentEmail) -> Value {
    let send = &email.send;
    let p = &email.progress;
    let status = match send.status.as_str() {
        "sending" => "submitting",
        "sent" => "submitted",
        other => other,
    };
    let from = match &send.from_name {
        Some(name) => format!("\"{name}\" <{}>", send.from_address),
        None => send.from_address.clone(),
    };
    json!({
        "id": send.id,
        "post_id": send.post_id,
        "newsletter_id": send.newsletter_id,
        "status": status,
        "recipient_filter": send.recipient_filter,
        "error": null,
        "error_data": null,
        "email_count": p.total(),
        "delivered_count": p.sent,
        "opened_count": 0,
        "failed_count": p.failed,
        "subject": send.subject,
        "from": from,
        "reply_to": send.reply_to,
        "html": send.html,
        "plaintext": send.plaintext,
        "source_type": "html",
        "track_opens": false,
        "track_clicks": false,
        "feedback_enabled": false,
        "submitted_at": time(send.created_at),
        "created_at": time(send.created_at),
        "updated_at": time(send.finished_at.unwrap_or(send.created_at)),
    })
}

/// Sets a post's `email` and `newsletter` (Ghost's fields) from the email it went out as.
pub async fn attach(state: &AppState, post: &mut Value) -> Result<(), HttpError> {
    let Some(id) = post.get("id").and_then(Value::as_str) else {
        return Ok(());
    };
    let Some(email) = state.app.email_for_post(id).await? else {
        return Ok(());
    };
    if let Some(o) = post.as_object_mut() {
        if o.contains_key("email") {
            o.insert("email".into(), email_json(&email));
        }
        if o.contains_key("newsletter") {
            let newsletter = email
                .newsletter
                .as_ref()
                .map_or(Value::Null, |n| newsletter_json(n, None));
            o.insert("newsletter".into(), newsletter);
        }
    }
    Ok(())
}
