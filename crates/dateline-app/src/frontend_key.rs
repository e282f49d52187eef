//! The site's frontend key: the Content API key a theme's own scripts (search, "load more")
//! send from readers' browsers, which themes print with `{{content_api_key}}`.
//!
//! Ghost keeps it on an internal integration, "Ghost Internal Frontend", that has a content key
//! and no admin key. Dateline does the same, creating it the first time a page asks, so the key
//! opens the Content API like any integration's. Having no admin key, it is not listed on the
//! admin's integrations page, where it could be deleted from under the themes that print it.

use dateline_core::id::{ObjectId, random_hex};
use dateline_store::integrations::{self, KeyKind};

use crate::{App, Result};

/// Ghost's slug and name for the integration.
const SLUG: &str = "ghost-internal-frontend";
const NAME: &str = "Ghost Internal Frontend";

impl App {
    /// The frontend Content API key, created on first use and then kept in memory.
    pub async fn frontend_content_key(&self) -> Result<String> {
        let key = self
            .frontend_key
            .get_or_try_init(|| self.read_or_create_frontend_key())
            .await?;
        Ok(key.clone())
    }

    async fn read_or_create_frontend_key(&self) -> Result<String> {
        if let Some(key) = self.stored_frontend_key().await? {
            return Ok(key);
        }
        match self.create_frontend_key().await {
            Ok(key) => Ok(key),
            // Another request (or node) created it first: the slug is taken, and its key stands.
            Err(err) => self.stored_frontend_key().await?.ok_or(err),
        }
    }

    async fn stored_frontend_key(&self) -> Result<Option<String>> {
        let mut db = self.store.reader().await?;
        Ok(integrations::content_key_by_slug(&mut db, SLUG).await?)
    }

    async fn create_frontend_key(&self) -> Result<String> {
        let now = dateline_core::time::now();
        let integration_id = ObjectId::generate();
        // 26 hex characters, as every Content API key.
        let secret = random_hex(13);
        let mut tx = self.store.begin().await?;
        integrations::insert(&mut tx, &integration_id, NAME, SLUG, now).await?;
        integrations::insert_key(
            &mut tx,
            &ObjectId::generate(),
            KeyKind::Content,
            &secret,
            &integration_id,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(secret)
    }
}
