//! `/site/`: what a client needs to show which site it is talking to. Public, as in Ghost,
//! because Ghost Admin reads it before anyone has signed in.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::AppState;
use crate::content_api::json::Site;
use crate::error::HttpError;

pub async fn read(State(state): State<AppState>) -> Result<Json<Value>, HttpError> {
    let settings = state.app.settings().await?;
    let site = Site::new(&state.site_url, &settings);
    let text = |key: &str| settings.get(key).filter(|v| !v.is_empty());
    Ok(Json(json!({
        "site": {
            "title": settings.title(),
            "description": settings.description(),
            "logo": site.absolute(text("logo")),
            "icon": site.absolute(text("icon")),
            "accent_color": text("accent_color"),
            "locale": settings.locale(),
            "url": format!("{}/", state.site_url),
            "version": crate::content_api::CONTENT_VERSION.trim_start_matches('v'),
        }
    })))
}
