//! The newsletters a reader can subscribe to, as the Content API lists them: active ones only,
//! in the site's order, filtered and paged like tags and authors.

use dateline_store::filter::{self, Resource};
use dateline_store::newsletters::Newsletter;

use crate::content::{ListQuery, Listing, compile_filter, paginate};
use crate::{App, Result};

impl App {
    pub async fn public_newsletters(&self, query: &ListQuery) -> Result<Listing<Newsletter>> {
        // Checked before anything is written: a bad filter must not create the default.
        let compiled = compile_filter(query.filter.as_deref(), Resource::Newsletters, 1)?;
        let mut list = self.newsletters().await?;
        if let Some(f) = compiled {
            let mut db = self.store.reader().await?;
            let keep = filter::matching_ids(&mut db, Resource::Newsletters, &f).await?;
            list.retain(|n| keep.contains(&n.id));
        }
        Ok(paginate(list, query))
    }
}
