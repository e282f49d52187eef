//! The site's logo, icon and cover image: Ghost's `logo`, `icon` and `cover_image` settings,
//! set from an image the admin uploaded (checked by `dateline_media` before it gets here) or
//! cleared. Sites made before the cover image was a setting lack its row, so it is written
//! whether or not the key exists, unlike the Admin API's settings edit.

use dateline_core::role::Role;
use dateline_core::settings::Setting;
use dateline_store::settings;

use crate::admin::Actor;
use crate::webhooks::outbox::Record;
use crate::{App, AppError, ContentChanged, Result};

/// The settings that hold the site's brand images.
pub const BRAND_IMAGES: &[&str] = &["logo", "icon", "cover_image"];

impl App {
    /// Sets the brand image `key` to `url` (Ghost's `__GHOST_URL__/content/images/…`), or
    /// clears it when `None`. Administrators only, as every site setting.
    pub async fn set_brand_image(
        &self,
        actor: &Actor,
        key: &str,
        url: Option<String>,
    ) -> Result<()> {
        actor.require(Role::Administrator)?;
        if !BRAND_IMAGES.contains(&key) {
            return Err(AppError::NotFound { noun: "setting" });
        }
        let setting = Setting {
            key: key.to_owned(),
            // Ghost keeps an unset image as an empty value, not a missing one.
            value: Some(url.unwrap_or_default()),
            group: "site".to_owned(),
            value_type: "string".to_owned(),
            flags: None,
        };
        let mut tx = self.store.begin().await?;
        settings::upsert(&mut tx, &setting, dateline_core::time::now()).await?;
        self.webhook_changed(&mut tx, Record::Site, None).await?;
        tx.commit().await?;
        self.events.emit(ContentChanged::Everything);
        Ok(())
    }
}
