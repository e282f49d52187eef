//! `/tiers/`: the site's tiers (see [`dateline_app::tiers`]) in the shape of Ghost 5.130's tier
//! serializer, which gives a paid tier its `currency`, `monthly_price` and `yearly_price` (in
//! cents) and leaves them off a free one. `filter` works on every field shown but `benefits`,
//! `trial_days` and the prices.

use axum::Json;
use axum::extract::State;
use dateline_store::tiers::Tier;
use serde_json::{Map, Value, json};

use super::ContentKey;
use super::json::{pagination, select};
use super::params::{Params, Shape};
use crate::AppState;
use crate::admin_api::json::time;
use crate::error::HttpError;

pub async fn browse(
    _: ContentKey,
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, HttpError> {
    let query = params.list_query("tiers")?;
    let shape = params.shape();
    let listing = state.app.tiers(&query).await?;
    let items: Vec<Value> = listing.items.iter().map(|t| tier(t, &shape)).collect();
    Ok(Json(
        json!({ "tiers": items, "meta": pagination(&listing) }),
    ))
}

fn tier(t: &Tier, shape: &Shape) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(t.id));
    o.insert("name".into(), json!(t.name));
    o.insert("description".into(), json!(t.description));
    o.insert("slug".into(), json!(t.slug));
    o.insert("active".into(), json!(t.active));
    o.insert("type".into(), json!(t.tier_type));
    o.insert("welcome_page_url".into(), json!(t.welcome_page_url));
    o.insert("created_at".into(), time(t.created_at));
    o.insert("updated_at".into(), time(t.updated_at));
    o.insert("visibility".into(), json!(t.visibility));
    // Benefits are not imported (Dateline sells nothing to describe).
    o.insert("benefits".into(), json!([]));
    if t.tier_type != "free" {
        let prices = t.prices.as_ref();
        o.insert("currency".into(), json!(prices.map(|p| &p.currency)));
        o.insert(
            "monthly_price".into(),
            json!(prices.and_then(|p| p.monthly_price)),
        );
        o.insert(
            "yearly_price".into(),
            json!(prices.and_then(|p| p.yearly_price)),
        );
    }
    o.insert("trial_days".into(), json!(t.trial_days));
    select(o, shape)
}
