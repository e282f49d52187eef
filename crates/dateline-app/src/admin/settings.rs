//! Site settings through the Admin API, for administrators (and integrations) only. Ghost's
//! `core` group (session and member secrets, private keys, hashes) is never read or written
//! here: an import keeps those keys, and they must not leak through an API.

use dateline_core::role::Role;
use dateline_core::settings::Setting;
use dateline_store::settings;

use super::Actor;
use crate::webhooks::outbox::Record;
use crate::{App, AppError, ContentChanged, Result};

/// Ghost's group of internal settings.
const CORE_GROUP: &str = "core";

impl App {
    /// Every setting an administrator may see, by key.
    pub async fn staff_settings(&self, actor: &Actor) -> Result<Vec<Setting>> {
        actor.require(Role::Administrator)?;
        let all = self.settings().await?;
        Ok(all
            .0
            .into_values()
            .filter(|s| s.group != CORE_GROUP)
            .collect())
    }

    /// Writes `changes` (key, value in Ghost's text encoding) together, or none of them. Only
    /// keys the site has may be written, as in Ghost; values must fit the setting's type.
    pub async fn edit_settings(
        &self,
        actor: &Actor,
        changes: Vec<(String, Option<String>)>,
    ) -> Result<Vec<Setting>> {
        actor.require(Role::Administrator)?;
        let current = self.settings().await?;
        let now = dateline_core::time::now();
        let mut tx = self.store.begin().await?;
        for (key, value) in changes {
            let Some(stored) = current.0.get(&key) else {
                return Err(AppError::NotFound { noun: "setting" });
            };
            if stored.group == CORE_GROUP {
                return Err(AppError::no_permission(
                    "Attempted to access core setting from external request",
                ));
            }
            check_type(&key, &stored.value_type, value.as_deref())?;
            let setting = Setting {
                value,
                ..stored.clone()
            };
            settings::upsert(&mut tx, &setting, now).await?;
        }
        self.webhook_changed(&mut tx, Record::Site, None).await?;
        tx.commit().await?;
        self.events.emit(ContentChanged::Everything);
        self.staff_settings(actor).await
    }
}

fn check_type(key: &str, value_type: &str, value: Option<&str>) -> Result<()> {
    let Some(value) = value else { return Ok(()) };
    let fits = match value_type {
        "boolean" => matches!(value, "true" | "false"),
        "number" => value.parse::<f64>().is_ok(),
        "array" => matches!(serde_json::from_str(value), Ok(serde_json::Value::Array(_))),
        "object" => matches!(
            serde_json::from_str(value),
            Ok(serde_json::Value::Object(_))
        ),
        _ => true,
    };
    if fits {
        Ok(())
    } else {
        Err(AppError::Invalid {
            field: "settings",
            message: format!("`{key}` must be a {value_type}"),
        })
    }
}
