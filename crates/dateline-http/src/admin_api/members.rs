//! `/members/`: browse (filter, search, order, page), read, add, edit and delete members, in
//! Ghost 5.130's member shape. Labels are sent as names or objects and created on the fly;
//! subscriptions are set with `newsletters: [{id}]`.

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use dateline_app::members::admin::{LabelRef, MemberDetail, MemberInput};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::Authenticated;
use super::input::{self, Action, Reader};
use super::json::time;
use super::labels::label_json;
use crate::content_api::json::pagination;
use crate::content_api::params::Params;
use crate::error::HttpError;
use crate::{AppState, member_newsletters};

/// Ghost's `search` (name or address) beside the usual listing parameters.
#[derive(Debug, Default, Deserialize)]
pub struct BrowseParams {
    search: Option<String>,
    #[serde(flatten)]
    params: Params,
}

pub async fn browse(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Query(query): Query<BrowseParams>,
) -> Result<Json<Value>, HttpError> {
    let list = query.params.list_query("members")?;
    let listing = state
        .app
        .browse_members(&actor, &list, query.search.as_deref())
        .await?;
    let answer = answering(&state).await?;
    let items: Vec<Value> = listing.items.iter().map(answer).collect();
    Ok(Json(
        json!({ "members": items, "meta": pagination(&listing) }),
    ))
}

pub async fn read(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    match state.app.read_member(&actor, &id).await? {
        Some(detail) => Ok(Json(
            json!({ "members": [answering(&state).await?(&detail)] }),
        )),
        None => Err(HttpError::not_found_resource("member", "Member")),
    }
}

pub async fn add(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let action = Action {
        verb: "add",
        noun: "member",
    };
    let input = member_input(input::single(&body, "members", action)?, action)?;
    let detail = state.app.create_member(&actor, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "members": [answering(&state).await?(&detail)] })),
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
        noun: "member",
    };
    let input = member_input(input::single(&body, "members", action)?, action)?;
    let detail = state.app.edit_member(&actor, &id, input).await?;
    Ok(Json(
        json!({ "members": [answering(&state).await?(&detail)] }),
    ))
}

