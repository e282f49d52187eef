//! `/admin/members/labels/`: the labels members carry, added, renamed and deleted in one place
//! (the member form only picks them or types new ones). Through `App::add_label`,
//! `edit_label` and `delete_label`, the Admin API's use cases, so names stay unique in any
//! case here too.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use dateline_app::AppError;
use dateline_app::labels::LabelInput;
use dateline_store::labels::Label;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::{Managers, all_labels};
use crate::AppState;
use crate::admin_ui::forbidden::PageError;
use crate::admin_ui::guard::{Allowed, Posted};
use crate::admin_ui::pages::{Confirm, Notice, confirm, form_status, plain, redirect_naming};
use crate::admin_ui::{Staff, templates};

#[derive(Deserialize)]
pub struct LabelForm {
    #[serde(default)]
    name: String,
}

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    slug: String,
}

/// A refused add or rename: the message, and what was typed (in the row it was typed in;
/// `id` none for the new label's field).
struct Refused {
    id: Option<String>,
    typed: String,
    message: String,
}

async fn page_with(
    state: &AppState,
    staff: &Staff,
    refused: Option<Refused>,
    notice: Notice,
) -> Result<Response, PageError> {
    let rows: Vec<Row> = all_labels(state, staff)
        .await?
        .into_iter()
        .map(|l| Row {
            id: l.id.to_string(),
            name: l.name,
            slug: l.slug,
        })
        .collect();
    let status = form_status(refused.is_some());
    let (error_id, typed, error) = match refused {
        Some(r) => (r.id, Some(r.typed), Some(r.message)),
        None => (None, None, None),
    };
    let html = templates::render(
        "members_labels.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            rows => Value::from(Serde(&rows)),
            error,
            error_id,
            typed,
            saved => notice.saved,
            deleted => notice.deleted,
        },
    )?;
    Ok((status, html).into_response())
}

/// A refusal in words the newsroom can act on; other failures are not theirs to fix.
fn refusal(err: AppError, typed: &str) -> Result<String, PageError> {
    match err {
        AppError::Conflict { .. } => Ok(format!(
            "There is already a label called “{}”.",
            typed.trim()
        )),
        AppError::Invalid { message, .. } => Ok(plain(&message)),
        other => Err(other.into()),
    }
}

/// `GET /admin/members/labels/`.
pub async fn page(
    Allowed { staff, .. }: Allowed<Managers>,
    State(state): State<AppState>,
    Query(notice): Query<Notice>,
) -> Result<Response, PageError> {
    page_with(&state, &staff, None, notice).await
}

impl LabelForm {
    /// Only the name: the slug, which filters and segments use, is made once and stays.
    fn input(&self) -> LabelInput {
        LabelInput {
            name: Some(self.name.clone()),
            slug: None,
        }
    }
}

/// After an add or a rename (`id`): back to the list naming the label, or the list again with
/// the refusal beside what was typed.
async fn answer(
    state: &AppState,
    staff: &Staff,
    form: LabelForm,
    id: Option<String>,
    outcome: Result<Label, AppError>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(label) => Ok(redirect_naming(
            "/admin/members/labels/",
            "saved",
            &label.name,
        )),
        Err(err) => {
            let refused = Refused {
                id,
                message: refusal(err, &form.name)?,
                typed: form.name,
            };
            page_with(state, staff, Some(refused), Notice::default()).await
        }
    }
}

/// `POST /admin/members/labels/`.
pub async fn create(
    State(state): State<AppState>,
    Posted { staff, form, .. }: Posted<Managers, LabelForm>,
) -> Result<Response, PageError> {
    let added = state.app.add_label(&staff.actor(), form.input()).await;
    answer(&state, &staff, form, None, added).await
}

/// `POST /admin/members/labels/{id}/`: a new name (the slug, which filters and segments
/// use, stays).
pub async fn rename(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form, .. }: Posted<Managers, LabelForm>,
) -> Result<Response, PageError> {
    let renamed = state
        .app
        .edit_label(&staff.actor(), &id, form.input())
        .await;
    answer(&state, &staff, form, Some(id), renamed).await
}

/// `GET /admin/members/labels/{id}/delete/`: asks first.
pub async fn confirm_delete(
    Allowed { staff, .. }: Allowed<Managers>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let label = state
        .app
        .label(&staff.actor(), dateline_store::labels::LabelKey::Id(&id))
        .await?;
    confirm(
        &staff,
        Confirm {
            heading: format!("Delete the label “{}”?", label.name),
            message: "Every member who has it loses it; the members stay. A newsletter \
                      already sent to this label is not affected."
                .into(),
            action: format!("/admin/members/labels/{id}/delete/"),
            button: "Delete label".into(),
            back: "/admin/members/labels/".into(),
            primary: false,
        },
    )
}

/// `POST /admin/members/labels/{id}/delete/`.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, .. }: Posted<Managers>,
) -> Result<Response, PageError> {
    let label = state
        .app
        .label(&staff.actor(), dateline_store::labels::LabelKey::Id(&id))
        .await?;
    state.app.delete_label(&staff.actor(), &id).await?;
    Ok(redirect_naming(
        "/admin/members/labels/",
        "deleted",
        &label.name,
    ))
}
