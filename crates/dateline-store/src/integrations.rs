//! Integrations and their API keys (a Content API key and an Admin API key each, as in Ghost).

use dateline_core::id::ObjectId;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

/// Which API a key opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Content,
    Admin,
}

impl KeyKind {
    fn as_str(self) -> &'static str {
        match self {
            KeyKind::Content => "content",
            KeyKind::Admin => "admin",
        }
    }
}

pub async fn insert(
    db: &mut impl Db,
    id: &ObjectId,
    name: &str,
    slug: &str,
    now: Timestamp,
) -> Result<()> {
    let sql = "INSERT INTO integrations (id, name, slug, created_at) VALUES ($1, $2, $3, $4)";
    with_conn!(db, c => sqlx::query(sql)
        .bind(id.as_str())
        .bind(name)
        .bind(slug)
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn insert_key(
    db: &mut impl Db,
    key_id: &ObjectId,
    kind: KeyKind,
    secret: &str,
    integration_id: &ObjectId,
    now: Timestamp,
) -> Result<()> {
    let sql = "INSERT INTO api_keys (id, kind, secret, integration_id, created_at) \
               VALUES ($1, $2, $3, $4, $5)";
    with_conn!(db, c => sqlx::query(sql)
        .bind(key_id.as_str())
        .bind(kind.as_str())
        .bind(secret)
        .bind(integration_id.as_str())
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn slug_taken(db: &mut impl Db, slug: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM integrations WHERE slug = $1";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql).bind(slug).fetch_one(&mut *c).await?);
    Ok(n > 0)
}

/// Whether `secret` is a Content API key of some integration.
pub async fn content_key_exists(db: &mut impl Db, secret: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM api_keys WHERE kind = $1 AND secret = $2";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(KeyKind::Content.as_str())
        .bind(secret)
        .fetch_one(&mut *c)
        .await?);
    Ok(n > 0)
}
