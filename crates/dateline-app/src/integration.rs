//! Integrations: named holders of API keys for tools that talk to the Content and Admin APIs.

use dateline_core::id::{ObjectId, random_hex};
use dateline_core::role::Role;
use dateline_store::integrations::{self, IntegrationKeys, KeyKind};
use serde::Serialize;

use crate::admin::Actor;
use crate::{App, AppError, ContentChanged, Result, unique_slug};

/// What `dateline integration create` prints, in Ghost's key formats.
#[derive(Debug, Serialize)]
pub struct NewIntegration {
    pub name: String,
    /// 26 hex characters, as Ghost's content keys.
    pub content_api_key: String,
    /// `<24-hex key id>:<64-hex secret>`, as Ghost's admin keys; the secret signs JWTs.
    pub admin_api_key: String,
}

impl App {
    pub async fn create_integration(&self, name: &str) -> Result<NewIntegration> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("name", "must not be empty"));
        }
        let now = dateline_core::time::now();
        let integration_id = ObjectId::generate();
        let content_secret = random_hex(13);
        let admin_id = ObjectId::generate();
        let admin_secret = random_hex(32);

        let mut tx = self.store.begin().await?;
        let slug = unique_slug::integration(&mut tx, name).await?;
        integrations::insert(&mut tx, &integration_id, name, &slug, now).await?;
        let content_id = ObjectId::generate();
        integrations::insert_key(
            &mut tx,
            &content_id,
            KeyKind::Content,
            &content_secret,
            &integration_id,
            now,
        )
        .await?;
        integrations::insert_key(
            &mut tx,
            &admin_id,
            KeyKind::Admin,
            &admin_secret,
            &integration_id,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(NewIntegration {
            name: name.to_owned(),
            content_api_key: content_secret,
            admin_api_key: format!("{admin_id}:{admin_secret}"),
        })
    }
}

impl App {
    /// Whether `key` is a Content API key of some integration.
    pub async fn content_key_is_valid(&self, key: &str) -> Result<bool> {
        // Keys are 26 hex characters; anything else cannot match and need not reach the database.
        if key.len() != 26 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let mut db = self.store.reader().await?;
        Ok(integrations::content_key_exists(&mut db, key).await?)
    }
}

/// The admin's integrations page, for administrators and the owner (as in Ghost): every key
/// opens the site's content or its whole Admin API.
impl App {
    pub async fn integrations(&self, actor: &Actor) -> Result<Vec<IntegrationKeys>> {
        actor.require(Role::Administrator)?;
        let mut db = self.store.reader().await?;
        Ok(integrations::all_with_keys(&mut db).await?)
    }

    /// `create_integration` on behalf of a person, who must be an administrator.
    pub async fn add_integration(&self, actor: &Actor, name: &str) -> Result<NewIntegration> {
        actor.require(Role::Administrator)?;
        self.create_integration(name).await
    }

    /// Gives the integration's `kind` key a new secret. The change is announced, which moves
    /// the content generation: the Content API's key cache trusts a key only within the
    /// generation it was checked in, so the old key is refused by the very next request (and,
    /// with PostgreSQL, on other nodes as soon as the change relay reaches them).
    pub async fn rotate_integration_key(
        &self,
        actor: &Actor,
        id: &str,
        kind: KeyKind,
    ) -> Result<()> {
        actor.require(Role::Administrator)?;
        let id = ObjectId::parse(id).map_err(|_| AppError::NotFound {
            noun: "integration",
        })?;
        let secret = match kind {
            KeyKind::Content => random_hex(13),
            KeyKind::Admin => random_hex(32),
        };
        let mut tx = self.store.begin().await?;
        if !integrations::replace_secret(&mut tx, &id, kind, &secret).await? {
            return Err(AppError::NotFound {
                noun: "integration",
            });
        }
        tx.commit().await?;
        self.events.emit(ContentChanged::Everything);
        Ok(())
    }

    /// Deletes the integration with its keys and webhooks, announced as a rotation is.
    pub async fn delete_integration(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.require(Role::Administrator)?;
        let id = ObjectId::parse(id).map_err(|_| AppError::NotFound {
            noun: "integration",
        })?;
        let mut tx = self.store.begin().await?;
        if !integrations::delete(&mut tx, &id).await? {
            return Err(AppError::NotFound {
                noun: "integration",
            });
        }
        tx.commit().await?;
        self.events.emit(ContentChanged::Everything);
        Ok(())
    }
}
