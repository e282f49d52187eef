//! `/admin/settings/`: the site's title, description, accent colour, timezone, locale and its
//! two navigation menus, for administrators and the owner (as in Ghost). Saved through
//! `App::edit_settings`, the Admin API's use case, so every key is written together or not at
//! all. The brand images (logo, icon, cover image) have small forms of their own beside it,
//! since a file upload cannot ride in the main form without making every save an upload: the
//! image is checked and stored as the editor's uploads are (`App::upload_image`), then set with
//! `App::set_brand_image`.
//!
//! The navigation editor works without a script: each row is a label and an address, and the
//! up, down, remove and add buttons submit the form, which comes back rearranged and not yet
//! saved; only Save writes. Rows left empty are dropped.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_app::brand_images::BRAND_IMAGES;
use dateline_app::images::ImageError;
use dateline_core::settings::Settings;
use dateline_media::MediaError;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::forbidden::PageError;
use super::guard::{Administrators, Allowed, Posted, admit};
use super::pages::Notice;
use super::{Staff, templates};
use crate::AppState;
use crate::error::HttpError;

/// One link of a navigation menu, as Ghost stores it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
struct Link {
    label: String,
    url: String,
}

/// The form as typed, kept when a save fails or a row is moved.
#[derive(Debug, Default, Serialize)]
struct SettingsForm {
    title: String,
    description: String,
    accent_color: String,
    timezone: String,
    locale: String,
    primary: Vec<Link>,
    secondary: Vec<Link>,
}

impl SettingsForm {
    fn from_settings(settings: &Settings) -> SettingsForm {
        let text = |key: &str| settings.get(key).unwrap_or("").to_owned();
        let menu = |key: &str| -> Vec<Link> {
            settings
                .get(key)
                .and_then(|v| serde_json::from_str(v).ok())
                .unwrap_or_default()
        };
        SettingsForm {
            title: settings.title().to_owned(),
            description: text("description"),
            accent_color: text("accent_color"),
            timezone: settings.timezone().to_owned(),
            locale: settings.locale().to_owned(),
            primary: menu("navigation"),
            secondary: menu("secondary_navigation"),
        }
    }

    /// The posted fields, in their order (the menus' rows are repeated fields), and the button
    /// that sent them.
    fn from_pairs(pairs: Vec<(String, String)>) -> (SettingsForm, String) {
        let mut form = SettingsForm::default();
        let mut action = String::new();
        let mut labels: [Vec<String>; 2] = Default::default();
        let mut urls: [Vec<String>; 2] = Default::default();
        for (key, value) in pairs {
            match key.as_str() {
                "action" => action = value,
                "title" => form.title = value,
                "description" => form.description = value,
                "accent_color" => form.accent_color = value,
                "timezone" => form.timezone = value,
                "locale" => form.locale = value,
                "primary_label" => labels[0].push(value),
                "primary_url" => urls[0].push(value),
                "secondary_label" => labels[1].push(value),
                "secondary_url" => urls[1].push(value),
                _ => {}
            }
        }
        let [primary_labels, secondary_labels] = labels;
        let [primary_urls, secondary_urls] = urls;
        let rows = |labels: Vec<String>, urls: Vec<String>| -> Vec<Link> {
            labels
                .into_iter()
                .zip(urls)
                .map(|(label, url)| Link { label, url })
                .collect()
        };
        form.primary = rows(primary_labels, primary_urls);
        form.secondary = rows(secondary_labels, secondary_urls);
        (form, action)
    }

