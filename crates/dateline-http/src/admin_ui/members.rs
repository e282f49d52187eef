//! `/admin/members/`: the site's readers as the newsroom manages them — the list (search,
//! filters, order, pages of 50), adding, editing and deleting a member, their labels
//! ([`labels`]) and Ghost's member CSV in and out ([`csv`]). Administrators and the owner only,
//! as in Ghost: addresses are personal data.
//!
//! The list's search and filters become one NQL filter for `App::browse_members`, the Admin
//! API's listing, and the export takes the same filter, so the page, the API and the CSV never
//! disagree on who "label:vip, unsubscribed" is.

pub mod csv;
pub mod labels;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_app::content::ListQuery;
use dateline_app::member_deliveries::Outcome;
use dateline_app::members::admin::{LabelRef, MemberDetail, MemberInput};
use dateline_store::labels::Label;
use dateline_store::newsletters::Newsletter;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::forbidden::PageError;
use super::guard::{Administrators, Allowed, Posted};
use super::pages::{Confirm, Notice, confirm, form_status, plain, redirect_naming};
use super::stories::{local_time, nql_string, site_timezone};
use super::{Staff, query_escape, templates};
use crate::AppState;

/// Members on one page of the list.
pub const PER_PAGE: u32 = 50;

/// Who may see members: Ghost's administrators and owner.
type Managers = Administrators;

/// The list's search, filters, order and page, as its form sends them. Unknown values are
/// ignored rather than refused, so a hand-edited address still shows a list.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ListParams {
    /// Part of a name or an address.
    #[serde(default)]
    q: String,
    /// A label's slug.
    #[serde(default)]
    label: String,
    /// `subscribed` (to any newsletter), `unsubscribed` (from all), or a newsletter's slug.
    #[serde(default)]
    newsletter: String,
    /// `deliverable`, or `disabled` (bounced, or turned off).
    #[serde(default)]
    email: String,
    /// `newest` (the default), `oldest` or `name`.
    #[serde(default)]
    sort: String,
    page: Option<u32>,
}

impl ListParams {
    /// The NQL filter these parameters mean, without the search (which is Ghost's `search`).
    pub(super) fn filter(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.label.is_empty() {
            parts.push(format!("label:{}", nql_string(&self.label)));
        }
        match self.newsletter.as_str() {
            "" => {}
            "subscribed" => parts.push("subscribed:true".to_owned()),
            "unsubscribed" => parts.push("subscribed:false".to_owned()),
            slug => parts.push(format!("newsletters.slug:{}", nql_string(slug))),
        }
        match self.email.as_str() {
            "deliverable" => parts.push("email_disabled:false".to_owned()),
            "disabled" => parts.push("email_disabled:true".to_owned()),
            _ => {}
        }
        (!parts.is_empty()).then(|| parts.join("+"))
    }

    pub(super) fn search(&self) -> Option<&str> {
        Some(self.q.trim()).filter(|q| !q.is_empty())
    }

    fn order(&self) -> &'static str {
        match self.sort.as_str() {
            "oldest" => "created_at asc",
            "name" => "name asc, email asc",
            _ => "created_at desc",
        }
    }

    /// The query string of these parameters without the page: for page links and the export.
    fn query(&self) -> String {
        [
            ("q", &self.q),
            ("label", &self.label),
            ("newsletter", &self.newsletter),
            ("email", &self.email),
            ("sort", &self.sort),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", query_escape(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    fn page_url(&self, page: u32) -> String {
        match self.query() {
            q if q.is_empty() => format!("/admin/members/?page={page}"),
            q => format!("/admin/members/?{q}&page={page}"),
        }
    }
}

/// One member in the list.
#[derive(Serialize)]
struct Row {
    id: String,
    name: Option<String>,
    email: String,
    status: String,
    email_disabled: bool,
    labels: Vec<String>,
    newsletters: Vec<String>,
    /// Signed up, in the site's timezone.
    date: String,
    datetime: String,
}

/// Ghost's names for a member's status.
fn status_label(status: &str) -> String {
    match status {
        "free" => "Free".to_owned(),
        "comped" => "Complimentary".to_owned(),
        "paid" => "Paid".to_owned(),
        other => other.to_owned(),
    }
}

