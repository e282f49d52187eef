//! Installed themes: Ghost-style folders under `<data>/themes/<name>/`, and the `active_theme`
//! setting that says which one the site renders with (none: the built-in theme).
//!
//! A theme is checked before it is copied in, and loaded whole when the site starts or an
//! administrator activates it, so a broken theme is refused at install rather than discovered
//! by a reader. Themes arrive as folders (the
//! CLI) or as ZIP archives (the CLI and the Admin API's upload, see [`archive`]). Uploaded and
//! CLI-installed themes are also kept in the database for the other nodes (see [`stored`]).

pub mod archive;
mod custom;
mod stored;

use std::path::{Path, PathBuf};

use dateline_core::role::Role;
use dateline_core::settings::Setting;
use dateline_store::settings;
use dateline_theme::{Report, Theme, ThemeError};

use crate::admin::Actor;
use crate::{App, AppError, ContentChanged, Result};
pub use archive::ArchiveError;
pub use custom::CustomSetting;

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
#[derive(Debug, Clone, PartialEq)]
pub struct InstalledTheme {
    pub name: String,
    pub active: bool,
    /// Its `package.json`, as Ghost's Admin API shows it (`None` for the built-in theme).
    pub package: Option<serde_json::Value>,
    /// Templates an editor can pick for a post or page.
    pub templates: Vec<CustomTemplate>,
}

