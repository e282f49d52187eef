//! Single-use links mailed to staff (password resets and invitations), stored by the hash of
//! their token. Taking a token marks it used in the same statement that checks it, so two
//! clicks racing on one link cannot both succeed.

use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

/// What a link does when it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Choose a new password for the account `user_id`.
    Reset,
    /// Create an account for `email` with `role`.
    Invite,
}

impl TokenKind {
    fn as_str(self) -> &'static str {
        match self {
            TokenKind::Reset => "reset",
            TokenKind::Invite => "invite",
        }
    }
}

/// A link as stored. The token itself is never stored, only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffToken {
    pub id: String,
    pub token_hash: String,
    pub email: String,
    pub user_id: Option<String>,
    pub role: Option<String>,
    pub created_by: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: String,
    token_hash: String,
    email: String,
    user_id: Option<String>,
    role: Option<String>,
    created_by: Option<String>,
    created_at: jiff_sqlx::Timestamp,
    expires_at: jiff_sqlx::Timestamp,
}

impl From<TokenRow> for StaffToken {
    fn from(r: TokenRow) -> Self {
        StaffToken {
            id: r.id,
            token_hash: r.token_hash,
            email: r.email,
            user_id: r.user_id,
            role: r.role,
            created_by: r.created_by,
            created_at: r.created_at.to_jiff(),
            expires_at: r.expires_at.to_jiff(),
        }
    }
}

const COLUMNS: &str = "id, token_hash, email, user_id, role, created_by, created_at, expires_at";

pub async fn insert(db: &mut impl Db, kind: TokenKind, token: &StaffToken) -> Result<()> {
    let sql = "INSERT INTO staff_tokens (id, token_hash, kind, email, user_id, role, created_by, \
               created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    with_conn!(db, c => sqlx::query(sql)
        .bind(&token.id)
        .bind(&token.token_hash)
        .bind(kind.as_str())
        .bind(&token.email)
        .bind(&token.user_id)
        .bind(&token.role)
        .bind(&token.created_by)
        .bind(token.created_at.to_sqlx())
        .bind(token.expires_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// The unused, unexpired link of `kind` whose token hashes to `token_hash`, left as it is (to
/// show the form the link leads to).
pub async fn live(
    db: &mut impl Db,
    kind: TokenKind,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<StaffToken>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM staff_tokens WHERE token_hash = $1 AND kind = $2 \
         AND used_at IS NULL AND expires_at > $3"
    );
    let row: Option<TokenRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(token_hash)
        .bind(kind.as_str())
        .bind(now.to_sqlx())
        .fetch_optional(&mut *c)
        .await?);
    Ok(row.map(StaffToken::from))
}

/// Uses up the link: the same as [`live`], but marks it used, so it works once.
pub async fn take(
    db: &mut impl Db,
    kind: TokenKind,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<StaffToken>> {
    let sql = format!(
        "UPDATE staff_tokens SET used_at = $3 WHERE token_hash = $1 AND kind = $2 \
         AND used_at IS NULL AND expires_at > $3 RETURNING {COLUMNS}"
    );
    let row: Option<TokenRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(token_hash)
        .bind(kind.as_str())
        .bind(now.to_sqlx())
        .fetch_optional(&mut *c)
        .await?);
    Ok(row.map(StaffToken::from))
}

/// Unused links of `kind`, newest first (expired ones included, so the staff page can say an
/// invitation ran out).
pub async fn unused(db: &mut impl Db, kind: TokenKind) -> Result<Vec<StaffToken>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM staff_tokens WHERE kind = $1 AND used_at IS NULL \
         ORDER BY created_at DESC, id"
    );
    let rows: Vec<TokenRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(kind.as_str())
        .fetch_all(&mut *c)
        .await?);
    Ok(rows.into_iter().map(StaffToken::from).collect())
}

/// Deletes the unused links of `kind` for `email` (a new invitation replaces the old one; a
/// new password voids the other reset links); returns how many.
pub async fn delete_unused(db: &mut impl Db, kind: TokenKind, email: &str) -> Result<u64> {
    let sql = "DELETE FROM staff_tokens WHERE kind = $1 AND email = $2 AND used_at IS NULL";
    Ok(with_conn!(db, c => sqlx::query(sql)
        .bind(kind.as_str())
        .bind(email)
        .execute(&mut *c)
        .await?
        .rows_affected()))
}

/// Revokes one unused link of `kind` by its id; returns whether there was one.
pub async fn revoke(db: &mut impl Db, kind: TokenKind, id: &str) -> Result<bool> {
    let sql = "DELETE FROM staff_tokens WHERE id = $1 AND kind = $2 AND used_at IS NULL";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(id)
        .bind(kind.as_str())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}