    /// Applies a row button (`primary-up-2`, `secondary-add`); false for anything else.
    fn rearrange(&mut self, action: &str) -> bool {
        let mut parts = action.split('-');
        let menu = match parts.next() {
            Some("primary") => &mut self.primary,
            Some("secondary") => &mut self.secondary,
            _ => return false,
        };
        let verb = parts.next().unwrap_or("");
        let at: Option<usize> = parts.next().and_then(|n| n.parse().ok());
        match (verb, at) {
            ("add", _) => menu.push(Link::default()),
            ("remove", Some(i)) if i < menu.len() => {
                menu.remove(i);
            }
            ("up", Some(i)) if i > 0 && i < menu.len() => menu.swap(i - 1, i),
            ("down", Some(i)) if i + 1 < menu.len() => menu.swap(i, i + 1),
            _ => return false,
        }
        true
    }

    /// The settings to write, or what is wrong, in words for the person at the form.
    fn changes(&self) -> Result<Vec<(String, Option<String>)>, String> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err("The site needs a title.".to_owned());
        }
        let colour = hex_colour(&self.accent_color)?;
        let timezone = self.timezone.trim();
        if jiff::tz::db().get(timezone).is_err() {
            return Err(format!("“{timezone}” is not a timezone this server knows."));
        }
        let locale = self.locale.trim();
        if !is_locale(locale) {
            return Err(format!(
                "“{locale}” is not a language code; use one like en, de or pt-BR."
            ));
        }
        let text = |v: &str| Some(v.trim().to_owned());
        Ok(vec![
            ("title".to_owned(), text(title)),
            ("description".to_owned(), text(&self.description)),
            ("accent_color".to_owned(), colour),
            ("timezone".to_owned(), text(timezone)),
            ("locale".to_owned(), text(locale)),
            (
                "navigation".to_owned(),
                Some(menu_json(&self.primary, "Primary")?),
            ),
            (
                "secondary_navigation".to_owned(),
                Some(menu_json(&self.secondary, "Secondary")?),
            ),
        ])
    }

    /// The form as shown: each menu ends with an empty row to add a link in.
    fn view(mut self) -> SettingsForm {
        for menu in [&mut self.primary, &mut self.secondary] {
            if menu
                .last()
                .is_none_or(|l| !l.label.is_empty() || !l.url.is_empty())
            {
                menu.push(Link::default());
            }
        }
        self
    }
}

/// A menu as Ghost's JSON, without empty rows; refuses half-filled rows and unsafe addresses.
fn menu_json(links: &[Link], which: &str) -> Result<String, String> {
    let mut kept = Vec::new();
    for link in links {
        let label = link.label.trim();
        let url = link.url.trim();
        if label.is_empty() && url.is_empty() {
            continue;
        }
        if label.is_empty() || url.is_empty() {
            return Err(format!(
                "{which} navigation: each link needs both a label and an address."
            ));
        }
        if !is_link(url) {
            return Err(format!(
                "{which} navigation: “{url}” is not an address; use a path like /about/ or a full https:// address."
            ));
        }
        kept.push(Link {
            label: label.to_owned(),
            url: url.to_owned(),
        });
    }
    serde_json::to_string(&kept).map_err(|e| e.to_string())
}

/// A path on the site, an anchor, or an http(s), mailto or tel address: never `javascript:`.
fn is_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    url.starts_with('/')
        || url.starts_with('#')
        || ["http://", "https://", "mailto:", "tel:"]
            .iter()
            .any(|scheme| lower.starts_with(scheme))
}

/// A BCP 47 language tag in its common shapes (`en`, `pt-BR`, `zh-Hant-TW`).
fn is_locale(locale: &str) -> bool {
    let mut parts = locale.split('-');
    let language = parts.next().unwrap_or("");
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// An accent colour as `#RRGGBB` (the `#` may be left off), or none when the field is empty.
pub fn hex_colour(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let digits = value.strip_prefix('#').unwrap_or(value);
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(Some(format!("#{}", digits.to_ascii_uppercase())))
    } else {
        Err(format!(
            "“{value}” is not a colour; write it as six hex digits, like #15171A."
        ))
    }
}

