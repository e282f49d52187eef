//! A theme's custom settings: what its `package.json` declares under `config.custom` (a
//! select, boolean, color, image or text, each with a default) and the values an administrator
//! chose, kept per theme in `custom_theme_settings` as Ghost keeps them. Themes read them as
//! `@custom`; the loaded theme carries them ([`Theme::with_custom`]), so a render stays free of
//! I/O, and saving puts the theme back in service with the new values.

use std::path::Path;

use dateline_core::role::Role;
use dateline_store::custom_theme_settings::{self, CustomValue};
use dateline_theme::Theme;
use serde_json::{Map, Value as Json};

use super::{BUILTIN_NAMES, ThemeInstallError, checked_name, installed, themes_dir};
use crate::admin::Actor;
use crate::{App, AppError, ContentChanged};

/// The kinds of setting Ghost's themes declare.
const KINDS: &[&str] = &["select", "boolean", "color", "image", "text"];

/// Longest text value kept: themes use text settings for a line or two.
const MAX_TEXT: usize = 2_000;

/// One custom setting of a theme, with its value now.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomSetting {
    pub key: String,
    /// `select`, `boolean`, `color`, `image` or `text`.
    pub kind: String,
    /// A select's choices.
    pub options: Vec<String>,
    pub description: Option<String>,
    /// `@custom`'s value: the saved one, else the theme's default.
    pub value: Json,
}

