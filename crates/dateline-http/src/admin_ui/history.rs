//! `/admin/posts/{id}/history/`: a story's revisions (`dateline_app::revisions`), each with a
//! line diff against the story as it is now, and a restore that saves the old headline and
//! text as a new edit, through the same collision check as any save.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::admin::posts::{BodyInput, PostInput};
use dateline_app::content::PostKey;
use dateline_app::{AppError, revisions};
use dateline_core::post::PostType;
use jiff::Timestamp;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use super::stories::{local_time, site_timezone};
use super::{Staff, csrf, templates};
use crate::AppState;
use crate::error::HttpError;

#[derive(Deserialize)]
pub struct HistoryParams {
    rev: Option<String>,
    error: Option<String>,
}

#[derive(Serialize)]
struct Entry {
    id: String,
    date: String,
    author: String,
    status: String,
    /// What the status badge says: the status, or where an imported story's first revision
    /// came from.
    label: String,
    title: String,
    selected: bool,
}

/// One line of a diff: `equal`, `delete`, `insert`, or `gap` for unchanged lines left out.
#[derive(Serialize)]
struct DiffLine {
    tag: &'static str,
    text: String,
}

/// What changed from `old` to `new`, line by line, with two lines of context around each
/// change.
fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = TextDiff::from_lines(old, new);
    let mut lines = Vec::new();
    for (i, group) in diff.grouped_ops(2).iter().enumerate() {
        if i > 0 {
            lines.push(DiffLine {
                tag: "gap",
                text: "…".to_owned(),
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let tag = match change.tag() {
                    ChangeTag::Equal => "equal",
                    ChangeTag::Delete => "delete",
                    ChangeTag::Insert => "insert",
                };
                lines.push(DiffLine {
                    tag,
                    text: change.value().trim_end_matches('\n').to_owned(),
                });
            }
        }
    }
    lines
}

pub async fn page(
    staff: Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<HistoryParams>,
) -> Result<Response, HttpError> {
    let detail = state
        .app
        .staff_post(PostType::Post, PostKey::Id(&id))
        .await?
        .ok_or(HttpError::not_found())?;
    let post = &detail.post;
    let tz = site_timezone(&state).await?;
    let found = state.app.revisions(&post.id).await?;
    let chosen = params
        .rev
        .as_deref()
        .and_then(|rev| found.iter().find(|e| e.revision.id.as_str() == rev))
        .or(found.get(1))
        .or(found.first());
    let current = format!(
        "# {}\n\n{}",
        post.title,
        post.markdown.as_deref().unwrap_or_default()
    );
    let changes = chosen.map(|e| {
        let then = format!("# {}\n\n{}", e.revision.title, e.revision.markdown);
        diff(&then, &current)
    });
    let entries: Vec<Entry> = found
        .iter()
        .map(|e| Entry {
            id: e.revision.id.to_string(),
            date: local_time(e.revision.created_at, &tz),
            author: e.author_name.clone(),
            status: e.revision.status.clone(),
            label: if e.revision.status == revisions::IMPORTED {
                "Imported from Ghost".to_owned()
            } else {
                e.revision.status.clone()
            },
            title: e.revision.title.clone(),
            selected: chosen.is_some_and(|c| c.revision.id == e.revision.id),
        })
        .collect();
    let html = templates::render(
        "history.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            post => context! {
                id => post.id.to_string(),
                title => &post.title,
                updated_at => post.updated_at.to_string(),
            },
            entries => Value::from(Serde(&entries)),
            chosen => chosen.map(|c| c.revision.id.to_string()),
            changes => changes.map(|c| Value::from(Serde(&c))),
            error => params.error,
        },
    )?;
    Ok(html.into_response())
}

#[derive(Deserialize)]
pub struct RestoreForm {
    #[serde(default)]
    csrf: String,
    /// The story's `updated_at` when the history page was shown.
    #[serde(default)]
    updated_at: String,
}

/// `POST /admin/posts/{id}/history/{rev}/restore/`: the revision's headline and text become
/// the story's again. Refused, with the reason shown on the history page, when the story
/// changed after the page was shown.
pub async fn restore(
    staff: Staff,
    State(state): State<AppState>,
    Path((id, rev)): Path<(String, String)>,
    Form(form): Form<RestoreForm>,
) -> Result<Response, HttpError> {
    csrf::check(&staff.csrf, &form.csrf)?;
    let detail = state
        .app
        .staff_post(PostType::Post, PostKey::Id(&id))
        .await?
        .ok_or(HttpError::not_found())?;
    let revision = state.app.revision(&detail.post.id, &rev).await?;
    let seen: Option<Timestamp> = form.updated_at.parse().ok();
    let input = PostInput {
        title: Some(revision.title),
        body: Some(BodyInput::Markdown(revision.markdown)),
        updated_at: seen,
        ..PostInput::default()
    };
    let saved = state
        .app
        .edit_post(&staff.actor(), PostType::Post, &id, input)
        .await;
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("/admin/posts/{id}/")).into_response()),
        Err(AppError::UpdateCollision) => Ok(Redirect::to(&format!(
            "/admin/posts/{id}/history/?rev={rev}&error=changed"
        ))
        .into_response()),
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn diffs_show_changes_with_context() {
        let old = "# Title\n\none\ntwo\nthree\nfour\nfive\nsix\nseven\n";
        let new = "# Title\n\none\ntwo\nthree\nfour\nfive\nsix\nSEVEN\n";
        let lines = super::diff(old, new);
        let tags: Vec<&str> = lines.iter().map(|l| l.tag).collect();
        assert_eq!(tags, ["equal", "equal", "delete", "insert"]);
        assert_eq!(lines[3].text, "SEVEN");
    }
}
