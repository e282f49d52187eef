//! `/newsletters/`: the active newsletters a reader can choose from, with the fields Ghost
//! 5.130's Content API shows (no sender, footer or layout switches: those are the Admin
//! API's).

use axum::Json;
use axum::extract::State;
use dateline_store::newsletters::Newsletter;
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
    let query = params.list_query("newsletters")?;
    let shape = params.shape();
    let listing = state.app.public_newsletters(&query).await?;
    let items: Vec<Value> = listing
        .items
        .iter()
        .map(|n| newsletter(n, &shape))
        .collect();
    Ok(Json(
        json!({ "newsletters": items, "meta": pagination(&listing) }),
    ))
}

fn newsletter(n: &Newsletter, shape: &Shape) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(n.id));
    o.insert("uuid".into(), json!(n.uuid));
    o.insert("name".into(), json!(n.name));
    o.insert("description".into(), json!(n.description));
    o.insert("slug".into(), json!(n.slug));
    o.insert("subscribe_on_signup".into(), json!(n.subscribe_on_signup));
    // Dateline has no paid members, so every newsletter is open to every member.
    o.insert("visibility".into(), json!("members"));
    o.insert("sort_order".into(), json!(n.sort_order));
    o.insert("created_at".into(), time(n.created_at));
    o.insert("updated_at".into(), time(n.updated_at));
    select(o, shape)
}