/// IANA timezone names for the select: regions and cities, plus UTC, as the tz database lists
/// them (its aliases and `posix/`, `right/` copies left out).
fn timezones(current: &str) -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_owned())
        .filter(|n| {
            n.contains('/')
                && !["posix/", "right/", "Etc/", "SystemV/", "US/"]
                    .iter()
                    .any(|p| n.starts_with(p))
                && n.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        })
        .collect();
    names.push("Etc/UTC".to_owned());
    if !names.iter().any(|n| n == current) {
        names.push(current.to_owned());
    }
    names.sort();
    names.dedup();
    names
}

/// A brand image as the settings page shows it.
#[derive(Serialize)]
struct BrandImage {
    key: &'static str,
    label: &'static str,
    /// The label with its article, for "Upload a logo", "Upload an icon".
    a_label: &'static str,
    hint: &'static str,
    /// Where the admin can show it (the stored URL, its site placeholder made relative).
    url: Option<String>,
}

fn brand_images(settings: &Settings) -> Vec<BrandImage> {
    [
        (
            "logo",
            "Logo",
            "a logo",
            "Shown in the site's header; a wide image, 600 px across is plenty.",
        ),
        (
            "icon",
            "Icon",
            "an icon",
            "The browser tab's icon: a square PNG, at least 60 × 60 px.",
        ),
        (
            "cover_image",
            "Cover image",
            "a cover image",
            "The large picture on the front page of themes that show one.",
        ),
    ]
    .into_iter()
    .map(|(key, label, a_label, hint)| BrandImage {
        key,
        label,
        a_label,
        hint,
        url: settings
            .get(key)
            .filter(|v| !v.is_empty())
            .map(|v| v.strip_prefix("__GHOST_URL__").unwrap_or(v).to_owned()),
    })
    .collect()
}

fn page(
    staff: &Staff,
    form: SettingsForm,
    settings: &Settings,
    status: StatusCode,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let zones = timezones(&form.timezone);
    let html = templates::render(
        "settings.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            form => Value::from(Serde(form.view())),
            brand => Value::from(Serde(brand_images(settings))),
            timezones => zones,
            error,
            notice,
        },
    )?;
    Ok((status, html).into_response())
}

/// `GET /admin/settings/`.
pub async fn show(
    Allowed { staff, .. }: Allowed<Administrators>,
    State(state): State<AppState>,
    Query(saved): Query<Notice>,
) -> Result<Response, PageError> {
    let settings = state.app.settings().await?;
    let notice = saved.saved.is_some().then_some("Settings saved.");
    page(
        &staff,
        SettingsForm::from_settings(&settings),
        &settings,
        StatusCode::OK,
        None,
        notice,
    )
}

/// `POST /admin/settings/`: Save, or a navigation row's button.
pub async fn save(
    State(state): State<AppState>,
    Posted { staff, form, .. }: Posted<Administrators, Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (mut form, action) = SettingsForm::from_pairs(form);
    let settings = state.app.settings().await?;
    if form.rearrange(&action) {
        let notice = Some("Navigation changed. Press Save to keep it.");
        return page(&staff, form, &settings, StatusCode::OK, None, notice);
    }
    let changes = match form.changes() {
        Ok(changes) => changes,
        Err(error) => {
            return page(
                &staff,
                form,
                &settings,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(error),
                None,
            );
        }
    };
    match state.app.edit_settings(&staff.actor(), changes).await {
        Ok(_) => Ok(Redirect::to("/admin/settings/?saved=1").into_response()),
        Err(AppError::Invalid { message, .. }) => page(
            &staff,
            form,
            &settings,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(message),
            None,
        ),
        Err(other) => Err(other.into()),
    }
}

/// A brand image named in the address, or 404.
fn brand_key(key: &str) -> Result<&'static str, PageError> {
    BRAND_IMAGES
        .iter()
        .find(|k| **k == key)
        .copied()
        .ok_or_else(|| PageError::Http(HttpError::not_found()))
}

