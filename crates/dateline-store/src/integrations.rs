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

/// The Content API key's secret of the integration with this slug, if it has one.
pub async fn content_key_by_slug(db: &mut impl Db, slug: &str) -> Result<Option<String>> {
    let sql = "SELECT k.secret FROM api_keys k JOIN integrations i ON i.id = k.integration_id \
               WHERE i.slug = $1 AND k.kind = $2";
    let secret: Option<String> = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(slug)
        .bind(KeyKind::Content.as_str())
        .fetch_optional(&mut *c)
        .await?);
    Ok(secret)
}

/// An API key as stored: which API it opens and its secret (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: ObjectId,
    pub kind: KeyKind,
    pub secret: String,
    pub integration_id: ObjectId,
}

/// The key with this id, of either kind (the caller tells a content key used as an admin key).
pub async fn key_by_id(db: &mut impl Db, id: &str) -> Result<Option<ApiKey>> {
    let sql = "SELECT id, kind, secret, integration_id FROM api_keys WHERE id = $1";
    let row: Option<(String, String, String, String)> = with_conn!(db, c => sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?);
    let Some((id, kind, secret, integration_id)) = row else {
        return Ok(None);
    };
    let kind = match kind.as_str() {
        "admin" => KeyKind::Admin,
        "content" => KeyKind::Content,
        other => {
            return Err(crate::StoreError::Corrupt(format!(
                "unknown api key kind `{other}`"
            )));
        }
    };
    Ok(Some(ApiKey {
        id: ObjectId::parse(&id)?,
        kind,
        secret,
        integration_id: ObjectId::parse(&integration_id)?,
    }))
}

/// An integration with its two keys, as the admin lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationKeys {
    pub id: ObjectId,
    pub name: String,
    pub created_at: Timestamp,
    /// The Content API key's secret.
    pub content_key: String,
    /// The Admin API key's id and secret.
    pub admin_key: (ObjectId, String),
}

/// Every integration that has both keys, newest first.
pub async fn all_with_keys(db: &mut impl Db) -> Result<Vec<IntegrationKeys>> {
    let sql = "SELECT i.id, i.name, i.created_at, c.secret, a.id, a.secret \
               FROM integrations i \
               JOIN api_keys c ON c.integration_id = i.id AND c.kind = 'content' \
               JOIN api_keys a ON a.integration_id = i.id AND a.kind = 'admin' \
               ORDER BY i.created_at DESC, i.name";
    let rows: Vec<(String, String, jiff_sqlx::Timestamp, String, String, String)> =
        with_conn!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await?);
    rows.into_iter()
        .map(|(id, name, created_at, content, admin_id, admin)| {
            Ok(IntegrationKeys {
                id: ObjectId::parse(&id)?,
                name,
                created_at: created_at.to_jiff(),
                content_key: content,
                admin_key: (ObjectId::parse(&admin_id)?, admin),
            })
        })
        .collect()
}

/// Gives the integration's key of `kind` a new secret; the old one opens nothing from now on.
/// Whether the integration has such a key.
pub async fn replace_secret(
    db: &mut impl Db,
    integration_id: &ObjectId,
    kind: KeyKind,
    secret: &str,
) -> Result<bool> {
    let sql = "UPDATE api_keys SET secret = $1 WHERE integration_id = $2 AND kind = $3";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(secret)
        .bind(integration_id.as_str())
        .bind(kind.as_str())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// Deletes the integration; its keys and webhooks go with it. Whether it was there.
pub async fn delete(db: &mut impl Db, id: &ObjectId) -> Result<bool> {
    let sql = "DELETE FROM integrations WHERE id = $1";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(id.as_str())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}
