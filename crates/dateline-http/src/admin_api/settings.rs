//! `/settings/`: browse and edit, for administrators and integrations.

use axum::Json;
use axum::extract::State;
use serde_json::Value;

use super::{Authenticated, input, json};
use crate::AppState;
use crate::error::HttpError;

pub async fn browse(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
) -> Result<Json<Value>, HttpError> {
    let all = state.app.staff_settings(&actor).await?;
    Ok(Json(json::settings(&all)))
}

pub async fn edit(
    Authenticated(actor): Authenticated,
    State(state): State<AppState>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, HttpError> {
    let changes = input::settings(&body)?;
    let all = state.app.edit_settings(&actor, changes).await?;
    Ok(Json(json::settings(&all)))
}
