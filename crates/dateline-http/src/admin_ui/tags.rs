//! `/admin/tags/`: sections and tags, for editors and above (Ghost lets authors add tags from
//! a story, but renaming and deleting one changes everyone's stories). Saves go through
//! `App::add_tag`/`edit_tag`/`delete_tag`, the Admin API's use cases.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_app::admin::tags::{TagField, TagInput};
use dateline_app::content::ListQuery;
use dateline_core::tag::{Tag, TagVisibility};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::forbidden::PageError;
use super::guard::{Allowed, Editors, Posted};
use super::pages::{Confirm, Notice, confirm, form_status, plain, redirect_naming};
use super::settings::hex_colour;
use super::{Staff, templates};
use crate::AppState;

/// The tag form's fields, as typed; kept and shown again when a save fails.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct TagForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    accent_color: String,
    #[serde(default)]
    feature_image: String,
    #[serde(default)]
    meta_title: String,
    #[serde(default)]
    meta_description: String,
}

impl TagForm {
    fn from_tag(tag: &Tag) -> TagForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        TagForm {
            name: tag.name.clone(),
            slug: tag.slug.clone(),
            description: text(&tag.description),
            accent_color: text(&tag.accent_color),
            feature_image: text(&tag.feature_image),
            meta_title: text(&tag.meta_title),
            meta_description: text(&tag.meta_description),
        }
    }

    /// The use case's input; an empty field clears what the tag had.
    fn input(&self) -> Result<TagInput, String> {
        let colour = hex_colour(&self.accent_color)?;
        let text = |v: &str| Some(v.trim().to_owned());
        Ok(TagInput {
            name: Some(self.name.clone()),
            slug: Some(self.slug.clone()),
            visibility: None,
            text: vec![
                (TagField::Description, text(&self.description)),
                (TagField::AccentColor, colour),
                (TagField::FeatureImage, text(&self.feature_image)),
                (TagField::MetaTitle, text(&self.meta_title)),
                (TagField::MetaDescription, text(&self.meta_description)),
            ],
        })
    }
}

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    slug: String,
    accent_color: Option<String>,
    posts: u64,
}

/// Every tag with its number of published stories, by name.
async fn all_tags(state: &AppState) -> Result<Vec<(Tag, u64)>, PageError> {
    let everything = ListQuery {
        order: Some("name asc".to_owned()),
        page: 1,
        ..ListQuery::default()
    };
    Ok(state.app.list_tags(&everything).await?.items)
}

async fn tag_by_id(state: &AppState, id: &str) -> Result<Tag, PageError> {
    all_tags(state)
        .await?
        .into_iter()
        .map(|(t, _)| t)
        .find(|t| t.id.as_str() == id)
        .ok_or_else(|| AppError::NotFound { noun: "tag" }.into())
}

/// `GET /admin/tags/`: public tags (sections) and internal `#` tags.
pub async fn list(
    Allowed { staff, .. }: Allowed<Editors>,
    State(state): State<AppState>,
    Query(notice): Query<Notice>,
) -> Result<Response, PageError> {
    let (public, internal): (Vec<_>, Vec<_>) = all_tags(&state)
        .await?
        .into_iter()
        .partition(|(t, _)| t.visibility == TagVisibility::Public);
    let rows = |tags: Vec<(Tag, u64)>| -> Vec<Row> {
        tags.into_iter()
            .map(|(t, posts)| Row {
                id: t.id.to_string(),
                name: t.name,
                slug: t.slug,
                accent_color: t.accent_color,
                posts,
            })
            .collect()
    };
    let page = templates::render(
        "tags.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            public => Value::from(Serde(rows(public))),
            internal => Value::from(Serde(rows(internal))),
            saved => notice.saved,
            deleted => notice.deleted,
        },
    )?;
    Ok(page.into_response())
}

/// The add or edit form; `id` is the tag's when editing.
fn form_page(
    staff: &Staff,
    id: Option<&str>,
    form: &TagForm,
    error: Option<String>,
    saved: bool,
) -> Result<Response, PageError> {
    let status = form_status(error.is_some());
    let page = templates::render(
        "tags_edit.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            id,
            tag => Value::from(Serde(form)),
            error,
            saved,
        },
    )?;
    Ok((status, page).into_response())
}

/// `GET /admin/tags/new/`.
pub async fn new(Allowed { staff, .. }: Allowed<Editors>) -> Result<Response, PageError> {
    form_page(&staff, None, &TagForm::default(), None, false)
}

/// `POST /admin/tags/`.
pub async fn create(
    State(state): State<AppState>,
    Posted { staff, form, .. }: Posted<Editors, TagForm>,
) -> Result<Response, PageError> {
    let input = match form.input() {
        Ok(input) => input,
        Err(error) => return form_page(&staff, None, &form, Some(error), false),
    };
    match state.app.add_tag(&staff.actor(), input).await {
        Ok(tag) => Ok(redirect_naming("/admin/tags/", "saved", &tag.name)),
        Err(AppError::Invalid { message, .. }) => {
            form_page(&staff, None, &form, Some(plain(&message)), false)
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /admin/tags/{id}/`.
pub async fn edit(
    Allowed { staff, .. }: Allowed<Editors>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(saved): Query<Notice>,
) -> Result<Response, PageError> {
    let tag = tag_by_id(&state, &id).await?;
    form_page(
        &staff,
        Some(&id),
        &TagForm::from_tag(&tag),
        None,
        saved.saved.is_some(),
    )
}

/// `POST /admin/tags/{id}/`.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form, .. }: Posted<Editors, TagForm>,
) -> Result<Response, PageError> {
    let input = match form.input() {
        Ok(input) => input,
        Err(error) => return form_page(&staff, Some(&id), &form, Some(error), false),
    };
    match state.app.edit_tag(&staff.actor(), &id, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/tags/{id}/?saved=1")).into_response()),
        Err(AppError::Invalid { message, .. }) => {
            form_page(&staff, Some(&id), &form, Some(plain(&message)), false)
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /admin/tags/{id}/delete/`: asks first.
pub async fn confirm_delete(
    Allowed { staff, .. }: Allowed<Editors>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let tag = tag_by_id(&state, &id).await?;
    confirm(
        &staff,
        Confirm {
            heading: format!("Delete “{}”?", tag.name),
            message: "The tag is removed from every story that has it. The stories stay.".into(),
            action: format!("/admin/tags/{id}/delete/"),
            button: "Delete tag".into(),
            back: format!("/admin/tags/{id}/"),
            primary: false,
        },
    )
}

/// `POST /admin/tags/{id}/delete/`.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, .. }: Posted<Editors>,
) -> Result<Response, PageError> {
    let tag = tag_by_id(&state, &id).await?;
    state.app.delete_tag(&staff.actor(), &id).await?;
    Ok(redirect_naming("/admin/tags/", "deleted", &tag.name))
}
