//! Webhooks and their deliveries. A delivery row is the queue entry and the log entry at once:
//! it is written in the transaction of the change it reports (so a committed change always has
//! its deliveries), leased by one worker at a time, and keeps its outcome; each HTTP attempt
//! adds a row to `webhook_delivery_attempts`. Every move is conditional on the lease it
//! expects, so a late or duplicate worker changes nothing.

use dateline_core::id::ObjectId;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: ObjectId,
    pub event: String,
    pub target_url: String,
    pub name: Option<String>,
    pub secret: Option<String>,
    pub api_version: String,
    pub integration_id: String,
    pub last_triggered_at: Option<Timestamp>,
    pub last_triggered_status: Option<String>,
    pub last_triggered_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, event, target_url, name, secret, api_version, integration_id, \
                       last_triggered_at, last_triggered_status, last_triggered_error, \
                       created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    event: String,
    target_url: String,
    name: Option<String>,
    secret: Option<String>,
    api_version: String,
    integration_id: String,
    last_triggered_at: Option<jiff_sqlx::Timestamp>,
    last_triggered_status: Option<String>,
    last_triggered_error: Option<String>,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
}

impl Row {
    fn into_webhook(self) -> Result<Webhook> {
        Ok(Webhook {
            id: ObjectId::parse(&self.id)?,
            event: self.event,
            target_url: self.target_url,
            name: self.name,
            secret: self.secret,
            api_version: self.api_version,
            integration_id: self.integration_id,
            last_triggered_at: self.last_triggered_at.map(|t| t.to_jiff()),
            last_triggered_status: self.last_triggered_status,
            last_triggered_error: self.last_triggered_error,
            created_at: self.created_at.to_jiff(),
            updated_at: self.updated_at.to_jiff(),
        })
    }
}

