//! `/offers/{id}/`: Ghost's public read of an offer. Dateline keeps no offers (see
//! [`crate::admin_api::offers`]), so every id is Ghost's `NotFoundError`.

use axum::Json;
use axum::extract::Path;
use serde_json::Value;

use super::ContentKey;
use crate::error::HttpError;

pub async fn read(_: ContentKey, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    Err(crate::admin_api::offers::not_found("read", &id))
}
