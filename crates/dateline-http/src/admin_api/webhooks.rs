//! `/webhooks/`: add, edit, delete, as Ghost has them, and Dateline's delivery log
//! (`/webhooks/{id}/deliveries/`). Also the shape of webhook payloads ([`Payloads`]): the
//! Admin API's JSON, which the app queues with every delivery.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use dateline_app::members::admin::MemberDetail;
use dateline_app::site::PostDetail;
use dateline_app::webhooks::{
    PayloadFormat, SITE_URL_PLACEHOLDER, WebhookInput, WebhookOptions, WebhookSetup,
};
use dateline_core::routes::SiteRoutes;
use dateline_core::tag::Tag;
use dateline_store::webhooks::{Delivery, Webhook};
use jiff::tz::TimeZone;
use serde_json::{Map, Value, json};

use super::Authenticated;
use super::input::{self, Action};
use super::json;
use crate::AppState;
use crate::content_api::json::{Site, pagination};
use crate::content_api::params::Params;
use crate::error::HttpError;

/// Webhook payloads in the Admin API's shapes, for [`dateline_app::App::with_webhooks`].
pub fn setup(delivery: WebhookOptions) -> WebhookSetup {
    WebhookSetup::new(Arc::new(Payloads), delivery)
}

/// Records as the Admin API shows them, with the site's address left as Ghost's placeholder
/// (the worker puts the real one in as it sends).
struct Payloads;

impl Payloads {
    /// Dates in UTC, as the Admin API writes them; URLs where the site's `routes` put records.
    fn site(routes: &Arc<SiteRoutes>) -> Site {
        Site {
            url: SITE_URL_PLACEHOLDER.to_owned(),
            tz: TimeZone::UTC,
            tag_outbound_links: false,
            routes: Arc::clone(routes),
        }
    }
}

impl PayloadFormat for Payloads {
    fn post(&self, detail: &PostDetail, routes: &Arc<SiteRoutes>) -> Value {
        // Ghost's webhook serialiser asks for these formats and relations.
        let params = Params {
            formats: Some("html,plaintext".to_owned()),
            ..Params::default()
        };
        json::post(&Self::site(routes), detail, &json::Shape::new(&params))
    }

    fn tag(&self, tag: &Tag, routes: &Arc<SiteRoutes>) -> Value {
        json::tag(&Self::site(routes), tag, None)
    }

    fn member(&self, detail: &MemberDetail, unsubscribe_key: &str) -> Value {
        super::members::member_with_unsubscribe(detail, SITE_URL_PLACEHOLDER, unsubscribe_key)
    }
}

pub async fn add(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let action = Action {
        verb: "add",
        noun: "webhook",
    };
    let object = input::single(&body, "webhooks", action)?;
    let mut input = webhook_input(object)?;
    // Ghost's schema: both are required to add.
    for (field, value) in [("event", &input.event), ("target_url", &input.target_url)] {
        if value.is_none() {
            return Err(missing(field));
        }
    }
    input.integration_id = string(object, "integration_id")?;
    let webhook = state.app.add_webhook(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(answer(&webhook))))
}

pub async fn edit(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, HttpError> {
    let action = Action {
        verb: "edit",
        noun: "webhook",
    };
    let input = webhook_input(input::single(&body, "webhooks", action)?)?;
    let webhook = state.app.edit_webhook(&actor, &id, input).await?;
    Ok(Json(answer(&webhook)))
}

pub async fn delete(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    state.app.delete_webhook(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Dateline's extension: the delivery log, newest first, with each attempt.
pub async fn deliveries(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Result<Json<Value>, HttpError> {
    let query = params.list_query("deliveries")?;
    let listing = state
        .app
        .webhook_deliveries(&actor, &id, query.page, query.limit)
        .await?;
    let items: Vec<Value> = listing
        .items
        .iter()
        .map(|d| delivery(d, &state.site_url))
        .collect();
    Ok(Json(
        json!({ "deliveries": items, "meta": pagination(&listing) }),
    ))
}

fn answer(w: &Webhook) -> Value {
    json!({ "webhooks": [webhook(w)] })
}

fn webhook(w: &Webhook) -> Value {
    let time = |t: Option<jiff::Timestamp>| t.map_or(Value::Null, json::time);
    json!({
        "id": w.id,
        "event": w.event,
        "target_url": w.target_url,
        "name": w.name,
        "secret": w.secret,
        "api_version": w.api_version,
        "integration_id": w.integration_id,
        "last_triggered_at": time(w.last_triggered_at),
        "last_triggered_status": w.last_triggered_status,
        "last_triggered_error": w.last_triggered_error,
        "created_at": json::time(w.created_at),
        "updated_at": json::time(w.updated_at),
    })
}

fn delivery(d: &Delivery, site_url: &str) -> Value {
    let time = |t: Option<jiff::Timestamp>| t.map_or(Value::Null, json::time);
    let payload = serde_json::from_str::<Value>(&d.payload.replace(SITE_URL_PLACEHOLDER, site_url))
        .unwrap_or(Value::Null);
    let attempts: Vec<Value> = d
        .attempts
        .iter()
        .map(|a| {
            json!({
                "started_at": json::time(a.started_at),
                "duration_ms": a.duration_ms,
                "response_status": a.response_status,
                "error": a.error,
            })
        })
        .collect();
    json!({
        "id": d.id,
        "event": d.event,
        "status": d.status,
        "attempts": attempts,
        "next_attempt_at": time(d.next_attempt_at),
        "response_status": d.response_status,
        "error": d.error,
        "created_at": json::time(d.created_at),
        "finished_at": time(d.finished_at),
        "payload": payload,
    })
}

/// The editable fields (Ghost's `name, event, target_url, secret, api_version`).
fn webhook_input(object: &Map<String, Value>) -> Result<WebhookInput, HttpError> {
    Ok(WebhookInput {
        event: string(object, "event")?,
        target_url: string(object, "target_url")?,
        name: nullable(object, "name")?,
        secret: nullable(object, "secret")?,
        api_version: string(object, "api_version")?,
        integration_id: None,
    })
}

fn nullable(object: &Map<String, Value>, key: &str) -> Result<Option<Option<String>>, HttpError> {
    match object.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
        Some(_) => Err(invalid(key)),
    }
}

fn string(object: &Map<String, Value>, key: &str) -> Result<Option<String>, HttpError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(key)),
    }
}

/// Ghost's schema error for a field of the wrong type.
fn invalid(key: &str) -> HttpError {
    HttpError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "ValidationError",
        format!("Validation failed for '{key}'."),
    )
    .with_context(format!("`{key}` must be a string."))
}

fn missing(key: &str) -> HttpError {
    HttpError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "ValidationError",
        format!("Validation failed for '{key}'."),
    )
    .with_context(format!(
        "data.webhooks[0] should have required property '{key}'"
    ))
}
