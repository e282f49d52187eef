//! Newsletters: several per site, each with its own sender and footer.

use dateline_core::id::ObjectId;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newsletter {
    pub id: ObjectId,
    pub uuid: String,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub sender_name: Option<String>,
    pub sender_email: Option<String>,
    pub sender_reply_to: Option<String>,
    pub footer_content: Option<String>,
    pub subscribe_on_signup: bool,
    /// `active` or `archived` (no longer offered or sent).
    pub status: String,
    pub sort_order: i64,
    pub header_image: Option<String>,
    pub show_feature_image: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, uuid, name, slug, description, sender_name, sender_email, \
    sender_reply_to, footer_content, subscribe_on_signup, status, sort_order, created_at, \
    updated_at, header_image, show_feature_image";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    uuid: String,
    name: String,
    slug: String,
    description: Option<String>,
    sender_name: Option<String>,
    sender_email: Option<String>,
    sender_reply_to: Option<String>,
    footer_content: Option<String>,
    subscribe_on_signup: bool,
    status: String,
    sort_order: i64,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
    header_image: Option<String>,
    show_feature_image: bool,
}

impl Row {
    fn into_newsletter(self) -> Result<Newsletter> {
        Ok(Newsletter {
            id: ObjectId::parse(&self.id)?,
            uuid: self.uuid,
            name: self.name,
            slug: self.slug,
            description: self.description,
            sender_name: self.sender_name,
            sender_email: self.sender_email,
            sender_reply_to: self.sender_reply_to,
            footer_content: self.footer_content,
            subscribe_on_signup: self.subscribe_on_signup,
            status: self.status,
            sort_order: self.sort_order,
            header_image: self.header_image,
            show_feature_image: self.show_feature_image,
            created_at: self.created_at.to_jiff(),
            updated_at: self.updated_at.to_jiff(),
        })
    }
}

pub async fn insert(db: &mut impl Db, n: &Newsletter) -> Result<()> {
    let sql = format!(
        "INSERT INTO newsletters ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16)"
    );
    with_conn!(db, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(n.id.as_str())
        .bind(&n.uuid)
        .bind(&n.name)
        .bind(&n.slug)
        .bind(&n.description)
        .bind(&n.sender_name)
        .bind(&n.sender_email)
        .bind(&n.sender_reply_to)
        .bind(&n.footer_content)
        .bind(n.subscribe_on_signup)
        .bind(&n.status)
        .bind(n.sort_order)
        .bind(n.created_at.to_sqlx())
        .bind(n.updated_at.to_sqlx())
        .bind(&n.header_image)
        .bind(n.show_feature_image)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Active newsletters in the site's order.
pub async fn active(db: &mut impl Db) -> Result<Vec<Newsletter>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM newsletters WHERE status = 'active' ORDER BY sort_order, created_at"
    );
    let rows: Vec<Row> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .fetch_all(&mut *c)
        .await?);
    rows.into_iter().map(Row::into_newsletter).collect()
}

/// Every newsletter, archived ones too, in the site's order (the Admin API's list).
pub async fn all(db: &mut impl Db) -> Result<Vec<Newsletter>> {
    let sql = format!("SELECT {COLUMNS} FROM newsletters ORDER BY sort_order, created_at");
    let rows: Vec<Row> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .fetch_all(&mut *c)
        .await?);
    rows.into_iter().map(Row::into_newsletter).collect()
}

/// Saves every editable field of `n` (all but its ids and creation time). A slug another
/// newsletter has is a unique violation.
pub async fn update(db: &mut impl Db, n: &Newsletter) -> Result<bool> {
    let sql = "UPDATE newsletters SET name = $2, slug = $3, description = $4, sender_name = $5, \
               sender_email = $6, sender_reply_to = $7, footer_content = $8, \
               subscribe_on_signup = $9, status = $10, sort_order = $11, header_image = $12, \
               show_feature_image = $13, updated_at = $14 WHERE id = $1";
    let changed = with_conn!(db, c => sqlx::query(sql)
        .bind(n.id.as_str())
        .bind(&n.name)
        .bind(&n.slug)
        .bind(&n.description)
        .bind(&n.sender_name)
        .bind(&n.sender_email)
        .bind(&n.sender_reply_to)
        .bind(&n.footer_content)
        .bind(n.subscribe_on_signup)
        .bind(&n.status)
        .bind(n.sort_order)
        .bind(&n.header_image)
        .bind(n.show_feature_image)
        .bind(n.updated_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(changed == 1)
}

/// Subscribers per newsletter id (Ghost's `count.members`).
pub async fn member_counts(db: &mut impl Db) -> Result<Vec<(String, i64)>> {
    let sql = "SELECT newsletter_id, COUNT(*) FROM members_newsletters GROUP BY newsletter_id";
    Ok(with_conn!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await?))
}

/// One newsletter by id, uuid or slug.
pub async fn find(db: &mut impl Db, key: &str) -> Result<Option<Newsletter>> {
    let sql = format!("SELECT {COLUMNS} FROM newsletters WHERE id = $1 OR uuid = $1 OR slug = $1");
    let row: Option<Row> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(key)
        .fetch_optional(&mut *c)
        .await?);
    row.map(Row::into_newsletter).transpose()
}

pub async fn count(db: &mut impl Db) -> Result<u64> {
    let n: i64 = with_conn!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM newsletters")
        .fetch_one(&mut *c)
        .await?);
    Ok(n.max(0) as u64)
}
