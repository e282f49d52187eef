//! Ghost's member CSV from the admin: `/admin/members/import/` uploads one (the importer of
//! `dateline_app::member_csv`, which reads the whole file before it writes anything) and says
//! what it did, row by row where it skipped; `/admin/members/export/` downloads the list as
//! it is filtered and searched, with the list's own parameters.

use axum::extract::{Multipart, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use dateline_app::AppError;
use dateline_app::member_csv::ImportReport;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;

use super::{ListParams, Managers};
use crate::AppState;
use crate::admin_ui::forbidden::PageError;
use crate::admin_ui::guard::{Allowed, admit};
use crate::admin_ui::pages::{form_status, plain};
use crate::admin_ui::{Staff, templates};
use crate::error::HttpError;

/// A row the import skipped, as the page lists it.
#[derive(Serialize)]
struct Skipped {
    line: u64,
    email: String,
    why: String,
}

/// The page, before an upload or with what one did (`report`) or why it changed nothing.
fn import_page_with(
    staff: &Staff,
    report: Option<&ImportReport>,
    error: Option<String>,
    label: &str,
) -> Result<Response, PageError> {
    let status = form_status(error.is_some());
    let report = report.map(|r| {
        let skipped: Vec<Skipped> = r
            .invalid
            .iter()
            .map(|(line, email, why)| Skipped {
                line: *line,
                email: email.clone(),
                why: plain(&quoted(why)),
            })
            .collect();
        context! {
            imported => r.imported,
            existing => r.existing,
            skipped => Value::from(Serde(skipped)),
        }
    });
    let html = templates::render(
        "members_import.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            report,
            error,
            label,
        },
    )?;
    Ok((status, html).into_response())
}

/// `GET /admin/members/import/`.
pub async fn import_page(Allowed { staff, .. }: Allowed<Managers>) -> Result<Response, PageError> {
    import_page_with(&staff, None, None, "")
}

/// `POST /admin/members/import/`: the CSV in `membersfile` (Ghost's field name), an optional
/// label for every imported member in `label`, and the form's token in `csrf`.
pub async fn import(
    staff: Staff,
    State(state): State<AppState>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let mut file: Option<Vec<u8>> = None;
    let mut label = String::new();
    let mut token = String::new();
    while let Some(field) = multipart.next_field().await.map_err(HttpError::from)? {
        match field.name() {
            Some("membersfile") => {
                file = Some(field.bytes().await.map_err(HttpError::from)?.to_vec());
            }
            Some("label") => label = field.text().await.map_err(HttpError::from)?,
            Some("csrf") => token = field.text().await.map_err(HttpError::from)?,
            _ => {}
        }
    }
    admit::<Managers>(&staff, &token)?;
    let Some(bytes) = file.filter(|f| !f.is_empty()) else {
        let error = "Choose a CSV file to import.".to_owned();
        return import_page_with(&staff, None, Some(error), &label);
    };
    let labels: Vec<String> = Some(label.trim().to_owned())
        .filter(|l| !l.is_empty())
        .into_iter()
        .collect();
    match state
        .app
        .import_members_csv_as(&staff.actor(), &bytes, &labels)
        .await
    {
        Ok(report) => import_page_with(&staff, Some(&report), None, &label),
        Err(AppError::Invalid { message, .. }) => {
            import_page_with(&staff, None, Some(plain(&quoted(&message))), &label)
        }
        Err(other) => Err(other.into()),
    }
}

/// The importer's `code` marks as typographic quotes, for people rather than programmers.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open = true;
    for c in text.chars() {
        if c == '`' {
            out.push(if open { '“' } else { '”' });
            open = !open;
        } else {
            out.push(c);
        }
    }
    out
}

/// `GET /admin/members/export/`: the members the list's parameters select, as Ghost's CSV.
pub async fn export(
    Allowed { staff, .. }: Allowed<Managers>,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    let mut out: Vec<u8> = Vec::new();
    state
        .app
        .export_matching_members_csv(
            &staff.actor(),
            params.filter().as_deref(),
            params.search(),
            &mut out,
        )
        .await?;
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
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn code_marks_become_quotes() {
        assert_eq!(
            super::quoted("`x@` is not an email address; no `email` column"),
            "“x@” is not an email address; no “email” column"
        );
    }
}