/// A template a post or page can choose, found by its file name as Ghost finds them:
/// `custom-{name}.hbs` for any post or page, `post-{slug}.hbs` and `page-{slug}.hbs` for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomTemplate {
    /// The file name without `.hbs` (`custom-full-width`).
    pub filename: String,
    /// What the editor shows (`Full Width`).
    pub name: String,
    /// `post`, `page` or both.
    pub for_types: Vec<&'static str>,
    /// The one post or page it is for, if any.
    pub slug: Option<String>,
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
    #[error("{} is neither a theme folder nor a .zip archive", .0.display())]
    NotATheme(PathBuf),
    #[error("{0}")]
    Archive(#[from] ArchiveError),
    #[error("no theme named {0} is installed")]
    Unknown(String),
    #[error("{0:?} is not a usable theme name (letters, digits, `-`, `_` and `.` only)")]
    BadName(String),
    /// The active theme is what the site renders with; another must be activated first.
    #[error("the theme {0} is active; activate another before deleting it")]
    Active(String),
    /// The built-in theme ships inside Dateline.
    #[error("the built-in theme is part of Dateline and cannot be deleted")]
    Builtin,
    /// The name `activate` takes for the built-in theme cannot also name an installed one.
    #[error("{0:?} names the built-in theme; give the theme another name in its package.json")]
    Reserved(String),
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
        // Themes uploaded on another node while this one was down arrive now.
        if let Err(err) = self.sync_themes(data_dir).await {
            tracing::warn!(error = %err, "cannot unpack the themes other nodes uploaded");
        }
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
        self.load_installed(&dir, &name).await
    }

    /// Makes the installed theme `name` the site's theme (`builtin` or `dateline` goes back to
    /// Dateline's own). A server started later renders with it; a running one only when told
    /// (see [`App::staff_activate_theme`]).
    pub async fn activate_theme(
        &self,
        data_dir: &Path,
        name: &str,
    ) -> std::result::Result<(), ThemeInstallError> {
        self.switch_theme(data_dir, name, |_| {}).await
    }

    /// Loads the theme `name`, records it as the active theme, hands it to `serve` (the
    /// running site puts it in service) and only then announces the change, so no page is
    /// rendered, and cached as current, with the old theme after the announcement.
    async fn switch_theme(
        &self,
        data_dir: &Path,
        name: &str,
        serve: impl FnOnce(Theme),
    ) -> std::result::Result<(), ThemeInstallError> {
        let (value, theme) = if BUILTIN_NAMES.contains(&name) {
            ("dateline".to_owned(), Theme::builtin()?)
        } else {
            let dir = themes_dir(data_dir).join(checked_name(name)?);
            if !dir.is_dir() {
                // Uploaded on another node: unpack its archive here first.
                self.sync_themes(data_dir).await?;
            }
            if !dir.is_dir() {
                return Err(ThemeInstallError::Unknown(name.to_owned()));
            }
            // Activation is refused for a theme that no longer loads, so a restart cannot fail.
            (name.to_owned(), self.load_installed(&dir, name).await?)
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
        serve(theme);
        self.events.emit(ContentChanged::Everything);
        Ok(())
    }

    /// The installed themes, by name, and which one is active.
    pub async fn list_themes(
        &self,
        data_dir: &Path,
    ) -> std::result::Result<Vec<InstalledTheme>, ThemeInstallError> {
        if let Err(err) = self.sync_themes(data_dir).await {
            tracing::warn!(error = %err, "cannot unpack the themes other nodes uploaded");
        }
        let active = self.active_theme().await?;
        let dir = themes_dir(data_dir);
        let mut themes = vec![builtin(active.is_none())];
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
            let name = entry.file_name().to_string_lossy().into_owned();
            // Hidden folders are installs and uploads in progress.
            if entry.path().is_dir() && !name.starts_with('.') {
                names.push(name);
            }
        }
        names.sort();
        for name in names {
            themes.push(installed(&dir, name, active.as_deref())?);
        }
        Ok(themes)
    }

    /// The Admin API's theme list (administrators and integrations).
    pub async fn staff_themes(
        &self,
        actor: &Actor,
        data_dir: &Path,
    ) -> std::result::Result<Vec<InstalledTheme>, ThemeInstallError> {
        actor.require(Role::Administrator)?;
        self.list_themes(data_dir).await
    }

    /// The Admin API's upload: installs the theme in the ZIP archive `bytes` (replacing an
    /// installed theme of the same name) and returns it with the check's warnings. New files
    /// for the active theme are handed to `serve` at once, as Ghost reloads it.
    pub async fn upload_theme(
        &self,
        actor: &Actor,
        data_dir: &Path,
        bytes: Vec<u8>,
        serve: impl FnOnce(Theme),
    ) -> std::result::Result<(InstalledTheme, Report), ThemeInstallError> {
        actor.require(Role::Administrator)?;
        let data = data_dir.to_path_buf();
        // Inflating, checking and copying are blocking work; the async workers must not wait.
        let (outcome, bytes) =
            tokio::task::spawn_blocking(move || (install_archive(&data, &bytes), bytes))
                .await
                .map_err(|err| ThemeInstallError::Io {
                    path: themes_dir(data_dir),
                    source: std::io::Error::other(err),
                })?;
        let (name, report) = outcome?;
        self.keep_archive(data_dir, &name, &bytes).await?;
        if self.active_theme().await?.as_deref() == Some(name.as_str()) {
            self.switch_theme(data_dir, &name, serve).await?;
        } else {
            // Other nodes unpack the new archive when they hear of a change.
            self.events.emit(ContentChanged::Everything);
        }
        let active = self.active_theme().await?;
        let theme = installed(&themes_dir(data_dir), name, active.as_deref())?;
        Ok((theme, report))
    }

    /// The Admin API's activation: the installed theme `name` (or `builtin`) becomes the
    /// site's theme, is handed to `serve` to render from the next request, and is returned
    /// with what its check finds now (the built-in theme is not checked).
    pub async fn staff_activate_theme(
        &self,
        actor: &Actor,
        data_dir: &Path,
        name: &str,
        serve: impl FnOnce(Theme),
    ) -> std::result::Result<(InstalledTheme, Option<Report>), ThemeInstallError> {
        actor.require(Role::Administrator)?;
        if BUILTIN_NAMES.contains(&name) {
            self.switch_theme(data_dir, name, serve).await?;
            return Ok((builtin(true), None));
        }
        let dir = themes_dir(data_dir);
        let folder = dir.join(checked_name(name)?);
        if !folder.is_dir() {
            return Err(ThemeInstallError::Unknown(name.to_owned()));
        }
        let report = dateline_theme::check_dir(&folder)?;
        self.switch_theme(data_dir, name, serve).await?;
        Ok((installed(&dir, name.to_owned(), Some(name))?, Some(report)))
    }

    /// The Admin API's active theme, with what its check finds now.
    pub async fn staff_current_theme(
        &self,
        actor: &Actor,
        data_dir: &Path,
    ) -> std::result::Result<(InstalledTheme, Option<Report>), ThemeInstallError> {
        actor.require(Role::Administrator)?;
        let Some(name) = self.active_theme().await? else {
            return Ok((builtin(true), None));
        };
        let dir = themes_dir(data_dir);
        let folder = dir.join(checked_name(&name)?);
        if !folder.is_dir() {
            // Not installed here: the site renders with the built-in theme (see
            // `load_active_theme`), and says so.
            return Ok((builtin(true), None));
        }
        let report = dateline_theme::check_dir(&folder)?;
        Ok((installed(&dir, name.clone(), Some(&name))?, Some(report)))
    }

    /// The installed theme `name` as a ZIP archive: the one it was uploaded as, or its folder
    /// packed now (a theme installed by the CLI).
    pub async fn staff_theme_archive(
        &self,
        actor: &Actor,
        data_dir: &Path,
        name: &str,
    ) -> std::result::Result<Vec<u8>, ThemeInstallError> {
        actor.require(Role::Administrator)?;
        if BUILTIN_NAMES.contains(&name) {
            return Err(ThemeInstallError::Builtin);
        }
        let folder = themes_dir(data_dir).join(checked_name(name)?);
        if !folder.is_dir() {
            return Err(ThemeInstallError::Unknown(name.to_owned()));
        }
        if let Some(bytes) = self.stored_archive(name).await? {
            return Ok(bytes);
        }
        let name = name.to_owned();
        tokio::task::spawn_blocking(move || archive::pack(&folder, &name))
            .await
            .map_err(|err| ThemeInstallError::Io {
                path: themes_dir(data_dir),
                source: std::io::Error::other(err),
            })?
            .map_err(ThemeInstallError::from)
    }

    /// Removes the installed theme `name`; the active theme and the built-in one stay.
    pub async fn staff_delete_theme(
        &self,
        actor: &Actor,
        data_dir: &Path,
        name: &str,
    ) -> std::result::Result<(), ThemeInstallError> {
        actor.require(Role::Administrator)?;
        if BUILTIN_NAMES.contains(&name) {
            return Err(ThemeInstallError::Builtin);
        }
        let folder = themes_dir(data_dir).join(checked_name(name)?);
        if !folder.is_dir() {
            return Err(ThemeInstallError::Unknown(name.to_owned()));
        }
        if self.active_theme().await?.as_deref() == Some(name) {
            return Err(ThemeInstallError::Active(name.to_owned()));
        }
        self.forget_archive(data_dir, name).await?;
        std::fs::remove_dir_all(&folder).map_err(|source| ThemeInstallError::Io {
            path: folder.clone(),
            source,
        })?;
        // Other nodes remove their copies when they hear of the change.
        self.events.emit(ContentChanged::Everything);
        Ok(())
    }
}

