//! Whether the site still needs its first run: until an owner exists, the admin offers only
//! the setup page, and once one does, never again.

use dateline_store::users;

use crate::{App, Result};

impl App {
    /// Whether the site has its owner yet.
    pub async fn has_owner(&self) -> Result<bool> {
        let mut db = self.store.reader().await?;
        Ok(users::owner_exists(&mut db).await?)
    }
}
