//! Newsletter sign-ups from the site's form.

use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

/// Records an address once; signing up again changes nothing. Returns whether it was new.
pub async fn add(
    db: &mut impl Db,
    email: &str,
    source: Option<&str>,
    now: Timestamp,
) -> Result<bool> {
    let sql = "INSERT INTO newsletter_signups (email, source, created_at) VALUES ($1, $2, $3) \
               ON CONFLICT (email) DO NOTHING";
    let added = with_conn!(db, c => sqlx::query(sql)
        .bind(email)
        .bind(source)
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(added == 1)
}

pub async fn count(db: &mut impl Db) -> Result<u64> {
    let n: i64 = with_conn!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM newsletter_signups")
        .fetch_one(&mut *c)
        .await?);
    Ok(n.max(0) as u64)
}