fn row(detail: &MemberDetail, tz: &jiff::tz::TimeZone) -> Row {
    let m = &detail.member;
    Row {
        id: m.id.to_string(),
        name: m.name.clone(),
        email: m.email.clone(),
        status: status_label(&m.status),
        email_disabled: m.email_disabled,
        labels: detail.labels.iter().map(|l| l.name.clone()).collect(),
        newsletters: detail.newsletters.iter().map(|n| n.name.clone()).collect(),
        date: local_time(m.created_at, tz),
        datetime: m.created_at.to_string(),
    }
}

/// A link in the pager; `None` stands for the pages left out between.
#[derive(Serialize)]
struct PageLink {
    number: Option<u32>,
    url: String,
    current: bool,
}

/// The first and last page, and two either side of the current one: a list of 250 pages
/// still fits a phone's width.
fn page_links(params: &ListParams, page: u32, pages: u32) -> Vec<PageLink> {
    let mut links = Vec::new();
    let mut last_shown = 0;
    for n in 1..=pages {
        let near = n.abs_diff(page) <= 2;
        if n == 1 || n == pages || near {
            if n > last_shown + 1 {
                links.push(PageLink {
                    number: None,
                    url: String::new(),
                    current: false,
                });
            }
            links.push(PageLink {
                number: Some(n),
                url: params.page_url(n),
                current: n == page,
            });
            last_shown = n;
        }
    }
    links
}

/// A choice in a filter's menu.
#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

/// What a menu's choices send: the list's filters name labels and newsletters by slug (the
/// address stays readable), the member form saves them by id.
#[derive(Clone, Copy)]
enum By {
    Slug,
    Id,
}

/// Every label and every newsletter, as menu choices.
async fn menus(
    state: &AppState,
    staff: &Staff,
    by: By,
) -> Result<(Vec<Choice>, Vec<Choice>), PageError> {
    let choice = |slug: String, id: String, label: String| Choice {
        value: match by {
            By::Slug => slug,
            By::Id => id,
        },
        label,
    };
    let labels = all_labels(state, staff).await?.into_iter();
    let newsletters = state.app.newsletters().await?.into_iter();
    Ok((
        labels
            .map(|l| choice(l.slug, l.id.to_string(), l.name))
            .collect(),
        newsletters
            .map(|n| choice(n.slug, n.id.to_string(), n.name))
            .collect(),
    ))
}

/// Every label, by name.
async fn all_labels(state: &AppState, staff: &Staff) -> Result<Vec<Label>, PageError> {
    let everything = ListQuery {
        page: 1,
        ..ListQuery::default()
    };
    Ok(state
        .app
        .member_labels(&staff.actor(), &everything)
        .await?
        .items)
}

/// `GET /admin/members/`.
pub async fn list(
    Allowed { staff, .. }: Allowed<Managers>,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
    Query(notice): Query<Notice>,
) -> Result<Response, PageError> {
    let page = params.page.unwrap_or(1).max(1);
    let query = ListQuery {
        filter: params.filter(),
        order: Some(params.order().to_owned()),
        limit: Some(PER_PAGE),
        page,
    };
    let listing = state
        .app
        .browse_members(&staff.actor(), &query, params.search())
        .await?;
    let filtered = query.filter.is_some() || params.search().is_some();
    // Without a filter the listing's total is everyone; with one, "12 of 12,431" needs both.
    let everyone = if filtered {
        state.app.member_count().await?
    } else {
        listing.total
    };
    let tz = site_timezone(&state).await?;
    let rows: Vec<Row> = listing.items.iter().map(|d| row(d, &tz)).collect();
    let (labels, newsletters) = menus(&state, &staff, By::Slug).await?;
    let pages = u32::try_from(listing.pages()).unwrap_or(u32::MAX);
    let export = match params.query() {
        q if q.is_empty() => "/admin/members/export/".to_owned(),
        q => format!("/admin/members/export/?{q}"),
    };
    let html = templates::render(
        "members.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            rows => Value::from(Serde(&rows)),
            total => listing.total,
            total_text => dateline_theme::thousands(listing.total),
            everyone => everyone,
            everyone_text => dateline_theme::thousands(everyone),
            filtered,
            page,
            pages,
            links => Value::from(Serde(page_links(&params, page, pages))),
            prev => (page > 1).then(|| params.page_url(page - 1)),
            next => (page < pages).then(|| params.page_url(page + 1)),
            labels => Value::from(Serde(&labels)),
            newsletters => Value::from(Serde(&newsletters)),
            params => Value::from(Serde(&params)),
            export,
            deleted => notice.deleted,
        },
    )?;
    Ok(html.into_response())
}

