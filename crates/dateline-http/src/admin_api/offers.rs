//! `/offers/`: browse, read, add, edit, as Ghost 5.130 answers them on a site without paid
//! tiers. A Ghost offer is a Stripe discount on a paid tier's price; Dateline takes no payments
//! and has only the free tier, so it keeps no offers: browsing finds none, reading or editing
//! one is Ghost's `NotFoundError`, and adding one is refused for want of a tier to discount.
//! Integrations written for Ghost (`/offers/` through the Admin API, `offers.read` through the
//! Content API) get Ghost's envelopes rather than a bare 404.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::Authenticated;
use crate::error::HttpError;

pub async fn browse(_: Authenticated) -> Json<Value> {
    Json(json!({ "offers": [] }))
}

pub async fn read(_: Authenticated, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    Err(not_found("read", &id))
}

pub async fn edit(_: Authenticated, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    Err(not_found("edit", &id))
}

pub async fn add(_: Authenticated) -> Result<Json<Value>, HttpError> {
    Err(HttpError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "ValidationError",
        "Validation error, cannot save offer.",
    )
    .with_context(
        "An offer discounts a paid tier, and this site has only the free tier: Dateline \
         takes no payments.",
    ))
}

/// Ghost's answer for an offer that does not exist, which on Dateline is every offer. An id
/// Ghost's pattern refuses is a validation error first, as in Ghost.
pub(crate) fn not_found(verb: &str, id: &str) -> HttpError {
    if let Err(err) = crate::content_api::params::check_id(id, &format!("{verb} offer")) {
        return err;
    }
    HttpError::new(
        StatusCode::NOT_FOUND,
        "NotFoundError",
        format!("Resource not found error, cannot {verb} offer."),
    )
    .with_context("Offer not found.")
}