/// The settings `package` declares, with their defaults as values; unknown kinds are skipped
/// (the check warns about them).
fn declared(package: Option<&Json>) -> Vec<CustomSetting> {
    let Some(custom) = package
        .and_then(|p| p.pointer("/config/custom"))
        .and_then(Json::as_object)
    else {
        return Vec::new();
    };
    custom
        .iter()
        .filter_map(|(key, definition)| {
            let kind = definition.get("type")?.as_str()?;
            KINDS.contains(&kind).then(|| CustomSetting {
                key: key.clone(),
                kind: kind.to_owned(),
                options: definition
                    .get("options")
                    .and_then(Json::as_array)
                    .map(|o| {
                        o.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
                description: definition
                    .get("description")
                    .and_then(Json::as_str)
                    .map(str::to_owned),
                value: definition.get("default").cloned().unwrap_or(Json::Null),
            })
        })
        .collect()
}

/// A saved value as `@custom` holds it.
fn as_json(value: &CustomValue) -> Json {
    match (value.kind.as_str(), value.value.as_deref()) {
        ("boolean", Some(v)) => Json::Bool(v == "true"),
        (_, None) => Json::Null,
        (_, Some(v)) => Json::String(v.to_owned()),
    }
}

/// Checks `typed` (what the form sent; `None` for an unticked box) for `setting`, giving the
/// text to store.
fn parse(setting: &CustomSetting, typed: Option<&str>) -> Result<Option<String>, AppError> {
    let typed = typed.map(str::trim).unwrap_or("");
    let invalid = |message: String| AppError::invalid("custom", message);
    match setting.kind.as_str() {
        "boolean" => Ok(Some((typed == "true").to_string())),
        "select" if setting.options.iter().any(|o| o == typed) => Ok(Some(typed.to_owned())),
        "select" => Err(invalid(format!(
            "“{typed}” is not one of the choices for {}",
            setting.key
        ))),
        "color" => {
            let digits = typed.strip_prefix('#').unwrap_or(typed);
            if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(Some(format!("#{}", digits.to_ascii_lowercase())))
            } else {
                Err(invalid(format!(
                    "“{typed}” is not a colour; write it as six hex digits, like #15171a"
                )))
            }
        }
        "image" if typed.is_empty() => Ok(None),
        "image" => {
            let lower = typed.to_ascii_lowercase();
            let address = ["https://", "http://", "/", "__ghost_url__/"]
                .iter()
                .any(|p| lower.starts_with(p));
            if address {
                Ok(Some(typed.to_owned()))
            } else {
                Err(invalid(format!(
                    "“{typed}” is not an image address; use one like /content/images/…"
                )))
            }
        }
        _ if typed.chars().count() > MAX_TEXT => Err(invalid(format!(
            "{} is longer than {MAX_TEXT} characters",
            setting.key
        ))),
        _ => Ok(Some(typed.to_owned())),
    }
}

impl App {
    /// The saved custom setting values of the theme `name`, as `@custom` holds them.
    pub(super) async fn custom_values(
        &self,
        name: &str,
    ) -> Result<Map<String, Json>, ThemeInstallError> {
        let mut db = self.store.reader().await.map_err(AppError::from)?;
        let saved = custom_theme_settings::of_theme(&mut db, name)
            .await
            .map_err(AppError::from)?;
        Ok(saved.iter().map(|v| (v.key.clone(), as_json(v))).collect())
    }

    /// The installed theme `name` loaded from `dir`, with the site's custom setting values.
    pub(super) async fn load_installed(
        &self,
        dir: &Path,
        name: &str,
    ) -> Result<Theme, ThemeInstallError> {
        let values = self.custom_values(name).await?;
        Ok(Theme::from_dir(dir)?.with_custom(values))
    }

    /// The custom settings the installed theme `name` declares, with their values now.
    pub async fn theme_custom_settings(
        &self,
        actor: &Actor,
        data_dir: &Path,
        name: &str,
    ) -> Result<Vec<CustomSetting>, ThemeInstallError> {
        actor.require(Role::Administrator)?;
        if BUILTIN_NAMES.contains(&name) {
            return Ok(Vec::new());
        }
        let dir = themes_dir(data_dir);
        if !dir.join(checked_name(name)?).is_dir() {
            return Err(ThemeInstallError::Unknown(name.to_owned()));
        }
        let theme = installed(&dir, name.to_owned(), None)?;
        let saved = self.custom_values(name).await?;
        Ok(declared(theme.package.as_ref())
            .into_iter()
            .map(|mut setting| {
                if let Some(value) = saved.get(&setting.key) {
                    setting.value = value.clone();
                }
                setting
            })
            .collect())
    }

    /// Saves the custom settings of the theme `name` from `typed` (key, value; the last value
    /// of a key counts, a boolean missing is false). Every value is checked before any is
    /// written; when the theme is active, it is handed to `serve` with the new values.
    pub async fn save_theme_custom_settings(
        &self,
        actor: &Actor,
        data_dir: &Path,
        name: &str,
        typed: &[(String, String)],
        serve: impl FnOnce(Theme),
    ) -> Result<(), ThemeInstallError> {
        let settings = self.theme_custom_settings(actor, data_dir, name).await?;
        let mut values = Vec::with_capacity(settings.len());
        for setting in &settings {
            let sent = typed
                .iter()
                .rev()
                .find(|(k, _)| *k == setting.key)
                .map(|(_, v)| v.as_str());
            values.push(CustomValue {
                key: setting.key.clone(),
                kind: setting.kind.clone(),
                value: parse(setting, sent)?,
            });
        }
        let mut tx = self.store.begin().await.map_err(AppError::from)?;
        for value in &values {
            custom_theme_settings::put(&mut tx, name, value)
                .await
                .map_err(AppError::from)?;
        }
        tx.commit().await.map_err(AppError::from)?;
        if self.active_theme().await?.as_deref() == Some(name) {
            let dir = themes_dir(data_dir).join(checked_name(name)?);
            serve(self.load_installed(&dir, name).await?);
        }
        self.events.emit(ContentChanged::Everything);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn declared_settings_and_their_checks() {
        let package = json!({"config": {"custom": {
            "layout": {"type": "select", "options": ["Logo", "Stacked"], "default": "Logo"},
            "dark": {"type": "boolean", "default": false},
            "accent": {"type": "color", "default": "#ff0000"},
            "odd": {"type": "weird"}
        }}});
        let settings = declared(Some(&package));
        let keys: Vec<&str> = settings.iter().map(|s| s.key.as_str()).collect();
        // In the theme's order, which is the order the admin shows them in.
        assert_eq!(keys, ["layout", "dark", "accent"]);
        let layout = &settings[0];
        assert_eq!(layout.options, ["Logo", "Stacked"]);
        assert_eq!(layout.value, json!("Logo"));
        assert_eq!(
            parse(layout, Some("Stacked")).unwrap().as_deref(),
            Some("Stacked")
        );
        assert!(parse(layout, Some("Other")).is_err());
        assert_eq!(parse(&settings[1], None).unwrap().as_deref(), Some("false"));
        assert_eq!(
            parse(&settings[2], Some("AABBCC")).unwrap().as_deref(),
            Some("#aabbcc")
        );
        assert!(parse(&settings[2], Some("red")).is_err());
    }
}