pub async fn insert(db: &mut impl Db, w: &Webhook) -> Result<()> {
    let sql = format!(
        "INSERT INTO webhooks ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12)"
    );
    with_conn!(db, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(w.id.as_str())
        .bind(&w.event)
        .bind(&w.target_url)
        .bind(&w.name)
        .bind(&w.secret)
        .bind(&w.api_version)
        .bind(&w.integration_id)
        .bind(w.last_triggered_at.map(|t| t.to_sqlx()))
        .bind(&w.last_triggered_status)
        .bind(&w.last_triggered_error)
        .bind(w.created_at.to_sqlx())
        .bind(w.updated_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Writes the fields a client may edit.
pub async fn update(db: &mut impl Db, w: &Webhook) -> Result<()> {
    let sql = "UPDATE webhooks SET event = $2, target_url = $3, name = $4, secret = $5, \
               api_version = $6, updated_at = $7 WHERE id = $1";
    with_conn!(db, c => sqlx::query(sql)
        .bind(w.id.as_str())
        .bind(&w.event)
        .bind(&w.target_url)
        .bind(&w.name)
        .bind(&w.secret)
        .bind(&w.api_version)
        .bind(w.updated_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Deletes a webhook and, with it, its queued deliveries and its log. False if there was none.
pub async fn delete(db: &mut impl Db, id: &str) -> Result<bool> {
    let sql = "DELETE FROM webhooks WHERE id = $1";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn by_id(db: &mut impl Db, id: &str) -> Result<Option<Webhook>> {
    let sql = format!("SELECT {COLUMNS} FROM webhooks WHERE id = $1");
    let row: Option<Row> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?);
    row.map(Row::into_webhook).transpose()
}

/// Whether `integration_id` already sends `event` to `target_url` (Ghost refuses a twin).
pub async fn exists(
    db: &mut impl Db,
    event: &str,
    target_url: &str,
    integration_id: &str,
    except: Option<&str>,
) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM webhooks WHERE event = $1 AND target_url = $2 \
               AND integration_id = $3 AND id <> $4";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(event)
        .bind(target_url)
        .bind(integration_id)
        .bind(except.unwrap_or(""))
        .fetch_one(&mut *c)
        .await?);
    Ok(n > 0)
}

/// Whether any webhook is registered: without one, changes skip serialising their payloads.
pub async fn any(db: &mut impl Db) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM (SELECT 1 FROM webhooks LIMIT 1) AS one";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql).fetch_one(&mut *c).await?);
    Ok(n > 0)
}

pub async fn integration_exists(db: &mut impl Db, id: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM integrations WHERE id = $1";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&mut *c)
        .await?);
    Ok(n > 0)
}

/// Queues `payload` for every webhook subscribed to `event`, due at once; returns how many.
/// Run it in the transaction of the change, so the change and its deliveries commit together.
pub async fn enqueue(db: &mut impl Db, event: &str, payload: &str, now: Timestamp) -> Result<u64> {
    let sql = "INSERT INTO webhook_deliveries (webhook_id, event, payload, status, attempts, \
               next_attempt_at, created_at) \
               SELECT id, event, $2, 'queued', 0, $3, $3 FROM webhooks WHERE event = $1 \
               ORDER BY id";
    Ok(with_conn!(db, c => sqlx::query(sql)
        .bind(event)
        .bind(payload)
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected()))
}

/// A delivery a worker holds the lease of, with where it goes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub webhook_id: String,
    pub event: String,
    pub payload: String,
    pub attempts: i64,
    pub target_url: String,
    pub secret: Option<String>,
}

/// Leases up to `limit` due deliveries to `claim` until `lease_until`, oldest first. The
/// conditions are checked again on each row as it is updated, so two workers (or two nodes)
/// claiming at once never hold the same delivery.
pub async fn claim(
    db: &mut impl Db,
    claim: &str,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<Claimed>> {
    let sql = "UPDATE webhook_deliveries SET lease_owner = $1, lease_until = $2 \
               WHERE id IN (SELECT id FROM webhook_deliveries \
                   WHERE status = 'queued' AND next_attempt_at <= $3 \
                   AND (lease_until IS NULL OR lease_until < $3) ORDER BY id LIMIT $4) \
               AND status = 'queued' AND (lease_until IS NULL OR lease_until < $3)";
    with_conn!(db, c => sqlx::query(sql)
        .bind(claim)
        .bind(lease_until.to_sqlx())
        .bind(now.to_sqlx())
        .bind(i64::from(limit))
        .execute(&mut *c)
        .await?
        .rows_affected());
    let sql = "SELECT d.id, d.webhook_id, d.event, d.payload, d.attempts, w.target_url, w.secret \
               FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
               WHERE d.lease_owner = $1 AND d.status = 'queued' ORDER BY d.id";
    Ok(with_conn!(db, c => sqlx::query_as(sql)
        .bind(claim)
        .fetch_all(&mut *c)
        .await?))
}

/// One HTTP attempt and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub started_at: Timestamp,
    pub duration_ms: i64,
    /// The receiver's status, when it answered.
    pub response_status: Option<i64>,
    /// Why it did not count as delivered.
    pub error: Option<String>,
}

/// What an attempt leaves the delivery as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Tried again at the given time.
    RetryAt(Timestamp),
    /// No more attempts.
    Failed,
}

/// Records an attempt of a delivery `claim` holds, moves the delivery by `outcome`, and notes
/// it on the webhook as Ghost's `last_triggered_*`. False (and nothing written) when the lease
/// was lost meanwhile.
pub async fn record(
    db: &mut impl Db,
    delivery: &Claimed,
    claim: &str,
    attempt: &Attempt,
    outcome: Outcome,
) -> Result<bool> {
    let number = delivery.attempts + 1;
    let (status, next, finished) = match outcome {
        Outcome::Delivered => ("delivered", None, Some(attempt.started_at)),
        Outcome::RetryAt(at) => ("queued", Some(at), None),
        Outcome::Failed => ("failed", None, Some(attempt.started_at)),
    };
    let sql = "UPDATE webhook_deliveries SET status = $3, attempts = $4, \
               next_attempt_at = COALESCE($5, next_attempt_at), finished_at = $6, \
               response_status = $7, error = $8, lease_owner = NULL, lease_until = NULL \
               WHERE id = $1 AND lease_owner = $2 AND status = 'queued'";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(delivery.id)
        .bind(claim)
        .bind(status)
        .bind(number)
        .bind(next.map(|t| t.to_sqlx()))
        .bind(finished.map(|t| t.to_sqlx()))
        .bind(attempt.response_status)
        .bind(&attempt.error)
        .execute(&mut *c)
        .await?
        .rows_affected());
    if n == 0 {
        return Ok(false);
    }
    let sql = "INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, \
               duration_ms, response_status, error) VALUES ($1, $2, $3, $4, $5, $6)";
    with_conn!(db, c => sqlx::query(sql)
        .bind(delivery.id)
        .bind(number)
        .bind(attempt.started_at.to_sqlx())
        .bind(attempt.duration_ms)
        .bind(attempt.response_status)
        .bind(&attempt.error)
        .execute(&mut *c)
        .await?
        .rows_affected());
    let sql = "UPDATE webhooks SET last_triggered_at = $2, last_triggered_status = $3, \
               last_triggered_error = $4 WHERE id = $1";
    with_conn!(db, c => sqlx::query(sql)
        .bind(&delivery.webhook_id)
        .bind(attempt.started_at.to_sqlx())
        .bind(attempt.response_status.map(|s| s.to_string()))
        .bind(&attempt.error)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(true)
}

