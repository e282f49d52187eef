//! Membership tiers. None is stored (a Dateline site has one, the free tier, which the app
//! describes), but the Content API filters tiers with NQL like every other resource. So the
//! filter is compiled as usual and run against the tier written out as a one-row table,
//! `WITH tiers (…) AS (SELECT …)`: SQL, not a second evaluator, decides what `filter=` means.

use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};
use crate::filter::{Filter, bind_scalar};

/// A tier, with the fields Ghost's Content API shows and filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub active: bool,
    /// `free` or `paid`.
    pub tier_type: String,
    /// `public` or `none`.
    pub visibility: String,
    pub welcome_page_url: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Values the one-row table binds, `$1` to `$10`: a filter to run with [`matches`] must be
/// compiled with its first placeholder after them.
pub const FIRST_FILTER_PLACEHOLDER: usize = 11;

/// Whether `filter` selects `tier`.
pub async fn matches(db: &mut impl Db, tier: &Tier, filter: &Filter) -> Result<bool> {
    let sql = format!(
        "WITH tiers (id, name, slug, description, active, type, visibility, welcome_page_url, \
         created_at, updated_at) AS (SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         SELECT COUNT(*) FROM tiers WHERE {}",
        filter.sql
    );
    let n: i64 = with_conn!(db, c => {
        let query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(tier.id.as_str())
            .bind(tier.name.as_str())
            .bind(tier.slug.as_str())
            .bind(tier.description.as_deref())
            .bind(tier.active)
            .bind(tier.tier_type.as_str())
            .bind(tier.visibility.as_str())
            .bind(tier.welcome_page_url.as_deref())
            .bind(tier.created_at.to_sqlx())
            .bind(tier.updated_at.to_sqlx());
        bind_scalar(query, &filter.binds).fetch_one(&mut *c).await?
    });
    Ok(n > 0)
}