/// The add and edit form's fields, as typed; shown again when a save is refused.
#[derive(Debug, Default, Serialize)]
struct MemberForm {
    name: String,
    email: String,
    note: String,
    /// Ids of the existing labels ticked.
    labels: Vec<String>,
    /// New labels typed, separated by commas.
    new_labels: String,
    /// Ids of the newsletters ticked.
    newsletters: Vec<String>,
}

impl MemberForm {
    /// The form as posted (repeated `labels` and `newsletters` fields).
    fn from_pairs(pairs: Vec<(String, String)>) -> MemberForm {
        let mut form = MemberForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "name" => form.name = value,
                "email" => form.email = value,
                "note" => form.note = value,
                "labels" => form.labels.push(value),
                "new_labels" => form.new_labels = value,
                "newsletters" => form.newsletters.push(value),
                _ => {}
            }
        }
        form
    }

    fn from_detail(detail: &MemberDetail) -> MemberForm {
        let m = &detail.member;
        MemberForm {
            name: m.name.clone().unwrap_or_default(),
            email: m.email.clone(),
            note: m.note.clone().unwrap_or_default(),
            labels: detail.labels.iter().map(|l| l.id.to_string()).collect(),
            new_labels: String::new(),
            newsletters: detail
                .newsletters
                .iter()
                .map(|n| n.id.to_string())
                .collect(),
        }
    }

    /// A new member's form: the newsletters readers get on signing up are ticked.
    fn blank(newsletters: &[Newsletter]) -> MemberForm {
        MemberForm {
            newsletters: newsletters
                .iter()
                .filter(|n| n.subscribe_on_signup)
                .map(|n| n.id.to_string())
                .collect(),
            ..MemberForm::default()
        }
    }

    /// The use case's input: the form says everything, so every field is set (an empty one
    /// is cleared), and exactly the ticked labels and newsletters are kept.
    fn input(&self) -> Result<MemberInput, String> {
        if self.email.trim().is_empty() {
            return Err("Enter the member's email address.".to_owned());
        }
        let ticked = self.labels.iter().map(|id| LabelRef {
            id: Some(id.clone()),
            ..LabelRef::default()
        });
        let typed = self
            .new_labels
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|name| LabelRef {
                name: Some(name.to_owned()),
                ..LabelRef::default()
            });
        Ok(MemberInput {
            email: Some(self.email.trim().to_owned()),
            name: Some(Some(self.name.clone())),
            note: Some(Some(self.note.clone())),
            labels: Some(ticked.chain(typed).collect()),
            newsletters: Some(self.newsletters.clone()),
            subscribed: None,
        })
    }
}

/// What the edit page says about a member beside the form.
#[derive(Serialize)]
struct Facts {
    signed_up: String,
    status: String,
    email_disabled: bool,
    /// The newsletters sent to them, newest first.
    deliveries: Vec<Delivery>,
}

/// One row of a member's delivery history.
#[derive(Serialize)]
struct Delivery {
    post_id: String,
    post_title: String,
    newsletter: String,
    /// `queued`, `sent`, `bounced`, `failed` or `unknown` ([`Outcome`]).
    outcome: &'static str,
    /// The mail server's reply, shown when it refused.
    reply: Option<String>,
    /// When it was sent, or queued when it has not been.
    at: String,
}

