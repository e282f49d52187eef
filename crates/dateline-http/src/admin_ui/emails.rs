//! `/admin/emails/`: the recent sends of posts as newsletters, and `/admin/emails/{id}/`, one
//! send's progress (queued, sent, failed, bounced), the failures with the server's reply and a
//! Cancel button while it is sending. The page refreshes itself through
//! `/admin/api/emails/{id}/` (a small script, `sending.js`, which the editor uses too) and
//! works without a script as a plain page with a refresh link. For editors and above, who may
//! send.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::mailing::SentEmail;
use dateline_app::newsletter_sends::SENDER_ROLE;
use dateline_core::role::Role;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;

use super::forbidden::PageError;
use super::guard::{Allowed, AnyStaff, LeastRole, Posted};
use super::stories::{local_time, site_timezone};
use super::{Staff, templates};
use crate::AppState;
use crate::error::HttpError;

/// Who may follow sends: those who may send them.
pub struct Senders;

impl LeastRole for Senders {
    const ROLE: Role = SENDER_ROLE;
}

/// Recent sends shown on the list.
const RECENT: u32 = 50;
/// Failures listed on a send's page.
const FAILURES: u32 = 100;

/// A send's progress as the page and its script show it.
#[derive(Serialize)]
pub struct Progress {
    id: String,
    post_id: String,
    subject: String,
    newsletter: String,
    segment: String,
    /// `sending`, `sent` or `cancelled`.
    status: String,
    total: u64,
    queued: u64,
    sent: u64,
    /// Refused for good (5xx) or given up on, or interrupted by a crash.
    failed: u64,
    /// Of the failed, addresses the server refused as unknown (their members stop getting
    /// newsletters).
    bounced: u64,
    cancelled: u64,
    /// Settled recipients out of all, 0–100.
    percent: u64,
    sending: bool,
}

impl Progress {
    fn of(email: &SentEmail, bounced: u64) -> Progress {
        let p = &email.progress;
        let total = p.total();
        let settled = p.sent + p.failed + p.unknown + p.cancelled;
        Progress {
            id: email.send.id.to_string(),
            post_id: email.send.post_id.to_string(),
            subject: email.send.subject.clone(),
            newsletter: email
                .newsletter
                .as_ref()
                .map(|n| n.name.clone())
                .unwrap_or_default(),
            segment: segment_label(&email.send.recipient_filter),
            status: p.status.clone(),
            total,
            queued: p.queued + p.sending,
            sent: p.sent,
            failed: p.failed + p.unknown,
            bounced,
            cancelled: p.cancelled,
            percent: (settled * 100).checked_div(total).unwrap_or(100),
            sending: p.status == "sending",
        }
    }
}

/// A stored segment in words.
pub fn segment_label(segment: &str) -> String {
    match segment {
        "all" | "" => "all subscribers".to_owned(),
        "status:free" => "free members".to_owned(),
        "status:-free" | "status:paid" => "paying members".to_owned(),
        other => match other.strip_prefix("label:") {
            Some(label) => format!("members labelled {label}"),
            None => format!("members matching {other}"),
        },
    }
}

/// A failed recipient and what the server said.
#[derive(Serialize)]
struct Failure {
    email: String,
    reply: String,
    bounced: bool,
}

/// The server's replies that mark an address as unknown (a bounce), as the queue does.
fn is_bounce(reply: &str) -> bool {
    reply.starts_with("permanent")
}

async fn failures(state: &AppState, id: &str) -> Result<Vec<Failure>, HttpError> {
    Ok(state
        .app
        .email_failures(id, FAILURES)
        .await?
        .into_iter()
        .map(|(email, reply)| {
            let reply = reply.unwrap_or_default();
            Failure {
                bounced: is_bounce(&reply),
                email,
                reply,
            }
        })
        .collect())
}

/// A send and its failures, or not found.
async fn send(state: &AppState, id: &str) -> Result<(Progress, Vec<Failure>), HttpError> {
    let email = state
        .app
        .email(id)
        .await?
        .ok_or_else(|| HttpError::not_found_resource("email", "Email"))?;
    let failures = failures(state, id).await?;
    let bounced = failures.iter().filter(|f| f.bounced).count() as u64;
    Ok((Progress::of(&email, bounced), failures))
}

/// The progress of the send of post `post_id`, for the editor, if it was sent.
pub async fn for_post(state: &AppState, post_id: &str) -> Result<Option<Value>, HttpError> {
    let Some(email) = state.app.email_for_post(post_id).await? else {
        return Ok(None);
    };
    let (progress, _) = send(state, email.send.id.as_str()).await?;
    Ok(Some(Value::from(Serde(progress))))
}

/// `GET /admin/emails/`.
pub async fn list(
    Allowed { staff, .. }: Allowed<Senders>,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let tz = site_timezone(&state).await?;
    let rows: Vec<Value> = state
        .app
        .recent_emails(&staff.actor(), RECENT)
        .await?
        .iter()
        .map(|e| {
            context! {
                progress => Value::from(Serde(Progress::of(e, 0))),
                at => local_time(e.send.created_at, &tz),
            }
        })
        .collect();
    let page = templates::render(
        "emails.html",
        context! { user => staff.view(), csrf => &staff.csrf, rows },
    )?;
    Ok(page.into_response())
}

/// `GET /admin/emails/{id}/`.
pub async fn show(
    Allowed { staff, .. }: Allowed<Senders>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (progress, failures) = send(&state, &id).await?;
    let page = templates::render(
        "email.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            email => Value::from(Serde(progress)),
            failures => Value::from(Serde(failures)),
        },
    )?;
    Ok(page.into_response())
}

/// `GET /admin/api/emails/{id}/`: the progress, for the page's and the editor's script.
pub async fn progress(
    staff: Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, HttpError> {
    if staff.user.role < SENDER_ROLE {
        return Err(dateline_app::AppError::no_permission("Only editors can follow sends.").into());
    }
    let (progress, failures) = send(&state, &id).await?;
    Ok(Json(serde_json::json!({
        "email": progress,
        "failures": failures,
    })))
}

/// `POST /admin/emails/{id}/cancel/`: nobody still queued gets it. The script posts the same
/// form and follows the answer.
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, .. }: Posted<AnyStaff>,
) -> Result<Response, PageError> {
    state.app.cancel_email(&staff.actor(), &id).await?;
    Ok(Redirect::to(&format!("/admin/emails/{id}/")).into_response())
}
