//! Membership tiers. The `tiers` table keeps the tiers a Ghost import brought, which the
//! Content API lists and an export writes out again; a site that never had any offers one, the
//! free tier, which the app describes.
//! The Content API filters tiers with NQL like every other resource. So the filter is compiled
//! as usual and run against the tier written out as a one-row table,
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
    pub trial_days: i64,
    /// A paid tier's prices; `None` for a free one.
    pub prices: Option<TierPrices>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a paid tier costs, in the currency's smallest unit (cents), as Ghost stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierPrices {
    pub currency: String,
    pub monthly_price: Option<i64>,
    pub yearly_price: Option<i64>,
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

const COLUMNS: &str = "id, name, slug, description, active, type, visibility, welcome_page_url, \
    trial_days, currency, monthly_price, yearly_price, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    slug: String,
    description: Option<String>,
    active: bool,
    #[sqlx(rename = "type")]
    tier_type: String,
    visibility: String,
    welcome_page_url: Option<String>,
    trial_days: i64,
    currency: Option<String>,
    monthly_price: Option<i64>,
    yearly_price: Option<i64>,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
}

impl Row {
    fn into_tier(self) -> Tier {
        Tier {
            id: self.id,
            name: self.name,
            slug: self.slug,
            description: self.description,
            active: self.active,
            tier_type: self.tier_type,
            visibility: self.visibility,
            welcome_page_url: self.welcome_page_url,
            trial_days: self.trial_days,
            prices: self.currency.map(|currency| TierPrices {
                currency,
                monthly_price: self.monthly_price,
                yearly_price: self.yearly_price,
            }),
            created_at: self.created_at.to_jiff(),
            updated_at: self.updated_at.to_jiff(),
        }
    }
}

/// The stored (imported) tiers, oldest first.
pub async fn stored(db: &mut impl Db) -> Result<Vec<Tier>> {
    let sql = format!("SELECT {COLUMNS} FROM tiers ORDER BY created_at, id");
    let rows: Vec<Row> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .fetch_all(&mut *c)
        .await?);
    Ok(rows.into_iter().map(Row::into_tier).collect())
}

/// Whether a stored tier has `id` or `slug`.
pub async fn exists(db: &mut impl Db, id: &str, slug: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM tiers WHERE id = $1 OR slug = $2";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(id)
        .bind(slug)
        .fetch_one(&mut *c)
        .await?);
    Ok(n > 0)
}

pub async fn insert(db: &mut impl Db, tier: &Tier) -> Result<()> {
    let sql = format!(
        "INSERT INTO tiers ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14)"
    );
    let prices = tier.prices.as_ref();
    with_conn!(db, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(tier.id.as_str())
        .bind(tier.name.as_str())
        .bind(tier.slug.as_str())
        .bind(tier.description.as_deref())
        .bind(tier.active)
        .bind(tier.tier_type.as_str())
        .bind(tier.visibility.as_str())
        .bind(tier.welcome_page_url.as_deref())
        .bind(tier.trial_days)
        .bind(prices.map(|p| p.currency.as_str()))
        .bind(prices.and_then(|p| p.monthly_price))
        .bind(prices.and_then(|p| p.yearly_price))
        .bind(tier.created_at.to_sqlx())
        .bind(tier.updated_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}
