//! The staff page (`/admin/staff/`: the team and the invitations waiting) and the invitation's
//! own page (`/admin/invitation/{token}/`), where the invitee chooses a name and password.
//! Who may invite or revoke whom is `dateline_app::invitations::may_invite`; the page offers
//! only the roles the viewer may invite, and the use case checks again.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_app::content::ListQuery;
use dateline_app::invitations::may_invite;
use dateline_core::role::Role;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::access::{PreSession, field_label, signed_in};
use super::guard::{AnyStaff, Posted};
use super::password_reset::link_gone;
use super::stories::{local_time, site_timezone};
use super::{Staff, templates};
use crate::AppState;
use crate::error::HttpError;

/// Roles offered in the invitation form, highest first.
const INVITABLE: [Role; 4] = [
    Role::Administrator,
    Role::Editor,
    Role::Author,
    Role::Contributor,
];

#[derive(Deserialize)]
pub struct StaffParams {
    invited: Option<String>,
    revoked: Option<String>,
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

#[derive(Serialize)]
struct UserRow {
    name: String,
    email: String,
    role: String,
    status: String,
}

#[derive(Serialize)]
struct InvitationRow {
    id: String,
    email: String,
    role: String,
    expired: bool,
    expires_at: String,
    revocable: bool,
}

/// `GET /admin/staff/`.
pub async fn page(
    staff: Staff,
    State(state): State<AppState>,
    Query(params): Query<StaffParams>,
) -> Result<Response, HttpError> {
    let notice = match (params.invited, params.revoked) {
        (Some(email), _) => Some(format!("Invitation sent to {email}.")),
        (None, Some(_)) => Some("The invitation was revoked; its link no longer works.".into()),
        (None, None) => None,
    };
    let page = render(&staff, &state, context! { notice }).await?;
    Ok(page.into_response())
}

/// `POST /admin/staff/invitations/`.
pub async fn invite(
    State(state): State<AppState>,
    Posted { staff, form, .. }: Posted<AnyStaff, InviteForm>,
) -> Result<Response, HttpError> {
    let refused = async |status: StatusCode, error: String| -> Result<Response, HttpError> {
        let extra = context! { error, email => &form.email, role => &form.role };
        Ok((status, render(&staff, &state, extra).await?).into_response())
    };
    let Ok(role) = form.role.parse::<Role>() else {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose a role for the invitation.".to_owned(),
        )
        .await;
    };
    match state
        .app
        .invite_staff(&state.site_url, &staff.user, &form.email, role)
        .await
    {
        Ok(invitation) => {
            let to = format!(
                "/admin/staff/?invited={}",
                super::query_escape(&invitation.email)
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Invalid { field, message }) => {
            let error = format!("{}: {message}", field_label(field));
            refused(StatusCode::UNPROCESSABLE_ENTITY, error).await
        }
        Err(AppError::NoPermission { reason }) => refused(StatusCode::FORBIDDEN, reason).await,
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/staff/invitations/{id}/revoke/`.
pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, .. }: Posted<AnyStaff>,
) -> Result<Response, HttpError> {
    state.app.revoke_invitation(&staff.user, &id).await?;
    Ok(Redirect::to("/admin/staff/?revoked=1").into_response())
}

/// The staff page with `extra` (a notice, or an error and what was typed) in its context.
async fn render(
    staff: &Staff,
    state: &AppState,
    extra: Value,
) -> Result<axum::response::Html<String>, HttpError> {
    let query = ListQuery {
        page: 1,
        ..ListQuery::default()
    };
    let users: Vec<UserRow> = state
        .app
        .staff_users(&query)
        .await?
        .items
        .into_iter()
        .map(|(u, _)| UserRow {
            name: u.name,
            email: u.email,
            role: u.role.to_string(),
            status: u.status,
        })
        .collect();
    let me = staff.user.role;
    let roles: Vec<&str> = INVITABLE
        .into_iter()
        .filter(|r| may_invite(me, *r))
        .map(Role::as_str)
        .collect();
    let tz = site_timezone(state).await?;
    let now = dateline_core::time::now();
    let invitations: Vec<InvitationRow> = if roles.is_empty() {
        Vec::new()
    } else {
        state
            .app
            .invitations()
            .await?
            .into_iter()
            .map(|i| InvitationRow {
                revocable: may_invite(me, i.role),
                id: i.id,
                email: i.email,
                role: i.role.to_string(),
                expired: i.expires_at <= now,
                expires_at: local_time(i.expires_at, &tz),
            })
            .collect()
    };
    templates::render(
        "staff.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            users => Value::from(Serde(&users)),
            invitations => Value::from(Serde(&invitations)),
            roles,
            ..extra
        },
    )
}

/// `GET /admin/invitation/{token}/`: the form to join, or why the link no longer works.
pub async fn accept_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    let now = dateline_core::time::now();
    let Some(invitation) = state.app.invitation(&token, now).await? else {
        return link_gone();
    };
    let pre = PreSession::from_headers(&headers);
    let page = accept_form(&state, &pre, &token, &invitation, context! {}).await?;
    Ok((pre.set_cookie(&state), page).into_response())
}

/// `POST /admin/invitation/{token}/`: creates the account and signs it in.
pub async fn accept(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, HttpError> {
    let pre = PreSession::from_headers(&headers);
    pre.check(&state, &headers, &form.csrf)?;
    let now = dateline_core::time::now();
    // Checked first, so a used link says so even when the form is also incomplete.
    let Some(invitation) = state.app.invitation(&token, now).await? else {
        return link_gone();
    };
    match state
        .app
        .accept_invitation(&token, &form.name, &form.password, now)
        .await
    {
        Ok(Some(user)) => signed_in(&state, &headers, &user, "/admin/posts/").await,
        Ok(None) => link_gone(),
        Err(AppError::Invalid { field, message }) => {
            let extra = context! {
                error => format!("{}: {message}", field_label(field)),
                name => &form.name,
            };
            let page = accept_form(&state, &pre, &token, &invitation, extra).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

async fn accept_form(
    state: &AppState,
    pre: &PreSession,
    token: &str,
    invitation: &dateline_app::invitations::Invitation,
    extra: Value,
) -> Result<axum::response::Html<String>, HttpError> {
    let site = state.app.settings().await?;
    templates::render(
        "invitation.html",
        context! {
            csrf => pre.token(),
            token,
            site_title => site.title(),
            email => &invitation.email,
            role => invitation.role.as_str().to_lowercase(),
            ..extra
        },
    )
}
