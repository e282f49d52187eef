//! `/admin/themes/`: the installed themes, for administrators and the owner (as in Ghost).
//! Uploading, activating and deleting go through the Admin API's use cases
//! (`App::upload_theme`, `staff_activate_theme`, `staff_delete_theme`), so the check, the
//! live switch and the refusals are one code path.
//!
//! The upload is a plain multipart form that works without a script; `themes.js` sends the
//! same form with a progress bar and puts the answer's page in place. The answer lists what
//! the check found, file and line first, in the check's own words.

use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_app::themes::{ArchiveError, CustomSetting, InstalledTheme, ThemeInstallError};
use dateline_theme::{Report, Severity};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::forbidden::PageError;
use super::guard::{Administrators, Allowed, Posted, admit};
use super::pages::{Confirm, capitalised, confirm, redirect_naming};
use super::{Staff, templates};
use crate::AppState;
use crate::error::HttpError;

/// A theme as the list shows it.
#[derive(Serialize)]
struct Row {
    name: String,
    /// What the theme calls itself in `package.json` (`description` or its name).
    title: String,
    version: Option<String>,
    active: bool,
    builtin: bool,
}

fn row(theme: &InstalledTheme) -> Row {
    let field = |key: &str| {
        theme
            .package
            .as_ref()
            .and_then(|p| p.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let builtin = theme.package.is_none() && theme.name == "builtin";
    Row {
        title: if builtin {
            "Dateline (built in)".to_owned()
        } else {
            theme.name.clone()
        },
        version: field("version"),
        active: theme.active,
        builtin,
        name: theme.name.clone(),
    }
}

/// One thing the check found, worded for the page.
#[derive(Serialize)]
struct Note {
    place: String,
    message: String,
}

fn notes(report: &Report, severity: Severity) -> Vec<Note> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| Note {
            place: match f.line {
                Some(line) => format!("{}, line {line}", f.file),
                None => f.file.clone(),
            },
            message: f.message.clone(),
        })
        .collect()
}

/// What the last upload did, for the page to say.
#[derive(Serialize, Default)]
struct Outcome {
    /// The installed theme's name.
    installed: Option<String>,
    /// Why nothing was installed.
    refused: Option<String>,
    errors: Vec<Note>,
    warnings: Vec<Note>,
}

#[derive(Deserialize)]
pub struct Notice {
    activated: Option<String>,
    deleted: Option<String>,
    saved: Option<String>,
}

/// One custom setting of the active theme, as its form field shows it.
#[derive(Serialize)]
struct Field {
    key: String,
    /// The key in words (`navigation_layout` → "Navigation layout").
    label: String,
    kind: String,
    options: Vec<String>,
    description: Option<String>,
    /// The value as the field holds it.
    value: String,
    checked: bool,
}

