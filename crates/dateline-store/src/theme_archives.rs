//! Uploaded themes' ZIP archives (`theme_archives`), from which a node that lacks a theme's
//! files unpacks them (`dateline_app::themes`).

use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

/// Keeps `archive` as the theme `name`, replacing an earlier upload of it.
pub async fn put(
    db: &mut impl Db,
    name: &str,
    archive: &[u8],
    sha256: &str,
    now: Timestamp,
) -> Result<()> {
    let sql = "INSERT INTO theme_archives (name, archive, sha256, uploaded_at) \
               VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET \
               archive = excluded.archive, sha256 = excluded.sha256, \
               uploaded_at = excluded.uploaded_at";
    with_conn!(db, c => sqlx::query(sql)
        .bind(name)
        .bind(archive)
        .bind(sha256)
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Every stored theme's name and archive checksum, by name.
pub async fn checksums(db: &mut impl Db) -> Result<Vec<(String, String)>> {
    let sql = "SELECT name, sha256 FROM theme_archives ORDER BY name";
    Ok(with_conn!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await?))
}

/// The archive of the theme `name` and its checksum, if one was uploaded.
pub async fn get(db: &mut impl Db, name: &str) -> Result<Option<(Vec<u8>, String)>> {
    let sql = "SELECT archive, sha256 FROM theme_archives WHERE name = $1";
    Ok(with_conn!(db, c => sqlx::query_as(sql)
        .bind(name)
        .fetch_optional(&mut *c)
        .await?))
}

/// Forgets the theme `name`'s archive; returns whether there was one.
pub async fn delete(db: &mut impl Db, name: &str) -> Result<bool> {
    let sql = "DELETE FROM theme_archives WHERE name = $1";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(name)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}
