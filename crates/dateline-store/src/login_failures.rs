//! Failed sign-ins and reset requests (`login_failures`), counted per account and per client
//! address by `dateline_app::login_throttle`. Kept in the database so every node sharing it
//! holds an attacker to one budget.

use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

/// Which budget a row counts against: by the account typed, or by the client's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted<'a> {
    Account(&'a str),
    Address(&'a str),
}

/// Records one failure of `purpose` for `account` from `address` at `now`, after removing every
/// row older than `since` (the window's start), so the table holds one window of failures.
pub async fn record(
    db: &mut impl Db,
    purpose: &str,
    account: &str,
    address: &str,
    now: Timestamp,
    since: Timestamp,
) -> Result<()> {
    let prune = "DELETE FROM login_failures WHERE failed_at <= $1";
    with_conn!(db, c => sqlx::query(prune)
        .bind(since.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    let sql = "INSERT INTO login_failures (purpose, account, address, failed_at) \
               VALUES ($1, $2, $3, $4)";
    with_conn!(db, c => sqlx::query(sql)
        .bind(purpose)
        .bind(account)
        .bind(address)
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// The times of the failures of `purpose` counted against `key` after `since`, oldest first.
pub async fn since(
    db: &mut impl Db,
    purpose: &str,
    key: Counted<'_>,
    since: Timestamp,
) -> Result<Vec<Timestamp>> {
    let (sql, value) = match key {
        Counted::Account(account) => (
            "SELECT failed_at FROM login_failures WHERE purpose = $1 AND account = $2 \
             AND failed_at > $3 ORDER BY failed_at",
            account,
        ),
        Counted::Address(address) => (
            "SELECT failed_at FROM login_failures WHERE purpose = $1 AND address = $2 \
             AND failed_at > $3 ORDER BY failed_at",
            address,
        ),
    };
    let rows: Vec<(jiff_sqlx::Timestamp,)> = with_conn!(db, c => sqlx::query_as(sql)
        .bind(purpose)
        .bind(value)
        .bind(since.to_sqlx())
        .fetch_all(&mut *c)
        .await?);
    Ok(rows.into_iter().map(|(t,)| t.to_jiff()).collect())
}

/// Stops counting `account`'s failures of `purpose` against it; they still count against the
/// addresses they came from.
pub async fn clear_account(db: &mut impl Db, purpose: &str, account: &str) -> Result<()> {
    let sql = "UPDATE login_failures SET account = NULL WHERE purpose = $1 AND account = $2";
    with_conn!(db, c => sqlx::query(sql)
        .bind(purpose)
        .bind(account)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}
