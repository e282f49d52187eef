//! Uploaded images' original bytes (`image_originals`), from which a node that lacks an image
//! in its own images folder fills it in (`dateline_app::images`).

use std::collections::HashMap;

use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

/// Keeps `bytes` under `path` unless an image is stored there already; returns whether it was
/// kept. Upload names are claimed this way, so two nodes can never hand out the same one.
pub async fn claim(
    db: &mut impl Db,
    path: &str,
    content_type: &str,
    bytes: &[u8],
    now: Timestamp,
) -> Result<bool> {
    let sql = "INSERT INTO image_originals (path, content_type, bytes, created_at) \
               VALUES ($1, $2, $3, $4) ON CONFLICT (path) DO NOTHING";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(path)
        .bind(content_type)
        .bind(bytes)
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// The bytes stored under `path`, if any.
pub async fn bytes(db: &mut impl Db, path: &str) -> Result<Option<Vec<u8>>> {
    let sql = "SELECT bytes FROM image_originals WHERE path = $1";
    Ok(with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(path)
        .fetch_optional(&mut *c)
        .await?))
}

/// Every stored path with the length of its bytes, for `dateline images sync` to tell what is
/// already kept (and whether the file kept under a name is the one on disk) without reading
/// the images. Both backends know a blob's length without reading it.
pub async fn lengths(db: &mut impl Db) -> Result<HashMap<String, u64>> {
    let sql = "SELECT path, CAST(length(bytes) AS BIGINT) FROM image_originals";
    let rows: Vec<(String, i64)> =
        with_conn!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await?);
    Ok(rows
        .into_iter()
        .map(|(path, length)| (path, length.unsigned_abs()))
        .collect())
}
