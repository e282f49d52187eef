//! The editor's calls for sending a story as a newsletter: how many subscribers a newsletter
//! and segment reach (shown before anyone confirms), the email as readers will get it, and a
//! test copy to one address. The send itself is the editor's save with `?newsletter=` (see
//! `editor::save`), the Admin API's code path, with its checks: editors and above, one send
//! per post.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use dateline_app::newsletter_sends::SENDER_ROLE;
use dateline_theme::thousands;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Staff;
use super::emails::segment_label;
use crate::AppState;
use crate::error::HttpError;

/// A newsletter and the segment of its subscribers, as the publish dialog sends them.
#[derive(Debug, Deserialize)]
pub struct Target {
    #[serde(default)]
    newsletter: String,
    #[serde(default)]
    segment: Option<String>,
}

/// What the publish dialog offers: the active newsletters and the member labels.
#[derive(Serialize)]
pub struct SendChoices {
    newsletters: Vec<(String, String)>,
    labels: Vec<(String, String)>,
    /// Where a test copy goes unless changed: the signed-in person.
    test_to: String,
}

/// The editor's choices for `staff`, or `None` for those who may not send.
pub async fn choices(state: &AppState, staff: &Staff) -> Result<Option<SendChoices>, HttpError> {
    if staff.user.role < SENDER_ROLE {
        return Ok(None);
    }
    let newsletters = state
        .app
        .newsletters()
        .await?
        .into_iter()
        .map(|n| (n.slug, n.name))
        .collect();
    let labels = state.app.send_labels(&staff.actor()).await?;
    Ok(Some(SendChoices {
        newsletters,
        labels,
        test_to: staff.user.email.clone(),
    }))
}

/// `GET /admin/api/recipients/?newsletter=&segment=`: how many subscribers a send would reach,
/// with the sentence the dialog shows.
pub async fn recipients(
    staff: Staff,
    State(state): State<AppState>,
    Query(target): Query<Target>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let segment = target.segment.as_deref().unwrap_or("all");
    let (newsletter, count) = state
        .app
        .count_send_recipients(&staff.actor(), &target.newsletter, segment)
        .await?;
    let who = match segment.trim() {
        "" | "all" if count == 1 => "subscriber".to_owned(),
        "" | "all" => "subscribers".to_owned(),
        other => segment_label(other),
    };
    Ok(Json(json!({
        "count": count,
        "newsletter": newsletter.name,
        "text": format!("Send to {} {who} of {}", thousands(count), newsletter.name),
    })))
}

/// `GET /admin/posts/{id}/email/?newsletter=`: the story as `newsletter`'s email, rendered
/// through the mail template. Shown in a sandbox: it is the story's own HTML.
pub async fn preview(
    _: Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(target): Query<Target>,
) -> Result<Response, HttpError> {
    let email = state
        .app
        .email_preview(&state.site_url, &id, &target.newsletter)
        .await?;
    let mut page = Html(email.html).into_response();
    page.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("sandbox"),
    );
    Ok(page)
}

#[derive(Deserialize)]
pub struct TestSend {
    #[serde(default)]
    newsletter: String,
    #[serde(default)]
    to: String,
}

/// `POST /admin/api/posts/{id}/test-email/`: one copy of the story's email to `to`, now. The
/// answer says what the mail server replied, or why it failed, in words.
pub async fn test_send(
    staff: Staff,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(test): Json<TestSend>,
) -> Result<Response, HttpError> {
    staff.check_header(&headers)?;
    let sent = state
        .app
        .send_test_post(
            &staff.actor(),
            &state.site_url,
            &id,
            &test.newsletter,
            &test.to,
        )
        .await?;
    Ok(match sent {
        Ok(reply) => Json(json!({
            "sent": true,
            "message": format!("Test email sent to {}. The mail server answered: {reply}", test.to.trim()),
        }))
        .into_response(),
        Err(why) => (
            StatusCode::BAD_GATEWAY,
            Json(json!({ "sent": false, "message": why })),
        )
            .into_response(),
    })
}
