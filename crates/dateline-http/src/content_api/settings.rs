//! `/settings/`: Ghost's public settings ([`dateline_core::settings::public`]), typed and with
//! Ghost's defaults and derived values.

use axum::Json;
use axum::extract::State;
use dateline_core::settings::public::public;
use serde_json::{Value, json};

use super::ContentKey;
use crate::AppState;
use crate::error::HttpError;

pub async fn browse(
    _: ContentKey,
    State(state): State<AppState>,
) -> Result<Json<Value>, HttpError> {
    let settings = state.app.settings().await?;
    Ok(Json(
        json!({ "settings": public(&settings, &state.site_url), "meta": {} }),
    ))
}
