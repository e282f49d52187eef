//! Membership tiers. Dateline sells no memberships, but a site moved from Ghost keeps the tiers
//! it had (the `tiers` table, filled by an import), so themes and Portal-style scripts reading
//! the Content API see the same names and prices. A site that never had tiers offers what a
//! Ghost site without Stripe offers: one free tier, which is not stored anywhere.

use dateline_store::filter::Resource;
use dateline_store::tiers::{self, Tier};

use crate::content::{ListQuery, Listing, compile_filter, paginate};
use crate::{App, Result};

/// The free tier's id: the same on every Dateline site, as there is no other tier to tell it
/// apart from.
const FREE_TIER_ID: &str = "000000000000000000000001";

impl App {
    /// The site's tiers that `query.filter` selects: the imported ones, oldest first, after
    /// the free one when the import brought none (Ghost always has exactly one).
    pub async fn tiers(&self, query: &ListQuery) -> Result<Listing<Tier>> {
        // Checked before anything is written: a bad filter must not create the default
        // newsletter.
        let compiled = compile_filter(
            query.filter.as_deref(),
            Resource::Tiers,
            tiers::FIRST_FILTER_PLACEHOLDER,
        )?;
        let stored = {
            let mut db = self.store.reader().await?;
            tiers::stored(&mut db).await?
        };
        let mut all = Vec::with_capacity(stored.len() + 1);
        if !stored.iter().any(|t| t.tier_type == "free") {
            all.push(self.free_tier().await?);
        }
        all.extend(stored);
        let list = match compiled {
            Some(filter) => {
                let mut db = self.store.reader().await?;
                let mut selected = Vec::new();
                for tier in all {
                    if tiers::matches(&mut db, &tier, &filter).await? {
                        selected.push(tier);
                    }
                }
                selected
            }
            None => all,
        };
        Ok(paginate(list, query))
    }

    /// The free tier of a site that has no stored one.
    async fn free_tier(&self) -> Result<Tier> {
        let newsletters = self.newsletters().await?;
        // As old as the members' side of the site: its first newsletter.
        let created_at = newsletters
            .iter()
            .map(|n| n.created_at)
            .min()
            .unwrap_or_else(dateline_core::time::now);
        Ok(Tier {
            id: FREE_TIER_ID.to_owned(),
            name: "Free".to_owned(),
            slug: "free".to_owned(),
            description: None,
            active: true,
            tier_type: "free".to_owned(),
            visibility: "public".to_owned(),
            welcome_page_url: None,
            trial_days: 0,
            prices: None,
            created_at,
            updated_at: created_at,
        })
    }
}
