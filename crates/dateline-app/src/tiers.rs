//! Membership tiers. Dateline has no paid memberships, so a site offers what a Ghost site
//! without Stripe offers: one free tier, which is not stored anywhere.

use dateline_store::filter::Resource;
use dateline_store::tiers::{self, Tier};

use crate::content::{ListQuery, Listing, compile_filter, paginate};
use crate::{App, Result};

/// The free tier's id: the same on every Dateline site, as there is no other tier to tell it
/// apart from.
const FREE_TIER_ID: &str = "000000000000000000000001";

impl App {
    /// The site's tiers (the free one) that `query.filter` selects.
    pub async fn tiers(&self, query: &ListQuery) -> Result<Listing<Tier>> {
        // Checked before anything is written: a bad filter must not create the default
        // newsletter.
        let compiled = compile_filter(
            query.filter.as_deref(),
            Resource::Tiers,
            tiers::FIRST_FILTER_PLACEHOLDER,
        )?;
        let newsletters = self.newsletters().await?;
        // As old as the members' side of the site: its first newsletter.
        let created_at = newsletters
            .iter()
            .map(|n| n.created_at)
            .min()
            .unwrap_or_else(dateline_core::time::now);
        let free = Tier {
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
        };
        let selected = match compiled {
            Some(filter) => {
                let mut db = self.store.reader().await?;
                tiers::matches(&mut db, &free, &filter).await?
            }
            None => true,
        };
        let list = if selected { vec![free] } else { Vec::new() };
        Ok(paginate(list, query))
    }
}
