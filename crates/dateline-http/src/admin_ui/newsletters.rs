//! `/admin/newsletters/`: the site's newsletters with their subscriber counts, a form for each
//! (name, description, sender, reply-to, header image, feature image, footer, whether new
//! members get it), archiving and reactivating, and their order on the sign-up form. For
//! administrators and the owner, as in Ghost; saves go through the Admin API's use cases
//! (`App::add_newsletter`, `App::edit_newsletter`). Plain forms, no script needed.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_app::content::ListQuery;
use dateline_app::newsletters::{NewsletterEdit, NewsletterInput};
use dateline_store::newsletters::Newsletter;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::forbidden::PageError;
use super::guard::{Administrators, Allowed, Posted};
use super::pages::{Notice, form_status, redirect_naming, refusal};
use super::{Staff, templates};
use crate::AppState;

/// The form's fields as typed; shown again when a save fails.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct NewsletterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sender_name: String,
    #[serde(default)]
    sender_email: String,
    #[serde(default)]
    sender_reply_to: String,
    #[serde(default)]
    header_image: String,
    #[serde(default)]
    footer_content: String,
    /// Checkboxes: present when ticked.
    #[serde(default)]
    show_feature_image: Option<String>,
    #[serde(default)]
    subscribe_on_signup: Option<String>,
}

impl NewsletterForm {
    fn from_newsletter(n: &Newsletter) -> NewsletterForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let tick = |on: bool| on.then(|| "on".to_owned());
        NewsletterForm {
            name: n.name.clone(),
            slug: n.slug.clone(),
            description: text(&n.description),
            sender_name: text(&n.sender_name),
            sender_email: text(&n.sender_email),
            sender_reply_to: text(&n.sender_reply_to),
            header_image: text(&n.header_image),
            footer_content: text(&n.footer_content),
            show_feature_image: tick(n.show_feature_image),
            subscribe_on_signup: tick(n.subscribe_on_signup),
        }
    }

    /// A new newsletter starts as Ghost's do: feature images shown, new members subscribed.
    fn blank() -> NewsletterForm {
        NewsletterForm {
            show_feature_image: Some("on".to_owned()),
            subscribe_on_signup: Some("on".to_owned()),
            ..NewsletterForm::default()
        }
    }

    fn optional(value: &str) -> Option<String> {
        Some(value.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn input(&self) -> NewsletterInput {
        NewsletterInput {
            name: self.name.clone(),
            slug: NewsletterForm::optional(&self.slug),
            description: NewsletterForm::optional(&self.description),
            sender_name: NewsletterForm::optional(&self.sender_name),
            sender_email: NewsletterForm::optional(&self.sender_email),
            sender_reply_to: NewsletterForm::optional(&self.sender_reply_to),
            footer_content: NewsletterForm::optional(&self.footer_content),
            subscribe_on_signup: self.subscribe_on_signup.is_some(),
            header_image: NewsletterForm::optional(&self.header_image),
            show_feature_image: Some(self.show_feature_image.is_some()),
        }
    }

    /// Every field of the form, so an emptied one is cleared.
    fn edit(&self) -> NewsletterEdit {
        NewsletterEdit {
            name: Some(self.name.clone()),
            slug: Some(self.slug.clone()),
            description: Some(NewsletterForm::optional(&self.description)),
            sender_name: Some(NewsletterForm::optional(&self.sender_name)),
            sender_email: Some(NewsletterForm::optional(&self.sender_email)),
            sender_reply_to: Some(NewsletterForm::optional(&self.sender_reply_to)),
            footer_content: Some(NewsletterForm::optional(&self.footer_content)),
            header_image: Some(NewsletterForm::optional(&self.header_image)),
            subscribe_on_signup: Some(self.subscribe_on_signup.is_some()),
            show_feature_image: Some(self.show_feature_image.is_some()),
            status: None,
            sort_order: None,
        }
    }
}

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    description: Option<String>,
    active: bool,
    subscribers: u64,
    sender: String,
}

/// Every newsletter, archived too, in their order, with subscriber counts.
async fn all(state: &AppState, staff: &Staff) -> Result<Vec<(Newsletter, u64)>, PageError> {
    let everything = ListQuery {
        page: 1,
        limit: None,
        ..ListQuery::default()
    };
    let mut list = state
        .app
        .all_newsletters(&staff.actor(), &everything)
        .await?
        .items;
    list.sort_by_key(|(n, _)| (n.status != "active", n.sort_order));
    Ok(list)
}

async fn by_id(state: &AppState, staff: &Staff, id: &str) -> Result<Newsletter, PageError> {
    all(state, staff)
        .await?
        .into_iter()
        .map(|(n, _)| n)
        .find(|n| n.id.as_str() == id)
        .ok_or_else(|| AppError::NotFound { noun: "newsletter" }.into())
}

