//! Exporting the site as a Ghost export file.

use dateline_store::{posts, settings, tags, users};
use serde_json::Value;

use crate::ghost_json::{SiteData, write};
use crate::{App, Result};

/// Posts are read this many at a time, so an export never holds one huge result set.
const BATCH: u32 = 500;

impl App {
    /// The whole site as a Ghost 5 export document. `progress` gets (posts read, posts total).
    pub async fn export_ghost(&self, progress: crate::import::Progress<'_>) -> Result<Value> {
        let mut db = self.store.reader().await?;
        let total = posts::count(&mut db, dateline_core::post::PostType::Post).await?
            + posts::count(&mut db, dateline_core::post::PostType::Page).await?;
        let mut site = SiteData {
            users: users::all(&mut db).await?,
            tags: tags::all(&mut db).await?,
            posts: Vec::new(),
            settings: settings::all(&mut db)
                .await?
                .0
                .into_values()
                .filter(|s| !crate::ghost_json::INSTALL_SETTINGS.contains(&s.key.as_str()))
                .collect(),
        };
        loop {
            let after = site.posts.last().map(|p| p.id.clone());
            let batch = posts::batch_after(&mut db, after.as_ref(), BATCH).await?;
            if batch.is_empty() {
                break;
            }
            site.posts.extend(batch);
            progress(site.posts.len() as u64, total);
        }
        Ok(write::to_json(&site, dateline_core::time::now()))
    }
}
