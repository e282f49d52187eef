//! `/labels/`: the labels members carry, for pickers and segment choosers.

use axum::Json;
use axum::extract::{Query, State};
use dateline_store::labels::Label;
use serde_json::{Value, json};

use super::Authenticated;
use super::json::time;
use crate::AppState;
use crate::content_api::json::pagination;
use crate::content_api::params::Params;
use crate::error::HttpError;

pub async fn browse(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<Value>, HttpError> {
    let query = params.list_query("labels")?;
    let listing = state.app.member_labels(&actor, &query).await?;
    let items: Vec<Value> = listing.items.iter().map(label_json).collect();
    Ok(Json(
        json!({ "labels": items, "meta": pagination(&listing) }),
    ))
}

/// A label as Ghost shows it, inside a member or in the list.
pub fn label_json(label: &Label) -> Value {
    json!({
        "id": label.id,
        "name": label.name,
        "slug": label.slug,
        "created_at": time(label.created_at),
        "updated_at": time(label.updated_at),
    })
}
