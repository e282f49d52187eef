//! Member labels: names staff give groups of readers ("vip", "press"), used to filter members
//! and to choose who gets a newsletter. A label is created the first time a name is used.

use dateline_core::id::ObjectId;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};
use crate::members::{MAX_BINDS, numbered, placeholders, value_rows};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub id: ObjectId,
    pub name: String,
    pub slug: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    slug: String,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
}

impl Row {
    fn into_label(self) -> Result<Label> {
        Ok(Label {
            id: ObjectId::parse(&self.id)?,
            name: self.name,
            slug: self.slug,
            created_at: self.created_at.to_jiff(),
            updated_at: self.updated_at.to_jiff(),
        })
    }
}

/// Every label, by name.
pub async fn all(db: &mut impl Db) -> Result<Vec<Label>> {
    let sql = "SELECT id, name, slug, created_at, updated_at FROM labels ORDER BY name";
    let rows: Vec<Row> = with_conn!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await?);
    rows.into_iter().map(Row::into_label).collect()
}

/// How one label is asked for.
#[derive(Debug, Clone, Copy)]
pub enum LabelKey<'a> {
    Id(&'a str),
    Slug(&'a str),
}

pub async fn find(db: &mut impl Db, key: LabelKey<'_>) -> Result<Option<Label>> {
    let (sql, value) = match key {
        LabelKey::Id(id) => (
            "SELECT id, name, slug, created_at, updated_at FROM labels WHERE id = $1",
            id,
        ),
        LabelKey::Slug(slug) => (
            "SELECT id, name, slug, created_at, updated_at FROM labels WHERE slug = $1",
            slug,
        ),
    };
    let row: Option<Row> = with_conn!(db, c => sqlx::query_as(sql)
        .bind(value)
        .fetch_optional(&mut *c)
        .await?);
    row.map(Row::into_label).transpose()
}

/// Whether another label than `except_id` has `slug`.
pub async fn slug_taken(db: &mut impl Db, slug: &str, except_id: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM labels WHERE slug = $1 AND id <> $2";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(slug)
        .bind(except_id)
        .fetch_one(&mut *c)
        .await?);
    Ok(n > 0)
}

/// Inserts a new label; a taken name or slug is a unique violation.
pub async fn insert(db: &mut impl Db, label: &Label) -> Result<()> {
    insert_row(db, label, "").await
}

/// The one `INSERT` of a label row. `on_conflict` is a literal of this module (empty or a
/// fixed `ON CONFLICT` clause), never input, so the SQL stays parameterised.
async fn insert_row(db: &mut impl Db, label: &Label, on_conflict: &'static str) -> Result<()> {
    let sql = format!(
        "INSERT INTO labels (id, name, slug, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5){on_conflict}"
    );
    with_conn!(db, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(label.id.as_str())
        .bind(&label.name)
        .bind(&label.slug)
        .bind(label.created_at.to_sqlx())
        .bind(label.updated_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Renames a label; false when there is no such label.
pub async fn update(db: &mut impl Db, label: &Label) -> Result<bool> {
    let sql = "UPDATE labels SET name = $1, slug = $2, updated_at = $3 WHERE id = $4";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(&label.name)
        .bind(&label.slug)
        .bind(label.updated_at.to_sqlx())
        .bind(label.id.as_str())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// Deletes a label; members lose it (`members_labels` cascades). False when there was none.
pub async fn delete(db: &mut impl Db, id: &str) -> Result<bool> {
    let n = with_conn!(db, c => sqlx::query("DELETE FROM labels WHERE id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// Inserts the label unless one has its name or slug; returns the stored one either way.
pub async fn find_or_insert(db: &mut impl Db, label: &Label) -> Result<Label> {
    insert_row(db, label, " ON CONFLICT DO NOTHING").await?;
    let sql = "SELECT id, name, slug, created_at, updated_at FROM labels \
               WHERE name = $1 OR slug = $2 ORDER BY created_at LIMIT 1";
    let row: Row = with_conn!(db, c => sqlx::query_as(sql)
        .bind(&label.name)
        .bind(&label.slug)
        .fetch_one(&mut *c)
        .await?);
    row.into_label()
}

/// Replaces a member's labels with `label_ids`, in that order.
pub async fn set_for_member(db: &mut impl Db, member_id: &str, label_ids: &[&str]) -> Result<()> {
    with_conn!(db, c => sqlx::query("DELETE FROM members_labels WHERE member_id = $1")
        .bind(member_id)
        .execute(&mut *c)
        .await?
        .rows_affected());
    for (i, id) in label_ids.iter().enumerate() {
        add_to_member(db, member_id, id, i64::try_from(i).unwrap_or(i64::MAX)).await?;
    }
    Ok(())
}

/// Gives a member a label (kept if they have it already).
pub async fn add_to_member(
    db: &mut impl Db,
    member_id: &str,
    label_id: &str,
    sort_order: i64,
) -> Result<()> {
    let sql = "INSERT INTO members_labels (member_id, label_id, sort_order) VALUES ($1, $2, $3) \
               ON CONFLICT DO NOTHING";
    with_conn!(db, c => sqlx::query(sql)
        .bind(member_id)
        .bind(label_id)
        .bind(sort_order)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Gives many (member id, label id, sort order) links in a few statements; links that exist
/// already keep their place.
pub async fn add_to_members(db: &mut impl Db, links: &[(&str, &str, i64)]) -> Result<()> {
    let numbered = numbered(db);
    for part in links.chunks(MAX_BINDS / 3) {
        let sql = format!(
            "INSERT INTO members_labels (member_id, label_id, sort_order) VALUES {} \
             ON CONFLICT DO NOTHING",
            value_rows(numbered, 1, part.len(), 3)
        );
        with_conn!(db, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (member, label, order) in part {
                q = q.bind(member.to_string()).bind(label.to_string()).bind(*order);
            }
            q.execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    member_id: String,
    #[sqlx(flatten)]
    label: Row,
}

/// (member id, label) for every label of `member_ids`, each member's in their order.
pub async fn for_members(db: &mut impl Db, member_ids: &[&str]) -> Result<Vec<(String, Label)>> {
    if member_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT ml.member_id, l.id, l.name, l.slug, l.created_at, l.updated_at \
         FROM members_labels ml JOIN labels l ON l.id = ml.label_id \
         WHERE ml.member_id IN ({}) ORDER BY ml.member_id, ml.sort_order",
        placeholders(1, member_ids.len())
    );
    let rows: Vec<LinkRow> = with_conn!(db, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
        for id in member_ids {
            q = q.bind(id.to_string());
        }
        q.fetch_all(&mut *c).await?
    });
    rows.into_iter()
        .map(|r| Ok((r.member_id, r.label.into_label()?)))
        .collect()
}