/// `POST /admin/settings/images/{key}/`: the form's image in `file`, its token in `csrf`.
pub async fn upload_image(
    staff: Staff,
    State(state): State<AppState>,
    Path(key): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let (mut sent, mut file) = (String::new(), None::<(Vec<u8>, String)>);
    while let Some(field) = multipart.next_field().await.map_err(HttpError::from)? {
        match field.name() {
            Some("csrf") => sent = field.text().await.map_err(HttpError::from)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("image").to_owned();
                let bytes = field.bytes().await.map_err(HttpError::from)?;
                file = Some((bytes.to_vec(), name));
            }
            _ => {}
        }
    }
    admit::<Administrators>(&staff, &sent)?;
    let key = brand_key(&key)?;
    let Some((bytes, name)) = file.filter(|(b, _)| !b.is_empty()) else {
        return refused_upload(&staff, &state, "Choose an image file to upload.".to_owned()).await;
    };
    let path = match state.app.upload_image(&state.media, bytes, &name).await {
        Ok(path) => path,
        Err(ImageError::Media(
            err @ (MediaError::NotAnImage | MediaError::Undecodable(_) | MediaError::TooLarge),
        )) => {
            return refused_upload(&staff, &state, format!("The image was not saved: {err}."))
                .await;
        }
        Err(ImageError::Media(err)) => return Err(HttpError::internal(&err).into()),
        Err(ImageError::App(err)) => return Err(err.into()),
    };
    let url = format!("__GHOST_URL__/content/images/{path}");
    state
        .app
        .set_brand_image(&staff.actor(), key, Some(url))
        .await?;
    Ok(Redirect::to("/admin/settings/?saved=1").into_response())
}

/// The settings page again, saying why an image was not taken.
async fn refused_upload(
    staff: &Staff,
    state: &AppState,
    message: String,
) -> Result<Response, PageError> {
    let settings = state.app.settings().await?;
    page(
        staff,
        SettingsForm::from_settings(&settings),
        &settings,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(message),
        None,
    )
}

/// `POST /admin/settings/images/{key}/remove/`.
pub async fn remove_image(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Posted { staff, .. }: Posted<Administrators>,
) -> Result<Response, PageError> {
    let key = brand_key(&key)?;
    state.app.set_brand_image(&staff.actor(), key, None).await?;
    Ok(Redirect::to("/admin/settings/?saved=1").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_move_and_go() {
        let link = |l: &str| Link {
            label: l.into(),
            url: format!("/{l}/"),
        };
        let mut form = SettingsForm {
            primary: vec![link("a"), link("b"), link("c")],
            ..SettingsForm::default()
        };
        assert!(form.rearrange("primary-up-2"));
        assert_eq!(form.primary, vec![link("a"), link("c"), link("b")]);
        assert!(form.rearrange("primary-down-0"));
        assert_eq!(form.primary, vec![link("c"), link("a"), link("b")]);
        assert!(
            !form.rearrange("primary-up-0"),
            "the first row cannot go up"
        );
        assert!(form.rearrange("primary-remove-1"));
        assert_eq!(form.primary, vec![link("c"), link("b")]);
        assert!(!form.rearrange("save"));
    }

    #[test]
    fn menus_and_colours_are_checked() {
        let rows = [
            Link {
                label: " About ".into(),
                url: "/about/".into(),
            },
            Link::default(),
        ];
        assert_eq!(
            menu_json(&rows, "Primary").unwrap(),
            r#"[{"label":"About","url":"/about/"}]"#
        );
        let bad = [Link {
            label: "x".into(),
            url: "javascript:alert(1)".into(),
        }];
        assert!(menu_json(&bad, "Primary").is_err());
        assert_eq!(hex_colour("ff1a75"), Ok(Some("#FF1A75".into())));
        assert_eq!(hex_colour(""), Ok(None));
        assert!(hex_colour("red").is_err());
        assert!(is_locale("pt-BR") && is_locale("en") && !is_locale("english!"));
    }
}