/// Gives back every delivery `claim` still holds, untouched (a worker stopping mid-batch).
pub async fn release(db: &mut impl Db, claim: &str) -> Result<u64> {
    let sql = "UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL \
               WHERE lease_owner = $1 AND status = 'queued'";
    Ok(with_conn!(db, c => sqlx::query(sql)
        .bind(claim)
        .execute(&mut *c)
        .await?
        .rows_affected()))
}

/// A delivery as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    pub event: String,
    pub payload: String,
    pub status: String,
    pub attempts: Vec<Attempt>,
    pub next_attempt_at: Option<Timestamp>,
    pub response_status: Option<i64>,
    pub error: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    event: String,
    payload: String,
    status: String,
    next_attempt_at: jiff_sqlx::Timestamp,
    response_status: Option<i64>,
    error: Option<String>,
    created_at: jiff_sqlx::Timestamp,
    finished_at: Option<jiff_sqlx::Timestamp>,
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    delivery_id: i64,
    started_at: jiff_sqlx::Timestamp,
    duration_ms: i64,
    response_status: Option<i64>,
    error: Option<String>,
}

/// A page of a webhook's deliveries, newest first, each with its attempts; and the total.
pub async fn deliveries(
    db: &mut impl Db,
    webhook_id: &str,
    limit: Option<u32>,
    offset: u64,
) -> Result<(Vec<Delivery>, u64)> {
    let sql = "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $1";
    let total: i64 = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(webhook_id)
        .fetch_one(&mut *c)
        .await?);
    let sql = "SELECT id, event, payload, status, next_attempt_at, response_status, error, \
               created_at, finished_at FROM webhook_deliveries WHERE webhook_id = $1 \
               ORDER BY id DESC LIMIT $2 OFFSET $3";
    let rows: Vec<DeliveryRow> = with_conn!(db, c => sqlx::query_as(sql)
        .bind(webhook_id)
        .bind(limit.map_or(i64::MAX, i64::from))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&mut *c)
        .await?);
    let sql = "SELECT a.delivery_id, a.started_at, a.duration_ms, a.response_status, a.error \
               FROM webhook_delivery_attempts a \
               JOIN webhook_deliveries d ON d.id = a.delivery_id \
               WHERE d.webhook_id = $1 AND a.delivery_id <= $2 AND a.delivery_id >= $3 \
               ORDER BY a.delivery_id, a.attempt";
    let newest = rows.first().map_or(0, |r| r.id);
    let oldest = rows.last().map_or(0, |r| r.id);
    let attempts: Vec<AttemptRow> = with_conn!(db, c => sqlx::query_as(sql)
        .bind(webhook_id)
        .bind(newest)
        .bind(oldest)
        .fetch_all(&mut *c)
        .await?);
    let items = rows
        .into_iter()
        .map(|r| Delivery {
            attempts: attempts
                .iter()
                .filter(|a| a.delivery_id == r.id)
                .map(|a| Attempt {
                    started_at: a.started_at.to_jiff(),
                    duration_ms: a.duration_ms,
                    response_status: a.response_status,
                    error: a.error.clone(),
                })
                .collect(),
            next_attempt_at: (r.status == "queued").then(|| r.next_attempt_at.to_jiff()),
            id: r.id,
            event: r.event,
            payload: r.payload,
            status: r.status,
            response_status: r.response_status,
            error: r.error,
            created_at: r.created_at.to_jiff(),
            finished_at: r.finished_at.map(|t| t.to_jiff()),
        })
        .collect();
    Ok((items, total.max(0) as u64))
}
