//! `/tiers/`: the free tier (see [`dateline_app::tiers`]) in the shape of Ghost 5.130's tier
//! serializer, which leaves currency and prices off a free tier. `filter` works on every field
//! shown but `benefits` and `trial_days`.

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
    o.insert("benefits".into(), json!([]));
    o.insert("trial_days".into(), json!(0));
    select(o, shape)
}