/// The form page, for adding (`id` none) or editing.
struct FormPage<'a> {
    id: Option<&'a str>,
    form: &'a MemberForm,
    facts: Option<Facts>,
    error: Option<String>,
    /// The member who already has the address typed, when that was the refusal.
    existing: Option<String>,
    saved: bool,
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    page: FormPage<'_>,
) -> Result<Response, PageError> {
    let status = form_status(page.error.is_some());
    let (labels, newsletters) = menus(state, staff, By::Id).await?;
    let html = templates::render(
        "members_edit.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            id => page.id,
            member => Value::from(Serde(page.form)),
            facts => page.facts.map(|f| Value::from(Serde(f))),
            labels => Value::from(Serde(&labels)),
            newsletters => Value::from(Serde(&newsletters)),
            error => page.error,
            existing => page.existing,
            saved => page.saved,
        },
    )?;
    Ok((status, html).into_response())
}

/// A refusal the person can act on, in words, with the member who has the address when it
/// is taken; any other failure is not theirs to fix.
async fn refusal(
    state: &AppState,
    staff: &Staff,
    form: &MemberForm,
    err: AppError,
) -> Result<(String, Option<String>), PageError> {
    match err {
        AppError::Invalid { field: "email", .. } => Ok((
            format!(
                "“{}” is not an email address. Check it for typos.",
                form.email.trim()
            ),
            None,
        )),
        AppError::Invalid { message, .. } => Ok((plain(&message), None)),
        AppError::Conflict { .. } => {
            let email = form.email.trim().to_lowercase();
            let query = ListQuery {
                filter: Some(format!("email:{}", nql_string(&email))),
                limit: Some(1),
                page: 1,
                ..ListQuery::default()
            };
            let existing = state
                .app
                .browse_members(&staff.actor(), &query, None)
                .await?
                .items
                .pop()
                .map(|d| d.member.id.to_string());
            Ok((
                format!("{email} is already a member. Each address can belong to one member."),
                existing,
            ))
        }
        other => Err(other.into()),
    }
}

/// `GET /admin/members/new/`.
pub async fn new(
    Allowed { staff, .. }: Allowed<Managers>,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let form = MemberForm::blank(&state.app.newsletters().await?);
    let page = FormPage {
        id: None,
        form: &form,
        facts: None,
        error: None,
        existing: None,
        saved: false,
    };
    form_page(&state, &staff, page).await
}

/// `POST /admin/members/`.
pub async fn create(
    State(state): State<AppState>,
    Posted { staff, form, .. }: Posted<Managers, Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = MemberForm::from_pairs(form);
    let outcome = match form.input() {
        Ok(input) => state.app.create_member(&staff.actor(), input).await,
        Err(error) => Err(AppError::invalid("form", error)),
    };
    match outcome {
        Ok(detail) => Ok(
            Redirect::to(&format!("/admin/members/{}/?saved=1", detail.member.id)).into_response(),
        ),
        Err(err) => {
            let (error, existing) = refusal(&state, &staff, &form, err).await?;
            let page = FormPage {
                id: None,
                form: &form,
                facts: None,
                error: Some(error),
                existing,
                saved: false,
            };
            form_page(&state, &staff, page).await
        }
    }
}

async fn member_by_id(
    state: &AppState,
    staff: &Staff,
    id: &str,
) -> Result<MemberDetail, PageError> {
    state
        .app
        .read_member(&staff.actor(), id)
        .await?
        .ok_or_else(|| AppError::NotFound { noun: "member" }.into())
}

async fn facts(state: &AppState, staff: &Staff, detail: &MemberDetail) -> Result<Facts, PageError> {
    let tz = site_timezone(state).await?;
    let deliveries = state
        .app
        .member_deliveries(&staff.actor(), detail.member.id.as_str())
        .await?
        .into_iter()
        .map(|d| {
            let outcome = Outcome::of(&d);
            Delivery {
                post_id: d.post_id.to_string(),
                newsletter: d.newsletter_name,
                outcome: outcome.as_str(),
                reply: d
                    .smtp_reply
                    .filter(|_| matches!(outcome, Outcome::Bounced | Outcome::Failed)),
                at: local_time(d.sent_at.unwrap_or(d.queued_at), &tz),
                post_title: d.post_title,
            }
        })
        .collect();
    Ok(Facts {
        signed_up: local_time(detail.member.created_at, &tz),
        status: status_label(&detail.member.status),
        email_disabled: detail.member.email_disabled,
        deliveries,
    })
}

