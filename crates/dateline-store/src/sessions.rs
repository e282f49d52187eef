//! Staff sessions (the Admin API's cookie sign-in), stored by the hash of their token.

use dateline_core::id::ObjectId;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

/// A session as stored. The token itself is never stored, only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub token_hash: String,
    pub user_id: ObjectId,
    pub origin: String,
    pub user_agent: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    token_hash: String,
    user_id: String,
    origin: String,
    user_agent: Option<String>,
    created_at: jiff_sqlx::Timestamp,
    expires_at: jiff_sqlx::Timestamp,
}

pub async fn insert(db: &mut impl Db, session: &StaffSession) -> Result<()> {
    let sql = "INSERT INTO staff_sessions (token_hash, user_id, origin, user_agent, created_at, \
               expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
    with_conn!(db, c => sqlx::query(sql)
        .bind(&session.token_hash)
        .bind(session.user_id.as_str())
        .bind(&session.origin)
        .bind(&session.user_agent)
        .bind(session.created_at.to_sqlx())
        .bind(session.expires_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn by_token_hash(db: &mut impl Db, token_hash: &str) -> Result<Option<StaffSession>> {
    let sql = "SELECT token_hash, user_id, origin, user_agent, created_at, expires_at \
               FROM staff_sessions WHERE token_hash = $1";
    let row: Option<SessionRow> = with_conn!(db, c => sqlx::query_as(sql)
        .bind(token_hash)
        .fetch_optional(&mut *c)
        .await?);
    row.map(|r| {
        Ok(StaffSession {
            token_hash: r.token_hash,
            user_id: ObjectId::parse(&r.user_id)?,
            origin: r.origin,
            user_agent: r.user_agent,
            created_at: r.created_at.to_jiff(),
            expires_at: r.expires_at.to_jiff(),
        })
    })
    .transpose()
}

/// Ends one session; returns whether it existed.
pub async fn delete(db: &mut impl Db, token_hash: &str) -> Result<bool> {
    let sql = "DELETE FROM staff_sessions WHERE token_hash = $1";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(token_hash)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// Removes every session that expired at or before `now`; returns how many.
pub async fn delete_expired(db: &mut impl Db, now: Timestamp) -> Result<u64> {
    let sql = "DELETE FROM staff_sessions WHERE expires_at <= $1";
    Ok(with_conn!(db, c => sqlx::query(sql)
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected()))
}

/// Ends every staff session of `user_id` (after their password was reset, whoever held a
/// session with the old one is out); returns how many.
pub async fn delete_all_of(db: &mut impl Db, user_id: &str) -> Result<u64> {
    let sql = "DELETE FROM staff_sessions WHERE user_id = $1";
    Ok(with_conn!(db, c => sqlx::query(sql)
        .bind(user_id)
        .execute(&mut *c)
        .await?
        .rows_affected()))
}