fn field(setting: CustomSetting) -> Field {
    let mut label = setting.key.replace('_', " ");
    if let Some(first) = label.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let value = match &setting.value {
        serde_json::Value::String(v) => v.strip_prefix("__GHOST_URL__").unwrap_or(v).to_owned(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    Field {
        checked: setting.value == serde_json::Value::Bool(true),
        key: setting.key,
        label,
        kind: setting.kind,
        options: setting.options,
        description: setting.description,
        value,
    }
}

/// The active theme's custom settings form: the theme's name and its fields, if it has any.
async fn custom_form(
    staff: &Staff,
    state: &AppState,
    themes: &[InstalledTheme],
) -> Result<Option<(String, Vec<Field>)>, PageError> {
    let Some(active) = themes.iter().find(|t| t.active && t.package.is_some()) else {
        return Ok(None);
    };
    let settings = state
        .app
        .theme_custom_settings(&staff.actor(), &state.data_dir, &active.name)
        .await
        .map_err(refusal)?;
    Ok((!settings.is_empty()).then(|| {
        (
            active.name.clone(),
            settings.into_iter().map(field).collect(),
        )
    }))
}

async fn page(
    staff: &Staff,
    state: &AppState,
    status: StatusCode,
    outcome: Option<Outcome>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    page_with(staff, state, status, outcome, notice, None).await
}

/// The page, with a refusal of the custom settings form shown beside it.
async fn page_with(
    staff: &Staff,
    state: &AppState,
    status: StatusCode,
    outcome: Option<Outcome>,
    notice: Option<String>,
    settings_error: Option<String>,
) -> Result<Response, PageError> {
    let themes = state
        .app
        .staff_themes(&staff.actor(), &state.data_dir)
        .await
        .map_err(refusal)?;
    let rows: Vec<Row> = themes.iter().map(row).collect();
    let (custom_theme, custom) = custom_form(staff, state, &themes)
        .await?
        .map_or((None, None), |(name, fields)| (Some(name), Some(fields)));
    let html = templates::render(
        "themes.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            themes => Value::from(Serde(&rows)),
            outcome => outcome.map(|o| Value::from(Serde(o))),
            notice,
            custom_theme,
            custom => custom.map(|f| Value::from(Serde(f))),
            settings_error,
            limit_mb => dateline_app::themes::archive::MAX_ARCHIVE_BYTES / (1024 * 1024),
        },
    )?;
    Ok((status, html).into_response())
}

/// `GET /admin/themes/`.
pub async fn list(
    Allowed { staff, .. }: Allowed<Administrators>,
    State(state): State<AppState>,
    Query(notice): Query<Notice>,
) -> Result<Response, PageError> {
    let notice = match (notice.activated, notice.deleted, notice.saved) {
        (Some(name), _, _) => Some(format!("“{name}” is now the site's theme.")),
        (_, Some(name), _) => Some(format!("The theme “{name}” was deleted.")),
        (_, _, Some(_)) => Some("Theme settings saved.".to_owned()),
        _ => None,
    };
    page(&staff, &state, StatusCode::OK, None, notice).await
}

/// `POST /admin/themes/upload/`: the form's ZIP archive in `file`, its token in `csrf`.
pub async fn upload(
    staff: Staff,
    State(state): State<AppState>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let (mut sent, mut archive) = (String::new(), None::<Bytes>);
    while let Some(field) = multipart.next_field().await.map_err(HttpError::from)? {
        match field.name() {
            Some("csrf") => sent = field.text().await.map_err(HttpError::from)?,
            Some("file") => archive = Some(field.bytes().await.map_err(HttpError::from)?),
            _ => {}
        }
    }
    admit::<Administrators>(&staff, &sent)?;
    let Some(bytes) = archive.filter(|b| !b.is_empty()) else {
        let outcome = Outcome {
            refused: Some("Choose a theme’s .zip file to upload.".to_owned()),
            ..Outcome::default()
        };
        return page(
            &staff,
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(outcome),
            None,
        )
        .await;
    };
    let uploaded = state
        .app
        .upload_theme(&staff.actor(), &state.data_dir, bytes.to_vec(), |theme| {
            state.theme.replace(theme);
        })
        .await;
    let (status, outcome) = match uploaded {
        Ok((theme, report)) => (
            StatusCode::OK,
            Outcome {
                installed: Some(theme.name),
                warnings: notes(&report, Severity::Warning),
                ..Outcome::default()
            },
        ),
        Err(ThemeInstallError::Refused(report)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome {
                refused: Some(format!(
                    "The theme “{}” was not installed: the check found errors. Fix them and upload it again.",
                    report.name()
                )),
                errors: notes(&report, Severity::Error),
                warnings: notes(&report, Severity::Warning),
                ..Outcome::default()
            },
        ),
        Err(err) => match plain_refusal(&err) {
            Some(message) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Outcome {
                    refused: Some(message),
                    ..Outcome::default()
                },
            ),
            None => return Err(refusal(err)),
        },
    };
    page(&staff, &state, status, Some(outcome), None).await
}

/// What to tell a person whose upload was not a theme Dateline takes; `None` for failures
/// of the server itself.
fn plain_refusal(err: &ThemeInstallError) -> Option<String> {
    Some(match err {
        ThemeInstallError::Archive(ArchiveError::NotAZip(_)) => {
            "That file is not a .zip archive. Upload the theme as a .zip file.".to_owned()
        }
        ThemeInstallError::Archive(
            err @ (ArchiveError::ArchiveTooLarge
            | ArchiveError::UnpacksTooLarge
            | ArchiveError::TooManyEntries
            | ArchiveError::OutsidePath(_)
            | ArchiveError::Symlink(_)
            | ArchiveError::BadEntry { .. }),
        ) => format!("The theme was not installed: {err}."),
        ThemeInstallError::Reserved(_) | ThemeInstallError::BadName(_) => {
            format!("The theme was not installed: {err}.")
        }
        ThemeInstallError::Theme(dateline_theme::ThemeError::Io { .. }) => return None,
        ThemeInstallError::Theme(err) => format!("The theme was not installed: {err}."),
        _ => return None,
    })
}