/// `GET /admin/members/{id}/`.
pub async fn edit(
    Allowed { staff, .. }: Allowed<Managers>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(saved): Query<Notice>,
) -> Result<Response, PageError> {
    let detail = member_by_id(&state, &staff, &id).await?;
    let form = MemberForm::from_detail(&detail);
    let page = FormPage {
        id: Some(&id),
        form: &form,
        facts: Some(facts(&state, &staff, &detail).await?),
        error: None,
        existing: None,
        saved: saved.saved.is_some(),
    };
    form_page(&state, &staff, page).await
}

/// `POST /admin/members/{id}/`.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, form, .. }: Posted<Managers, Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = MemberForm::from_pairs(form);
    let outcome = match form.input() {
        Ok(input) => state.app.edit_member(&staff.actor(), &id, input).await,
        Err(error) => Err(AppError::invalid("form", error)),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/admin/members/{id}/?saved=1")).into_response()),
        Err(AppError::NotFound { noun }) => Err(AppError::NotFound { noun }.into()),
        Err(err) => {
            let (error, existing) = refusal(&state, &staff, &form, err).await?;
            let detail = member_by_id(&state, &staff, &id).await?;
            let page = FormPage {
                id: Some(&id),
                form: &form,
                facts: Some(facts(&state, &staff, &detail).await?),
                error: Some(error),
                existing: existing.filter(|other| *other != id),
                saved: false,
            };
            form_page(&state, &staff, page).await
        }
    }
}

/// How the pages name a member: by name, or by address when they gave none.
fn called(detail: &MemberDetail) -> String {
    detail
        .member
        .name
        .clone()
        .unwrap_or_else(|| detail.member.email.clone())
}

/// `GET /admin/members/{id}/delete/`: asks first.
pub async fn confirm_delete(
    Allowed { staff, .. }: Allowed<Managers>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let detail = member_by_id(&state, &staff, &id).await?;
    confirm(
        &staff,
        Confirm {
            heading: format!("Delete {}?", called(&detail)),
            message: format!(
                "{} stops getting newsletters and loses their labels and sign-in. This cannot be \
                 undone; they can sign up again.",
                detail.member.email
            ),
            action: format!("/admin/members/{id}/delete/"),
            button: "Delete member".into(),
            back: format!("/admin/members/{id}/"),
            primary: false,
        },
    )
}

/// `POST /admin/members/{id}/delete/`.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { staff, .. }: Posted<Managers>,
) -> Result<Response, PageError> {
    let detail = member_by_id(&state, &staff, &id).await?;
    state.app.delete_member(&staff.actor(), &id).await?;
    Ok(redirect_naming(
        "/admin/members/",
        "deleted",
        &called(&detail),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_one_nql_expression_and_links_keep_them() {
        let params = ListParams {
            q: "O'Brien".into(),
            label: "vip".into(),
            newsletter: "unsubscribed".into(),
            email: "disabled".into(),
            sort: "oldest".into(),
            page: Some(3),
        };
        assert_eq!(
            params.filter().as_deref(),
            Some("label:'vip'+subscribed:false+email_disabled:true")
        );
        assert_eq!(params.search(), Some("O'Brien"));
        assert_eq!(
            params.page_url(4),
            "/admin/members/?q=O%27Brien&label=vip&newsletter=unsubscribed&email=disabled&sort=oldest&page=4"
        );
        let one_newsletter = ListParams {
            newsletter: "daily-briefing".into(),
            email: "bogus".into(),
            ..ListParams::default()
        };
        assert_eq!(
            one_newsletter.filter().as_deref(),
            Some("newsletters.slug:'daily-briefing'")
        );
        assert_eq!(ListParams::default().filter(), None);
    }

    #[test]
    fn long_lists_show_the_ends_and_the_pages_near_the_current_one() {
        let shown = |page, pages| -> Vec<Option<u32>> {
            page_links(&ListParams::default(), page, pages)
                .into_iter()
                .map(|l| l.number)
                .collect()
        };
        assert_eq!(shown(1, 1), vec![Some(1)]);
        assert_eq!(
            shown(10, 250),
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(250)
            ]
        );
        assert_eq!(shown(2, 4), vec![Some(1), Some(2), Some(3), Some(4)]);
    }
}