/// `GET /admin/newsletters/`.
pub async fn list(
    Allowed { staff, .. }: Allowed<Administrators>,
    State(state): State<AppState>,
    Query(notice): Query<Notice>,
) -> Result<Response, PageError> {
    let rows: Vec<Row> = all(&state, &staff)
        .await?
        .into_iter()
        .map(|(n, subscribers)| Row {
            id: n.id.to_string(),
            sender: match (&n.sender_name, &n.sender_email) {
                (Some(name), Some(email)) => format!("{name} <{email}>"),
                (Some(name), None) => name.clone(),
                (None, Some(email)) => email.clone(),
                (None, None) => "the site's name and default address".to_owned(),
            },
            name: n.name,
            description: n.description,
            active: n.status == "active",
            subscribers,
        })
        .collect();
    let page = templates::render(
        "newsletters.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            rows => Value::from(Serde(rows)),
            saved => notice.saved,
        },
    )?;
    Ok(page.into_response())
}

fn form_page(
    staff: &Staff,
    existing: Option<&Newsletter>,
    form: &NewsletterForm,
    error: Option<String>,
    saved: bool,
) -> Result<Response, PageError> {
    let status = form_status(error.is_some());
    let page = templates::render(
        "newsletters_edit.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            id => existing.map(|n| n.id.to_string()),
            active => existing.is_none_or(|n| n.status == "active"),
            newsletter => Value::from(Serde(form)),
            error,
            saved,
        },
    )?;
    Ok((status, page).into_response())
}

/// `GET /admin/newsletters/new/`.
pub async fn new(Allowed { staff, .. }: Allowed<Administrators>) -> Result<Response, PageError> {
    form_page(&staff, None, &NewsletterForm::blank(), None, false)
}

/// `POST /admin/newsletters/`.
pub async fn create(
    State(state): State<AppState>,
    Posted { staff, form, .. }: Posted<Administrators, NewsletterForm>,
) -> Result<Response, PageError> {
    match state.app.add_newsletter(&staff.actor(), form.input()).await {
        Ok(n) => Ok(redirect_naming("/admin/newsletters/", "saved", &n.name)),
        Err(err) => form_page(&staff, None, &form, Some(refusal(err)?), false),
    }
}

/// `GET /admin/newsletters/{id}/`.
pub async fn edit(
    Allowed { staff, .. }: Allowed<Administrators>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(saved): Query<Notice>,
) -> Result<Response, PageError> {
    let n = by_id(&state, &staff, &id).await?;
    let form = NewsletterForm::from_newsletter(&n);
    form_page(&staff, Some(&n), &form, None, saved.saved.is_some())
}

/// `POST /admin/newsletters/{id}/`.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form, .. }: Posted<Administrators, NewsletterForm>,
) -> Result<Response, PageError> {
    let n = by_id(&state, &staff, &id).await?;
    match state
        .app
        .edit_newsletter(&staff.actor(), &id, form.edit())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/newsletters/{id}/?saved=1")).into_response()),
        Err(err) => form_page(&staff, Some(&n), &form, Some(refusal(err)?), false),
    }
}

#[derive(Deserialize)]
pub struct ChangeForm {
    /// `archive`, `reactivate`, `up` or `down`.
    #[serde(default)]
    action: String,
}

/// `POST /admin/newsletters/{id}/change/`: archive, reactivate, or move up or down the list.
/// A move swaps the sort order with the neighbour, in two saves of the use case.
pub async fn change(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form, .. }: Posted<Administrators, ChangeForm>,
) -> Result<Response, PageError> {
    let actor = staff.actor();
    let status = |s: &str| NewsletterEdit {
        status: Some(s.to_owned()),
        ..NewsletterEdit::default()
    };
    let order = |n: i64| NewsletterEdit {
        sort_order: Some(n),
        ..NewsletterEdit::default()
    };
    let n = by_id(&state, &staff, &id).await?;
    match form.action.as_str() {
        "archive" => {
            state
                .app
                .edit_newsletter(&actor, &id, status("archived"))
                .await?;
        }
        "reactivate" => {
            state
                .app
                .edit_newsletter(&actor, &id, status("active"))
                .await?;
        }
        "up" | "down" => {
            let list: Vec<Newsletter> = all(&state, &staff)
                .await?
                .into_iter()
                .map(|(n, _)| n)
                .filter(|n| n.status == "active")
                .collect();
            let at = list.iter().position(|x| x.id == n.id);
            let other = match (form.action.as_str(), at) {
                ("up", Some(i)) if i > 0 => list.get(i - 1),
                ("down", Some(i)) => list.get(i + 1),
                _ => None,
            };
            if let Some(other) = other {
                // Distinct numbers even where older rows share one.
                let (mine, theirs) = if other.sort_order == n.sort_order {
                    let up = form.action == "up";
                    (
                        if up { n.sort_order } else { n.sort_order + 1 },
                        if up { n.sort_order + 1 } else { n.sort_order },
                    )
                } else {
                    (other.sort_order, n.sort_order)
                };
                let other_id = other.id.to_string();
                state.app.edit_newsletter(&actor, &id, order(mine)).await?;
                state
                    .app
                    .edit_newsletter(&actor, &other_id, order(theirs))
                    .await?;
            }
        }
        _ => return Err(AppError::invalid("action", "unknown change").into()),
    }
    Ok(redirect_naming("/admin/newsletters/", "saved", &n.name))
}
