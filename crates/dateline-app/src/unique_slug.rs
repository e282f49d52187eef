//! Slugs that are free in the store, found by walking Ghost's candidates (`news`, `news-2`, …).

use dateline_core::slug::{self, SlugKind};
use dateline_store::{Db, integrations, posts, tags, users};

use crate::Result;

pub async fn post(db: &mut impl Db, title: &str) -> Result<String> {
    for candidate in slug::candidates(title, SlugKind::Post) {
        if !posts::slug_taken(db, &candidate).await? {
            return Ok(candidate);
        }
    }
    unreachable_candidates()
}

pub async fn user(db: &mut impl Db, name: &str) -> Result<String> {
    for candidate in slug::candidates(name, SlugKind::User) {
        if !users::slug_taken(db, &candidate).await? {
            return Ok(candidate);
        }
    }
    unreachable_candidates()
}

pub async fn tag(db: &mut impl Db, name: &str) -> Result<String> {
    for candidate in slug::candidates(name, SlugKind::Tag) {
        if !tags::slug_taken(db, &candidate).await? {
            return Ok(candidate);
        }
    }
    unreachable_candidates()
}

pub async fn integration(db: &mut impl Db, name: &str) -> Result<String> {
    for candidate in slug::candidates(name, SlugKind::Tag) {
        if !integrations::slug_taken(db, &candidate).await? {
            return Ok(candidate);
        }
    }
    unreachable_candidates()
}

/// `candidates` never ends; this only satisfies the type checker.
fn unreachable_candidates() -> Result<String> {
    Err(crate::AppError::invalid(
        "slug",
        "no free slug could be found",
    ))
}
