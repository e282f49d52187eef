//! Drafts submitted for review, the editors' queue.

use dateline_core::id::ObjectId;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRequest {
    pub post_id: ObjectId,
    pub submitted_by: ObjectId,
    pub submitted_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    post_id: String,
    submitted_by: String,
    submitted_at: jiff_sqlx::Timestamp,
}

impl ReviewRow {
    fn into_request(self) -> Result<ReviewRequest> {
        Ok(ReviewRequest {
            post_id: ObjectId::parse(&self.post_id)?,
            submitted_by: ObjectId::parse(&self.submitted_by)?,
            submitted_at: self.submitted_at.to_jiff(),
        })
    }
}

/// Puts a story in the queue, or moves it to the back with a new submitter if it was there.
pub async fn submit(db: &mut impl Db, r: &ReviewRequest) -> Result<()> {
    let sql = "INSERT INTO post_reviews (post_id, submitted_by, submitted_at) VALUES ($1, $2, $3) \
               ON CONFLICT (post_id) DO UPDATE SET submitted_by = excluded.submitted_by, \
               submitted_at = excluded.submitted_at";
    with_conn!(db, c => sqlx::query(sql)
        .bind(r.post_id.as_str())
        .bind(r.submitted_by.as_str())
        .bind(r.submitted_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Takes a story out of the queue; returns whether it was there.
pub async fn withdraw(db: &mut impl Db, post_id: &ObjectId) -> Result<bool> {
    let sql = "DELETE FROM post_reviews WHERE post_id = $1";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(post_id.as_str())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// The queue: submitted stories that are still drafts, oldest submission first.
pub async fn queue(db: &mut impl Db) -> Result<Vec<ReviewRequest>> {
    let sql = "SELECT r.post_id, r.submitted_by, r.submitted_at FROM post_reviews r \
               JOIN posts p ON p.id = r.post_id WHERE p.status = 'draft' \
               ORDER BY r.submitted_at, r.post_id";
    let rows: Vec<ReviewRow> = with_conn!(db, c => sqlx::query_as(sql)
        .fetch_all(&mut *c)
        .await?);
    rows.into_iter().map(ReviewRow::into_request).collect()
}