/// The built-in theme as the theme list shows it.
fn builtin(active: bool) -> InstalledTheme {
    InstalledTheme {
        name: "builtin".to_owned(),
        active,
        package: None,
        templates: Vec::new(),
    }
}

/// The installed theme `name` in `themes`, with its `package.json` and custom templates.
fn installed(
    themes: &Path,
    name: String,
    active: Option<&str>,
) -> std::result::Result<InstalledTheme, ThemeInstallError> {
    let dir = themes.join(&name);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ThemeInstallError::Io { path, source }
    };
    let package_file = dir.join("package.json");
    // The check let the theme in with a valid `package.json`; one edited since shows as none.
    let package = match std::fs::read(&package_file) {
        Ok(bytes) => serde_json::from_slice(&bytes).ok(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(io(&package_file)(source)),
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
        let entry = entry.map_err(io(&dir))?;
        if let Some(stem) = entry.file_name().to_string_lossy().strip_suffix(".hbs") {
            files.push(stem.to_owned());
        }
    }
    files.sort();
    Ok(InstalledTheme {
        active: active == Some(name.as_str()),
        name,
        package,
        templates: files.iter().filter_map(|f| custom_template(f)).collect(),
    })
}

/// The custom template a top-level template file offers, if it offers one.
fn custom_template(filename: &str) -> Option<CustomTemplate> {
    let (rest, for_types, slug) = if let Some(rest) = filename.strip_prefix("custom-") {
        (rest, vec!["page", "post"], None)
    } else if let Some(slug) = filename.strip_prefix("post-") {
        (slug, vec!["post"], Some(slug.to_owned()))
    } else if let Some(slug) = filename.strip_prefix("page-") {
        (slug, vec!["page"], Some(slug.to_owned()))
    } else {
        return None;
    };
    if rest.is_empty() {
        return None;
    }
    let name = rest
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect::<Vec<_>>()
        .join(" ");
    Some(CustomTemplate {
        filename: filename.to_owned(),
        name,
        for_types,
        slug,
    })
}

