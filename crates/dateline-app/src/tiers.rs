//! Membership tiers. Dateline has no paid memberships, so a site offers what a Ghost site
//! without Stripe offers: one free tier, which is not stored anywhere.

use jiff::Timestamp;

use crate::content::{ListQuery, Listing, paginate};
use crate::{App, AppError, Result};

/// The free tier.
#[derive(Debug, Clone)]
pub struct FreeTier {
    /// As old as the members' side of the site: its first newsletter.
    pub created_at: Timestamp,
}

impl App {
    pub async fn tiers(&self, query: &ListQuery) -> Result<Listing<FreeTier>> {
        if query
            .filter
            .as_deref()
            .is_some_and(|f| !f.trim().is_empty())
        {
            return Err(AppError::BadFilter(
                "tiers cannot be filtered: this site has one tier, the free one".to_owned(),
            ));
        }
        let newsletters = self.newsletters().await?;
        let created_at = newsletters
            .iter()
            .map(|n| n.created_at)
            .min()
            .unwrap_or_else(dateline_core::time::now);
        Ok(paginate(vec![FreeTier { created_at }], query))
    }
}
