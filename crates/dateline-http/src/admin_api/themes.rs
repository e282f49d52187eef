//! `/themes/`: list, upload, activate, the active theme and delete, on Ghost's wire format. An upload is a ZIP archive in
//! the multipart field `file`; it is checked as Ghost's `gscan` checks it, refused with the
//! errors, or installed and answered with the warnings. The upload route has its own body
//! limit (a theme with fonts is tens of MB), set in the router. Activating a theme, or
//! uploading the active one again, puts it in service at once.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use dateline_app::themes::{ArchiveError, InstalledTheme, ThemeInstallError};
use dateline_theme::{Finding, Report, Severity};
use serde_json::{Value, json};

use super::Authenticated;
use crate::AppState;
use crate::error::HttpError;

pub async fn browse(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
) -> Result<Json<Value>, HttpError> {
    let themes = state
        .app
        .staff_themes(&actor, &state.data_dir)
        .await
        .map_err(refused)?;
    let themes: Vec<Value> = themes.iter().map(|t| theme(t, None)).collect();
    Ok(Json(json!({ "themes": themes })))
}

pub async fn upload(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    mut multipart: Multipart,
) -> Result<Json<Value>, HttpError> {
    let mut archive = None;
    while let Some(field) = multipart.next_field().await? {
        if field.name() == Some("file") {
            archive = Some(field.bytes().await?.to_vec());
        }
    }
    let Some(bytes) = archive else {
        return Err(HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "ValidationError",
            "Please select a zip file.",
        )
        .with_context("Send the theme's .zip in a multipart field named `file`."));
    };
    let (installed, report) = state
        .app
        .upload_theme(&actor, &state.data_dir, bytes, |theme| {
            state.theme.replace(theme);
        })
        .await
        .map_err(refused)?;
    Ok(Json(
        json!({ "themes": [theme(&installed, Some(&report))] }),
    ))
}

pub async fn activate(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let (installed, report) = state
        .app
        .staff_activate_theme(&actor, &state.data_dir, &name, |theme| {
            state.theme.replace(theme);
        })
        .await
        .map_err(refused)?;
    Ok(Json(
        json!({ "themes": [theme(&installed, report.as_ref())] }),
    ))
}

/// `GET /themes/active/`: the theme the site renders with, checked now (the built-in theme
/// is listed as `builtin`).
pub async fn active(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
) -> Result<Json<Value>, HttpError> {
    let (installed, report) = state
        .app
        .staff_current_theme(&actor, &state.data_dir)
        .await
        .map_err(refused)?;
    Ok(Json(
        json!({ "themes": [theme(&installed, report.as_ref())] }),
    ))
}

pub async fn delete(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<StatusCode, HttpError> {
    state
        .app
        .staff_delete_theme(&actor, &state.data_dir, &name)
        .await
        .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A theme as Ghost's Admin API shows it; `package` is `false` without a `package.json`, and
/// a checked theme carries the check's `warnings`.
fn theme(theme: &InstalledTheme, report: Option<&Report>) -> Value {
    let templates: Vec<Value> = theme
        .templates
        .iter()
        .map(|t| {
            json!({
                "filename": t.filename,
                "name": t.name,
                "for": t.for_types,
                "slug": t.slug,
            })
        })
        .collect();
    let mut value = json!({
        "name": theme.name,
        "package": theme.package.clone().unwrap_or(Value::Bool(false)),
        "active": theme.active,
        "templates": templates,
    });
    if let Some(report) = report {
        value["warnings"] = findings(report, Severity::Warning);
    }
    value
}

/// Findings of one severity in the shape of Ghost's `gscan` results: the rule broken and where.
fn findings(report: &Report, severity: Severity) -> Value {
    report
        .findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(finding)
        .collect()
}

fn finding(f: &Finding) -> Value {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    json!({
        "level": level,
        "rule": f.message,
        "failures": [{ "ref": f.file, "line": f.line }],
    })
}

/// Ghost's answers for a theme it does not take.
fn refused(err: ThemeInstallError) -> HttpError {
    let invalid = |message: String| {
        HttpError::new(StatusCode::UNPROCESSABLE_ENTITY, "ValidationError", message)
    };
    match err {
        ThemeInstallError::App(err) => err.into(),
        ThemeInstallError::Refused(report) => HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "ThemeValidationError",
            format!(
                "Theme \"{}\" is not compatible or contains errors.",
                report.name()
            ),
        )
        // Every error with its file and line, in the form `dateline theme check` prints.
        .with_context(report.to_string().trim_end())
        // And for programs, gscan's results as Ghost passes them on.
        .with_details(json!({
            "checkedVersion": "5.x",
            "name": report.name(),
            "errors": findings(&report, Severity::Error),
            "warnings": findings(&report, Severity::Warning),
        })),
        ThemeInstallError::Unknown(name) => HttpError::new(
            StatusCode::NOT_FOUND,
            "NotFoundError",
            format!("Theme \"{name}\" does not exist."),
        ),
        ThemeInstallError::Archive(ArchiveError::NotAZip(reason)) => HttpError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaTypeError",
            "Please select a valid zip file.",
        )
        .with_context(reason),
        ThemeInstallError::Archive(
            err @ (ArchiveError::ArchiveTooLarge
            | ArchiveError::UnpacksTooLarge
            | ArchiveError::TooManyEntries),
        ) => HttpError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLargeError",
            "Request is larger than the maximum file size.",
        )
        .with_context(err.to_string()),
        ThemeInstallError::Archive(
            err @ (ArchiveError::OutsidePath(_)
            | ArchiveError::Symlink(_)
            | ArchiveError::BadEntry { .. }),
        ) => invalid(err.to_string()),
        err @ ThemeInstallError::Theme(dateline_theme::ThemeError::Io { .. }) => {
            HttpError::internal(&err)
        }
        err @ (ThemeInstallError::Theme(_)
        | ThemeInstallError::Active(_)
        | ThemeInstallError::Builtin
        | ThemeInstallError::BadName(_)
        | ThemeInstallError::Reserved(_)) => invalid(err.to_string()),
        err @ (ThemeInstallError::Io { .. }
        | ThemeInstallError::Archive(ArchiveError::Io { .. })
        | ThemeInstallError::NotATheme(_)) => HttpError::internal(&err),
    }
}
