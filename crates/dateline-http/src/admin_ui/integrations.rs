//! `/admin/integrations/`: integrations and their keys, for administrators and the owner (as
//! in Ghost: a key opens the site's content or its whole Admin API). Creating, rotating and
//! deleting go through `dateline_app::integration`; a rotated or deleted key is refused from
//! the next request on (see `App::rotate_integration_key`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_store::integrations::{IntegrationKeys, KeyKind};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::forbidden::PageError;
use super::guard::{AnyStaff, Posted};
use super::pages::{Confirm, confirm};
use super::stories::{local_time, site_timezone};
use super::{Staff, templates};
use crate::AppState;

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    created: String,
    content_api_key: String,
    admin_api_key: String,
}

fn row(i: &IntegrationKeys, tz: &jiff::tz::TimeZone) -> Row {
    Row {
        id: i.id.to_string(),
        name: i.name.clone(),
        created: local_time(i.created_at, tz),
        content_api_key: i.content_key.clone(),
        admin_api_key: format!("{}:{}", i.admin_key.0, i.admin_key.1),
    }
}

#[derive(Deserialize)]
pub struct NewForm {
    #[serde(default)]
    name: String,
}

/// `GET /admin/integrations/`, and the same page again when adding one failed.
pub async fn list(staff: Staff, State(state): State<AppState>) -> Result<Response, PageError> {
    list_page(&staff, &state, StatusCode::OK, "", None).await
}

async fn list_page(
    staff: &Staff,
    state: &AppState,
    status: StatusCode,
    name: &str,
    error: Option<String>,
) -> Result<Response, PageError> {
    let all = state.app.integrations(&staff.actor()).await?;
    let tz = site_timezone(state).await?;
    let rows: Vec<Row> = all.iter().map(|i| row(i, &tz)).collect();
    let html = templates::render(
        "integrations.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            rows => Value::from(Serde(rows)),
            name,
            error,
        },
    )?;
    Ok((status, html).into_response())
}

/// `POST /admin/integrations/`.
pub async fn create(
    State(state): State<AppState>,
    Posted { staff, form, .. }: Posted<AnyStaff, NewForm>,
) -> Result<Response, PageError> {
    match state.app.add_integration(&staff.actor(), &form.name).await {
        Ok(created) => {
            // Content keys are unique, so the new key finds the new integration.
            let page = state
                .app
                .integrations(&staff.actor())
                .await?
                .into_iter()
                .find(|i| i.content_key == created.content_api_key)
                .map_or_else(
                    || "/admin/integrations/".to_owned(),
                    |i| format!("/admin/integrations/{}/", i.id),
                );
            Ok(Redirect::to(&page).into_response())
        }
        Err(AppError::Invalid { .. }) => {
            let error = Some("Give the integration a name.".to_owned());
            list_page(
                &staff,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form.name,
                error,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

async fn find(staff: &Staff, state: &AppState, id: &str) -> Result<IntegrationKeys, PageError> {
    state
        .app
        .integrations(&staff.actor())
        .await?
        .into_iter()
        .find(|i| i.id.as_str() == id)
        .ok_or_else(|| {
            AppError::NotFound {
                noun: "integration",
            }
            .into()
        })
}

#[derive(Deserialize)]
pub struct Rotated {
    rotated: Option<String>,
}

/// `GET /admin/integrations/{id}/`: the keys and what to do with them.
pub async fn show(
    staff: Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(rotated): Query<Rotated>,
) -> Result<Response, PageError> {
    let integration = find(&staff, &state, &id).await?;
    let tz = site_timezone(&state).await?;
    let html = templates::render(
        "integrations_show.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            i => Value::from(Serde(row(&integration, &tz))),
            api_url => state.site_url.trim_end_matches('/'),
            rotated => rotated.rotated.as_deref().and_then(key_name),
        },
    )?;
    Ok(html.into_response())
}

/// The key a URL names, `content` or `admin`.
fn key_kind(name: &str) -> Result<KeyKind, PageError> {
    match name {
        "content" => Ok(KeyKind::Content),
        "admin" => Ok(KeyKind::Admin),
        _ => Err(AppError::NotFound { noun: "key" }.into()),
    }
}

fn key_name(name: &str) -> Option<&'static str> {
    match name {
        "content" => Some("Content API key"),
        "admin" => Some("Admin API key"),
        _ => None,
    }
}

/// `GET /admin/integrations/{id}/rotate/{kind}/`: asks first.
pub async fn confirm_rotate(
    staff: Staff,
    State(state): State<AppState>,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    key_kind(&kind)?;
    let integration = find(&staff, &state, &id).await?;
    let name = key_name(&kind).unwrap_or_default();
    confirm(
        &staff,
        Confirm {
            heading: format!("New {name} for “{}”?", integration.name),
            message: format!(
                "The current {name} stops working at once. Every tool that uses it needs the new one."
            ),
            action: format!("/admin/integrations/{id}/rotate/{kind}/"),
            button: format!("Make a new {name}"),
            back: format!("/admin/integrations/{id}/"),
            primary: false,
        },
    )
}

/// `POST /admin/integrations/{id}/rotate/{kind}/`.
pub async fn rotate(
    State(state): State<AppState>,
    Path((id, kind)): Path<(String, String)>,
    Posted { staff, .. }: Posted<AnyStaff>,
) -> Result<Response, PageError> {
    let key = key_kind(&kind)?;
    state
        .app
        .rotate_integration_key(&staff.actor(), &id, key)
        .await?;
    Ok(Redirect::to(&format!("/admin/integrations/{id}/?rotated={kind}")).into_response())
}

/// `GET /admin/integrations/{id}/delete/`: asks first.
pub async fn confirm_delete(
    staff: Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let integration = find(&staff, &state, &id).await?;
    confirm(
        &staff,
        Confirm {
            heading: format!("Delete “{}”?", integration.name),
            message:
                "Its Content and Admin API keys stop working at once, and its webhooks are removed."
                    .into(),
            action: format!("/admin/integrations/{id}/delete/"),
            button: "Delete integration".into(),
            back: format!("/admin/integrations/{id}/"),
            primary: false,
        },
    )
}

/// `POST /admin/integrations/{id}/delete/`.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, .. }: Posted<AnyStaff>,
) -> Result<Response, PageError> {
    state.app.delete_integration(&staff.actor(), &id).await?;
    Ok(Redirect::to("/admin/integrations/").into_response())
}
