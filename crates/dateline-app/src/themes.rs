//! Installed themes: Ghost-style folders under `<data>/themes/<name>/`, and the `active_theme`
//! setting that says which one the site renders with (none: the built-in theme).
//!
//! A theme is checked before it is copied in and loaded whole when the site starts, so a broken
//! theme is refused at install rather than discovered by a reader.

use std::path::{Path, PathBuf};

use dateline_core::settings::Setting;
use dateline_store::settings;
use dateline_theme::{Report, Theme, ThemeError};

use crate::{App, AppError, ContentChanged, Result};

/// The settings key Ghost uses for the active theme.
const ACTIVE_THEME: &str = "active_theme";

/// What the `active_theme` setting holds for the built-in theme: nothing, Dateline's default
/// `dateline`, or the `builtin` that `dateline theme activate builtin` takes.
const BUILTIN_NAMES: &[&str] = &["", "dateline", "builtin"];

/// Where a site's themes live.
pub fn themes_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("themes")
}

/// A theme the site has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledTheme {
    pub name: String,
    pub active: bool,
}

/// Why a theme could not be installed or loaded.
#[derive(Debug, thiserror::Error)]
pub enum ThemeInstallError {
    #[error("{0}")]
    App(#[from] AppError),
    #[error("{0}")]
    Theme(#[from] ThemeError),
    /// The check found errors; the report names each with its file and line.
    #[error("the theme has errors:\n{0}")]
    Refused(Report),
    #[error("cannot copy the theme into {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// ZIP archives are not read yet; Ghost's themes ship as folders in its npm package.
    #[error("{} is not a theme folder (unpack a .zip first)", .0.display())]
    NotAFolder(PathBuf),
    #[error("no theme named {0} is installed")]
    Unknown(String),
    #[error("{0:?} is not a usable theme name (letters, digits, `-`, `_` and `.` only)")]
    BadName(String),
}

impl App {
    /// The name of the active theme, or `None` for the built-in one (which a new site's
    /// settings call `dateline`).
    pub async fn active_theme(&self) -> Result<Option<String>> {
        let settings = self.settings().await?;
        Ok(settings
            .get(ACTIVE_THEME)
            .filter(|name| !BUILTIN_NAMES.contains(name))
            .map(str::to_owned))
    }

    /// The theme the site renders with: the active theme's folder, or the built-in theme when
    /// no theme is active or the active one is not installed here (a site moved without its
    /// `themes/` folder still serves its pages, and says why in the log).
    pub async fn load_active_theme(
        &self,
        data_dir: &Path,
    ) -> std::result::Result<Theme, ThemeInstallError> {
        let Some(name) = self.active_theme().await? else {
            return Ok(Theme::builtin()?);
        };
        let dir = themes_dir(data_dir).join(checked_name(&name)?);
        if !dir.is_dir() {
            tracing::warn!(
                theme = name,
                folder = %dir.display(),
                "the active theme is not installed; rendering with the built-in theme"
            );
            return Ok(Theme::builtin()?);
        }
        Ok(Theme::from_dir(&dir)?)
    }

    /// Makes the installed theme `name` the site's theme (`builtin` or `dateline` goes back to
    /// Dateline's own).
    /// The server picks it up when it next starts.
    pub async fn activate_theme(
        &self,
        data_dir: &Path,
        name: &str,
    ) -> std::result::Result<(), ThemeInstallError> {
        let value = if BUILTIN_NAMES.contains(&name) {
            "dateline".to_owned()
        } else {
            let dir = themes_dir(data_dir).join(checked_name(name)?);
            if !dir.is_dir() {
                return Err(ThemeInstallError::Unknown(name.to_owned()));
            }
            // Activation is refused for a theme that no longer loads, so a restart cannot fail.
            Theme::from_dir(&dir)?;
            name.to_owned()
        };
        let setting = Setting {
            key: ACTIVE_THEME.to_owned(),
            value: Some(value),
            group: "theme".to_owned(),
            value_type: "string".to_owned(),
            flags: Some("RO".to_owned()),
        };
        let mut tx = self.store.begin().await.map_err(AppError::from)?;
        settings::upsert(&mut tx, &setting, jiff::Timestamp::now())
            .await
            .map_err(AppError::from)?;
        tx.commit().await.map_err(AppError::from)?;
        self.events.emit(ContentChanged::Everything);
        Ok(())
    }

    /// The installed themes, by name, and which one is active.
    pub async fn list_themes(
        &self,
        data_dir: &Path,
    ) -> std::result::Result<Vec<InstalledTheme>, ThemeInstallError> {
        let active = self.active_theme().await?;
        let dir = themes_dir(data_dir);
        let mut themes = vec![InstalledTheme {
            name: "builtin".to_owned(),
            active: active.is_none(),
        }];
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(themes),
            Err(source) => return Err(ThemeInstallError::Io { path: dir, source }),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| ThemeInstallError::Io {
                path: dir.clone(),
                source,
            })?;
            if entry.path().is_dir() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        themes.extend(names.into_iter().map(|name| InstalledTheme {
            active: active.as_deref() == Some(name.as_str()),
            name,
        }));
        Ok(themes)
    }
}

/// Checks the theme folder at `source` and copies it to `<data>/themes/<name>/`, where `name`
/// is its `package.json` name. A theme with errors is refused; the report (with warnings
/// only) is returned for the caller to show.
pub fn install_theme(
    data_dir: &Path,
    source: &Path,
) -> std::result::Result<(String, Report), ThemeInstallError> {
    if !source.is_dir() {
        return Err(ThemeInstallError::NotAFolder(source.to_path_buf()));
    }
    let report = dateline_theme::check_dir(source)?;
    if report.has_errors() {
        return Err(ThemeInstallError::Refused(report));
    }
    let name = checked_name(report.name())?.to_owned();
    let themes = themes_dir(data_dir);
    let target = themes.join(&name);
    // Copy beside the target and rename, so a failed copy never leaves half a theme under the
    // name the site would load.
    let partial = themes.join(format!(".{name}.partial"));
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ThemeInstallError::Io { path, source }
    };
    if partial.exists() {
        std::fs::remove_dir_all(&partial).map_err(io(&partial))?;
    }
    copy_dir(source, &partial).map_err(io(&partial))?;
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(io(&target))?;
    }
    std::fs::rename(&partial, &target).map_err(io(&target))?;
    Ok((name, report))
}

/// Theme names become folder names: nothing that could climb out of `<data>/themes/`.
fn checked_name(name: &str) -> std::result::Result<&str, ThemeInstallError> {
    let valid = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(name)
    } else {
        Err(ThemeInstallError::BadName(name.to_owned()))
    }
}

/// Copies a folder recursively, skipping hidden entries and `node_modules` (a developer's
/// checkout has both; the site needs neither).
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if text.starts_with('.') || text == "node_modules" {
            continue;
        }
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            copy_dir(&entry.path(), &to.join(&name))?;
        } else if file_type.is_file() {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::checked_name;

    #[test]
    fn theme_names_cannot_leave_the_themes_folder() {
        assert!(checked_name("casper").is_ok());
        assert!(checked_name("my_theme-2.0").is_ok());
        for bad in ["", "..", "../x", "a/b", ".hidden", "a b"] {
            assert!(checked_name(bad).is_err(), "{bad}");
        }
    }
}
