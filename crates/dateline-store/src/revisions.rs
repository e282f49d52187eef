//! Revisions of stories: what a story's headline and text were at each save worth keeping.

use dateline_core::id::ObjectId;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: ObjectId,
    pub post_id: ObjectId,
    pub author_id: ObjectId,
    pub title: String,
    pub markdown: String,
    pub status: String,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    id: String,
    post_id: String,
    author_id: String,
    title: String,
    markdown: String,
    status: String,
    created_at: jiff_sqlx::Timestamp,
}

impl RevisionRow {
    fn into_revision(self) -> Result<Revision> {
        Ok(Revision {
            id: ObjectId::parse(&self.id)?,
            post_id: ObjectId::parse(&self.post_id)?,
            author_id: ObjectId::parse(&self.author_id)?,
            title: self.title,
            markdown: self.markdown,
            status: self.status,
            created_at: self.created_at.to_jiff(),
        })
    }
}

pub async fn insert(db: &mut impl Db, r: &Revision) -> Result<()> {
    let sql = "INSERT INTO post_revisions (id, post_id, author_id, title, markdown, status, \
               created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    with_conn!(db, c => sqlx::query(sql)
        .bind(r.id.as_str())
        .bind(r.post_id.as_str())
        .bind(r.author_id.as_str())
        .bind(&r.title)
        .bind(&r.markdown)
        .bind(&r.status)
        .bind(r.created_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Replaces the text of revision `id` (an autosave folded into the revision before it).
pub async fn replace(db: &mut impl Db, r: &Revision) -> Result<()> {
    let sql = "UPDATE post_revisions SET title = $1, markdown = $2, created_at = $3 WHERE id = $4";
    with_conn!(db, c => sqlx::query(sql)
        .bind(&r.title)
        .bind(&r.markdown)
        .bind(r.created_at.to_sqlx())
        .bind(r.id.as_str())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// A story's revisions, newest first.
pub async fn of_post(db: &mut impl Db, post_id: &ObjectId) -> Result<Vec<Revision>> {
    let sql = "SELECT id, post_id, author_id, title, markdown, status, created_at \
               FROM post_revisions WHERE post_id = $1 ORDER BY created_at DESC, id DESC";
    let rows: Vec<RevisionRow> = with_conn!(db, c => sqlx::query_as(sql)
        .bind(post_id.as_str())
        .fetch_all(&mut *c)
        .await?);
    rows.into_iter().map(RevisionRow::into_revision).collect()
}

/// Gives each of `post_ids` (a batch of an import: a few hundred at most, one bind each) a first
/// revision of its headline and text as stored, made by its first author, marked `status` and
/// dated `at`. Copied inside the database, so the bodies make no round trip. The revision takes
/// its post's id: there is one such revision per post. A post without an author gets none, as
/// a revision must name who made it.
pub async fn insert_initial(
    db: &mut impl Db,
    post_ids: &[&str],
    status: &str,
    at: Timestamp,
) -> Result<u64> {
    if post_ids.is_empty() {
        return Ok(0);
    }
    let ids = (3..post_ids.len() + 3)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO post_revisions (id, post_id, author_id, title, markdown, status, created_at) \
         SELECT p.id, p.id, a.author_id, p.title, COALESCE(p.markdown, ''), $1, $2 \
         FROM posts p JOIN posts_authors a ON a.post_id = p.id \
         WHERE p.id IN ({ids}) AND a.sort_order = \
         (SELECT MIN(f.sort_order) FROM posts_authors f WHERE f.post_id = p.id)"
    );
    let added = with_conn!(db, c => {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(status)
            .bind(at.to_sqlx());
        for id in post_ids {
            query = query.bind(*id);
        }
        query.execute(&mut *c).await?.rows_affected()
    });
    Ok(added)
}