pub async fn delete(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    state.app.delete_member(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /members/upload/`: Ghost's member CSV in the multipart field `membersfile`; each
/// `labels` field names a label every imported member also gets. The answer counts what was
/// imported and lists the rows skipped for their address; a malformed file is a 422 naming
/// its line, and nothing is imported.
pub async fn import(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let mut file: Option<Vec<u8>> = None;
    let mut labels: Vec<String> = Vec::new();
    while let Some(field) = multipart.next_field().await? {
        match field.name() {
            Some("membersfile") => file = Some(field.bytes().await?.to_vec()),
            Some("labels") => {
                let name = field.text().await?;
                if !name.trim().is_empty() {
                    labels.push(name.trim().to_owned());
                }
            }
            _ => {}
        }
    }
    let Some(bytes) = file else {
        return Err(HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "ValidationError",
            "Please select a members CSV file.",
        )
        .with_context("Send the CSV in a multipart field named `membersfile`."));
    };
    let report = state
        .app
        .import_members_csv_as(&actor, &bytes, &labels)
        .await?;
    let invalid: Vec<Value> = report
        .invalid
        .iter()
        .map(|(line, email, why)| json!({ "line": line, "email": email, "error": why }))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(json!({ "meta": { "stats": {
            "imported": report.imported,
            "existing": report.existing,
            "invalid": invalid,
        } } })),
    ))
}

/// `GET /members/upload/`: every member as Ghost's member CSV, as a download.
pub async fn export(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
) -> Result<impl IntoResponse, HttpError> {
    let mut out: Vec<u8> = Vec::new();
    state.app.export_members_csv_as(&actor, &mut out).await?;
    let day = dateline_core::time::now().strftime("%Y-%m-%d").to_string();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"members.{day}.csv\""),
            ),
        ],
        out,
    ))
}

/// Shapes members for staff: [`member_with_unsubscribe`] with the site's address and secret.
async fn answering(state: &AppState) -> Result<impl Fn(&MemberDetail) -> Value, HttpError> {
    let keys = state.app.unsubscribe_keys().await?;
    let site_url = state.site_url.clone();
    Ok(move |detail: &MemberDetail| {
        member_with_unsubscribe(detail, &site_url, &keys.key(&detail.member.uuid))
    })
}

/// [`member_json`] with the member's `unsubscribe_url`, a signed link to the page listing their
/// newsletters (Ghost's link when no newsletter is named); `key` is the member's unsubscribe
/// key. Webhook payloads pass Ghost's `__GHOST_URL__` as `site_url`.
pub fn member_with_unsubscribe(detail: &MemberDetail, site_url: &str, key: &str) -> Value {
    let mut answer = member_json(detail);
    answer["unsubscribe_url"] = json!(member_newsletters::url(site_url, &detail.member.uuid, key));
    answer
}

/// A member as Ghost 5.130's Admin API shows one. Dateline has no paid tiers, Stripe,
/// open tracking or comments, so those fields carry Ghost's values for a free member.
pub fn member_json(detail: &MemberDetail) -> Value {
    let m = &detail.member;
    let newsletters: Vec<Value> = detail
        .newsletters
        .iter()
        .map(|n| {
            json!({
                "id": n.id,
                "name": n.name,
                "description": n.description,
                "status": n.status,
            })
        })
        .collect();
    json!({
        "id": m.id,
        "uuid": m.uuid,
        "email": m.email,
        "name": m.name,
        "note": m.note,
        "geolocation": null,
        "subscribed": !newsletters.is_empty(),
        "created_at": time(m.created_at),
        "updated_at": time(m.updated_at),
        "labels": detail.labels.iter().map(label_json).collect::<Vec<_>>(),
        "subscriptions": [],
        "avatar_image": null,
        "comped": m.status == "comped",
        "email_count": 0,
        "email_opened_count": 0,
        "email_open_rate": null,
        "status": m.status,
        "last_seen_at": null,
        "attribution": null,
        "unsubscribe_url": null,
        "tiers": [],
        "email_suppression": { "suppressed": m.email_disabled, "info": null },
        "newsletters": newsletters,
    })
}

/// Reads a member object. Labels may be names (`"vip"`) or objects (`{"name": "vip"}`,
/// `{"id": …}`); newsletters are objects with an `id` (Ghost's clients send whole ones).
fn member_input(object: &Map<String, Value>, action: Action) -> Result<MemberInput, HttpError> {
    let read = Reader { object, action };
    let mut input = MemberInput {
        email: read.string("email")?,
        name: read.nullable_string("name")?,
        note: read.nullable_string("note")?,
        subscribed: read.bool("subscribed")?,
        ..MemberInput::default()
    };
    if let Some(items) = read.list("labels")? {
        let mut labels = Vec::with_capacity(items.len());
        for item in items {
            labels.push(match item {
                Value::String(name) => LabelRef {
                    name: Some(name.clone()),
                    ..LabelRef::default()
                },
                Value::Object(o) => {
                    let field = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
                    LabelRef {
                        id: field("id"),
                        name: field("name"),
                        slug: field("slug"),
                    }
                }
                _ => return Err(read.wrong("labels", "a list of names or label objects")),
            });
        }
        input.labels = Some(labels);
    }
    if let Some(items) = read.list("newsletters")? {
        let mut ids = Vec::with_capacity(items.len());
        for item in items {
            let key = match item {
                Value::String(id) => Some(id.clone()),
                Value::Object(o) => ["id", "slug"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_str).map(str::to_owned)),
                _ => None,
            };
            ids.push(key.ok_or_else(|| read.wrong("newsletters", "a list of {\"id\": …}"))?);
        }
        input.newsletters = Some(ids);
    }
    Ok(input)
}