/// Checks the theme at `source` (a folder, or a `.zip` archive laid out as Ghost's theme zips
/// are) and copies it to `<data>/themes/<name>/`, where `name` is its `package.json` name. A
/// theme with errors is refused; the report (with warnings only) is returned for the caller to
/// show.
pub fn install_theme(
    data_dir: &Path,
    source: &Path,
) -> std::result::Result<(String, Report), ThemeInstallError> {
    if source.is_dir() {
        return install_dir(data_dir, source);
    }
    let is_zip = source
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("zip"));
    if !source.is_file() || !is_zip {
        return Err(ThemeInstallError::NotATheme(source.to_path_buf()));
    }
    let io = |err| ThemeInstallError::Io {
        path: source.to_path_buf(),
        source: err,
    };
    let size = std::fs::metadata(source).map_err(io)?.len();
    if size > archive::MAX_ARCHIVE_BYTES as u64 {
        return Err(ArchiveError::ArchiveTooLarge.into());
    }
    let bytes = std::fs::read(source).map_err(io)?;
    install_archive(data_dir, &bytes)
}

/// Unpacks the ZIP archive `bytes` beside the installed themes, then installs it as a folder.
pub fn install_archive(
    data_dir: &Path,
    bytes: &[u8],
) -> std::result::Result<(String, Report), ThemeInstallError> {
    let themes = themes_dir(data_dir);
    let io = |source| ThemeInstallError::Io {
        path: themes.clone(),
        source,
    };
    std::fs::create_dir_all(&themes).map_err(io)?;
    // A hidden folder, removed when dropped, so `list` never shows a half-unpacked upload.
    let unpacked = tempfile::Builder::new()
        .prefix(".upload-")
        .tempdir_in(&themes)
        .map_err(io)?;
    let root = archive::unpack(bytes, unpacked.path())?;
    install_dir(data_dir, &root)
}

fn install_dir(
    data_dir: &Path,
    source: &Path,
) -> std::result::Result<(String, Report), ThemeInstallError> {
    let report = dateline_theme::check_dir(source)?;
    if report.has_errors() {
        return Err(ThemeInstallError::Refused(report));
    }
    let name = checked_name(report.name())?.to_owned();
    if BUILTIN_NAMES.contains(&name.as_str()) {
        return Err(ThemeInstallError::Reserved(name));
    }
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
    use super::{checked_name, custom_template};

    #[test]
    fn custom_templates_are_found_by_file_name() {
        let full = custom_template("custom-full-width").unwrap();
        assert_eq!(full.name, "Full Width");
        assert_eq!(full.for_types, ["page", "post"]);
        assert_eq!(full.slug, None);
        let about = custom_template("page-about-us").unwrap();
        assert_eq!(
            (about.name.as_str(), about.for_types, about.slug.as_deref()),
            ("About Us", vec!["page"], Some("about-us"))
        );
        assert_eq!(custom_template("post").map(|t| t.filename), None);
        assert_eq!(custom_template("custom-").map(|t| t.filename), None);
        assert_eq!(custom_template("index").map(|t| t.filename), None);
    }

    #[test]
    fn theme_names_cannot_leave_the_themes_folder() {
        assert!(checked_name("casper").is_ok());
        assert!(checked_name("my_theme-2.0").is_ok());
        for bad in ["", "..", "../x", "a/b", ".hidden", "a b"] {
            assert!(checked_name(bad).is_err(), "{bad}");
        }
    }
}
