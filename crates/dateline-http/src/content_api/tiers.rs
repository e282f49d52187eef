//! `/tiers/`: the free tier (see [`dateline_app::tiers`]) in the shape of Ghost 5.130's tier
//! serializer, which leaves currency and prices off a free tier.

use axum::Json;
use axum::extract::{Query, State};
use dateline_app::tiers::FreeTier;
use serde_json::{Map, Value, json};

use super::ContentKey;
use super::json::{pagination, select};
use super::params::{Params, Shape};
use crate::AppState;
use crate::admin_api::json::time;
use crate::error::HttpError;

/// The free tier's id: the same on every Dateline site, as there is no other tier to tell it
/// apart from.
const FREE_TIER_ID: &str = "000000000000000000000001";

pub async fn browse(
    _: ContentKey,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<Value>, HttpError> {
    let query = params.list_query("tiers")?;
    let shape = params.shape();
    let listing = state.app.tiers(&query).await?;
    let items: Vec<Value> = listing.items.iter().map(|t| tier(t, &shape)).collect();
    Ok(Json(
        json!({ "tiers": items, "meta": pagination(&listing) }),
    ))
}

fn tier(t: &FreeTier, shape: &Shape) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(FREE_TIER_ID));
    o.insert("name".into(), json!("Free"));
    o.insert("description".into(), Value::Null);
    o.insert("slug".into(), json!("free"));
    o.insert("active".into(), json!(true));
    o.insert("type".into(), json!("free"));
    o.insert("welcome_page_url".into(), Value::Null);
    o.insert("created_at".into(), time(t.created_at));
    o.insert("updated_at".into(), time(t.created_at));
    o.insert("visibility".into(), json!("public"));
    o.insert("benefits".into(), json!([]));
    o.insert("trial_days".into(), json!(0));
    select(o, shape)
}