/// The use case's refusals as the admin shows them.
fn refusal(err: ThemeInstallError) -> PageError {
    match err {
        ThemeInstallError::App(err) => err.into(),
        ThemeInstallError::Unknown(_) => PageError::Http(HttpError::not_found()),
        other => PageError::Http(HttpError::internal(&other)),
    }
}

/// A theme named in the address: one of the installed ones, found in the list (so a made-up
/// name never reaches the file system).
async fn find(staff: &Staff, state: &AppState, name: &str) -> Result<Row, PageError> {
    state
        .app
        .staff_themes(&staff.actor(), &state.data_dir)
        .await
        .map_err(refusal)?
        .iter()
        .map(row)
        .find(|r| r.name == name)
        .ok_or_else(|| PageError::Http(HttpError::not_found()))
}

/// `GET /admin/themes/{name}/activate/`: asks first.
pub async fn confirm_activate(
    Allowed { staff, .. }: Allowed<Administrators>,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let theme = find(&staff, &state, &name).await?;
    confirm(
        &staff,
        Confirm {
            heading: format!("Make “{}” the site’s theme?", theme.title),
            message: "Readers see every page in the new theme from their next visit. You can switch back at any time.".into(),
            action: format!("/admin/themes/{name}/activate/"),
            button: "Activate theme".into(),
            back: "/admin/themes/".into(),
            primary: true,
        },
    )
}

/// `POST /admin/themes/{name}/activate/`.
pub async fn activate(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Posted { staff, .. }: Posted<Administrators>,
) -> Result<Response, PageError> {
    let theme = find(&staff, &state, &name).await?;
    state
        .app
        .staff_activate_theme(&staff.actor(), &state.data_dir, &name, |loaded| {
            state.theme.replace(loaded);
        })
        .await
        .map_err(refusal)?;
    Ok(redirect_naming("/admin/themes/", "activated", &theme.title))
}

/// `GET /admin/themes/{name}/delete/`: asks first.
pub async fn confirm_delete(
    Allowed { staff, .. }: Allowed<Administrators>,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let theme = find(&staff, &state, &name).await?;
    confirm(
        &staff,
        Confirm {
            heading: format!("Delete the theme “{}”?", theme.title),
            message:
                "Its files are removed from the site. Download it first if you may want it again."
                    .into(),
            action: format!("/admin/themes/{name}/delete/"),
            button: "Delete theme".into(),
            back: "/admin/themes/".into(),
            primary: false,
        },
    )
}

/// `POST /admin/themes/{name}/delete/`: never the active or the built-in theme.
pub async fn delete(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Posted { staff, .. }: Posted<Administrators>,
) -> Result<Response, PageError> {
    find(&staff, &state, &name).await?;
    let deleted = state
        .app
        .staff_delete_theme(&staff.actor(), &state.data_dir, &name)
        .await;
    match deleted {
        Ok(()) => Ok(redirect_naming("/admin/themes/", "deleted", &name)),
        Err(err @ (ThemeInstallError::Active(_) | ThemeInstallError::Builtin)) => {
            let outcome = Outcome {
                refused: Some(format!("{}.", capitalised(&err.to_string()))),
                ..Outcome::default()
            };
            page(
                &staff,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(outcome),
                None,
            )
            .await
        }
        Err(err) => Err(refusal(err)),
    }
}

/// `POST /admin/themes/{name}/settings/`: the theme's custom settings (`@custom`).
pub async fn save_settings(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Posted {
        staff, form: pairs, ..
    }: Posted<Administrators, Vec<(String, String)>>,
) -> Result<Response, PageError> {
    find(&staff, &state, &name).await?;
    let saved = state
        .app
        .save_theme_custom_settings(&staff.actor(), &state.data_dir, &name, &pairs, |theme| {
            state.theme.replace(theme);
        })
        .await;
    match saved {
        Ok(()) => Ok(Redirect::to("/admin/themes/?saved=1").into_response()),
        Err(ThemeInstallError::App(AppError::Invalid { message, .. })) => {
            page_with(
                &staff,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                None,
                Some(format!("{}.", capitalised(&message))),
            )
            .await
        }
        Err(err) => Err(refusal(err)),
    }
}

/// `GET /admin/themes/{name}/download/`: the theme as a ZIP archive.
pub async fn download(
    Allowed { staff, .. }: Allowed<Administrators>,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    find(&staff, &state, &name).await?;
    let bytes = state
        .app
        .staff_theme_archive(&staff.actor(), &state.data_dir, &name)
        .await
        .map_err(refusal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.zip\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
