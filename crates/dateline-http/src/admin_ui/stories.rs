//! `/admin/posts/`: the stories list. Its search and filters become one NQL filter for
//! `App::staff_posts`, the same listing the Admin API browses, so the list and the API never
//! disagree on what "scheduled in Politics by Lana" means.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use dateline_app::content::ListQuery;
use dateline_app::site::PostDetail;
use dateline_core::id::ObjectId;
use dateline_core::nql;
use dateline_core::post::{PostStatus, PostType};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::{Staff, templates};
use crate::AppState;
use crate::error::HttpError;

/// Stories on one page of the list.
pub const PER_PAGE: u32 = 20;

/// The list's search, filters, order and page, as the filter form sends them.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    sort: String,
    page: Option<u32>,
}

impl ListParams {
    /// The NQL filter these parameters mean; unknown statuses are ignored rather than refused,
    /// as a hand-edited address should still show a list. `in_review` are the drafts waiting
    /// for an editor, which the status "review" selects (the first [`nql::MAX_LIST`] of them).
    fn filter(&self, in_review: &[ObjectId]) -> Option<String> {
        let mut parts = Vec::new();
        if matches!(self.status.as_str(), "draft" | "scheduled" | "published") {
            parts.push(format!("status:{}", self.status));
        }
        if self.status == "review" {
            let ids: Vec<&str> = in_review
                .iter()
                .take(nql::MAX_LIST)
                .map(ObjectId::as_str)
                .collect();
            // No story waits: a filter no id matches (ids are hex).
            parts.push(match ids.as_slice() {
                [] => "id:'none'".to_owned(),
                ids => format!("id:[{}]", ids.join(",")),
            });
        }
        if !self.section.is_empty() {
            parts.push(format!("primary_tag:{}", nql_string(&self.section)));
        }
        if !self.author.is_empty() {
            parts.push(format!("authors.slug:{}", nql_string(&self.author)));
        }
        let q = self.q.trim();
        if !q.is_empty() {
            parts.push(format!("title:~{}", nql_string(q)));
        }
        (!parts.is_empty()).then(|| parts.join("+"))
    }

    fn order(&self) -> &'static str {
        match self.sort.as_str() {
            "published" => "published_at desc",
            "title" => "title asc",
            "created" => "created_at desc",
            _ => "updated_at desc",
        }
    }

    /// The list's address with a different page, keeping everything else.
    fn page_url(&self, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("section", self.section.clone()),
            ("author", self.author.clone()),
            ("sort", self.sort.clone()),
        ];
        pairs.retain(|(_, v)| !v.is_empty());
        pairs.push(("page", page.to_string()));
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", super::query_escape(v)))
            .collect();
        format!("/admin/posts/?{}", query.join("&"))
    }
}

/// `'…'` with NQL's escapes, so a search for `O'Brien` is a search and not a syntax error.
pub(super) fn nql_string(value: &str) -> String {
    let mut out = String::from("'");
    for c in value.chars() {
        if matches!(c, '\'' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// One row of the list.
#[derive(Serialize)]
struct Row {
    id: String,
    title: String,
    status: &'static str,
    /// Handed to the editors and not yet published or sent back.
    in_review: bool,
    section: Option<String>,
    authors: String,
    /// What the date is: "Published", "Scheduled for", "Edited".
    date_label: &'static str,
    date: String,
    /// The same date for machines (`<time datetime>`).
    datetime: String,
}

fn row(detail: &PostDetail, tz: &TimeZone, in_review: &[ObjectId]) -> Row {
    let p = &detail.post;
    let (status, date_label, at) = match p.status {
        PostStatus::Published | PostStatus::Sent => (
            "published",
            "Published",
            p.published_at.unwrap_or(p.updated_at),
        ),
        PostStatus::Scheduled => (
            "scheduled",
            "Scheduled for",
            p.published_at.unwrap_or(p.updated_at),
        ),
        PostStatus::Draft => ("draft", "Edited", p.updated_at),
    };
    Row {
        id: p.id.to_string(),
        title: p.title.clone(),
        status,
        in_review: p.status == PostStatus::Draft && in_review.contains(&p.id),
        section: detail.primary_tag().map(|t| t.name.clone()),
        authors: detail
            .authors
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        date_label,
        date: local_time(at, tz),
        datetime: at.to_string(),
    }
}

/// A time as the newsroom reads it, in the site's timezone.
pub fn local_time(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone())
        .strftime("%-d %b %Y, %H:%M")
        .to_string()
}

/// The site's timezone, UTC when the setting names none that exists.
pub async fn site_timezone(state: &AppState) -> Result<TimeZone, HttpError> {
    let settings = state.app.settings().await?;
    Ok(TimeZone::get(settings.timezone()).unwrap_or(TimeZone::UTC))
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

pub async fn list(
    staff: Staff,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<Response, HttpError> {
    let page = params.page.unwrap_or(1).max(1);
    let in_review = state.app.in_review().await?;
    let query = ListQuery {
        filter: params.filter(&in_review),
        order: Some(params.order().to_owned()),
        limit: Some(PER_PAGE),
        page,
    };
    let listing = state.app.staff_posts(PostType::Post, &query).await?;
    let tz = site_timezone(&state).await?;
    let rows: Vec<Row> = listing
        .items
        .iter()
        .map(|d| row(d, &tz, &in_review))
        .collect();
    let everything = ListQuery {
        page: 1,
        ..ListQuery::default()
    };
    let sections: Vec<Choice> = state
        .app
        .list_tags(&everything)
        .await?
        .items
        .into_iter()
        .map(|(t, _)| Choice {
            value: t.slug,
            label: t.name,
        })
        .collect();
    let authors: Vec<Choice> = state
        .app
        .staff_users(&everything)
        .await?
        .items
        .into_iter()
        .map(|(u, _)| Choice {
            value: u.slug,
            label: u.name,
        })
        .collect();
    let pages = listing.pages();
    let page_html = templates::render(
        "posts.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            rows => Value::from(Serde(&rows)),
            total => listing.total,
            page,
            pages,
            prev => (page > 1).then(|| params.page_url(page - 1)),
            next => (u64::from(page) < pages).then(|| params.page_url(page + 1)),
            sections => Value::from(Serde(&sections)),
            authors => Value::from(Serde(&authors)),
            params => Value::from(Serde(&params)),
        },
    )?;
    Ok(page_html.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_one_nql_expression() {
        let params = ListParams {
            q: "O'Brien".into(),
            status: "scheduled".into(),
            section: "politics".into(),
            author: "lana".into(),
            ..ListParams::default()
        };
        assert_eq!(
            params.filter(&[]).as_deref(),
            Some(r"status:scheduled+primary_tag:'politics'+authors.slug:'lana'+title:~'O\'Brien'")
        );
        let nothing = ListParams {
            status: "bogus".into(),
            ..ListParams::default()
        };
        assert_eq!(nothing.filter(&[]), None);
        let id = ObjectId::parse("5f1a2b3c4d5e6f7a8b9c0d1e").unwrap();
        let review = ListParams {
            status: "review".into(),
            ..ListParams::default()
        };
        assert_eq!(
            review.filter(&[id]).as_deref(),
            Some("id:[5f1a2b3c4d5e6f7a8b9c0d1e]")
        );
        assert_eq!(review.filter(&[]).as_deref(), Some("id:'none'"));
    }
}
