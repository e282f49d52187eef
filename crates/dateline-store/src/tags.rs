//! Tags (sections and topics).

use dateline_core::id::ObjectId;
use dateline_core::tag::Tag;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};
use crate::counted::{Counted, CountedBrowse};

const COLUMNS: &str = "id, name, slug, description, feature_image, parent_id, visibility, \
    og_image, og_title, og_description, twitter_image, twitter_title, twitter_description, \
    meta_title, meta_description, codeinjection_head, codeinjection_foot, canonical_url, \
    accent_color, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct TagRow {
    id: String,
    name: String,
    slug: String,
    description: Option<String>,
    feature_image: Option<String>,
    parent_id: Option<String>,
    visibility: String,
    og_image: Option<String>,
    og_title: Option<String>,
    og_description: Option<String>,
    twitter_image: Option<String>,
    twitter_title: Option<String>,
    twitter_description: Option<String>,
    meta_title: Option<String>,
    meta_description: Option<String>,
    codeinjection_head: Option<String>,
    codeinjection_foot: Option<String>,
    canonical_url: Option<String>,
    accent_color: Option<String>,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
}

impl TagRow {
    fn into_tag(self) -> Result<Tag> {
        Ok(Tag {
            id: ObjectId::parse(&self.id)?,
            name: self.name,
            slug: self.slug,
            description: self.description,
            feature_image: self.feature_image,
            parent_id: self.parent_id.as_deref().map(ObjectId::parse).transpose()?,
            visibility: self.visibility.parse()?,
            og_image: self.og_image,
            og_title: self.og_title,
            og_description: self.og_description,
            twitter_image: self.twitter_image,
            twitter_title: self.twitter_title,
            twitter_description: self.twitter_description,
            meta_title: self.meta_title,
            meta_description: self.meta_description,
            codeinjection_head: self.codeinjection_head,
            codeinjection_foot: self.codeinjection_foot,
            canonical_url: self.canonical_url,
            accent_color: self.accent_color,
            created_at: self.created_at.to_jiff(),
            updated_at: self.updated_at.to_jiff(),
        })
    }
}

pub async fn insert(db: &mut impl Db, tag: &Tag) -> Result<()> {
    let sql = "INSERT INTO tags (id, name, slug, description, feature_image, parent_id, \
        visibility, og_image, og_title, og_description, twitter_image, twitter_title, \
        twitter_description, meta_title, meta_description, codeinjection_head, \
        codeinjection_foot, canonical_url, accent_color, created_at, updated_at) VALUES ($1, $2, \
        $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";
    with_conn!(db, c => bind_all(sqlx::query(sql), tag)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Binds a tag's columns as `$1..$21` in the order `insert` and `update` both name them.
fn bind_all<'q, DB: sqlx::Database>(
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    tag: &'q Tag,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<&'q str>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    jiff_sqlx::Timestamp: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .bind(tag.id.as_str())
        .bind(&tag.name)
        .bind(&tag.slug)
        .bind(&tag.description)
        .bind(&tag.feature_image)
        .bind(tag.parent_id.as_ref().map(ObjectId::as_str))
        .bind(tag.visibility.as_str())
        .bind(&tag.og_image)
        .bind(&tag.og_title)
        .bind(&tag.og_description)
        .bind(&tag.twitter_image)
        .bind(&tag.twitter_title)
        .bind(&tag.twitter_description)
        .bind(&tag.meta_title)
        .bind(&tag.meta_description)
        .bind(&tag.codeinjection_head)
        .bind(&tag.codeinjection_foot)
        .bind(&tag.canonical_url)
        .bind(&tag.accent_color)
        .bind(tag.created_at.to_sqlx())
        .bind(tag.updated_at.to_sqlx())
}

pub async fn by_id(db: &mut impl Db, id: &ObjectId) -> Result<Option<Tag>> {
    fetch_one(db, "id", id.as_str()).await
}

pub async fn by_slug(db: &mut impl Db, slug: &str) -> Result<Option<Tag>> {
    fetch_one(db, "slug", slug).await
}

/// The tags among `ids` that exist, in no particular order: one query for a page of posts.
pub async fn by_ids(db: &mut impl Db, ids: &[&str]) -> Result<Vec<Tag>> {
    let rows: Vec<TagRow> = crate::by_ids::rows(db, "tags", COLUMNS, ids).await?;
    rows.into_iter().map(TagRow::into_tag).collect()
}

async fn fetch_one(db: &mut impl Db, column: &'static str, value: &str) -> Result<Option<Tag>> {
    let sql = format!("SELECT {COLUMNS} FROM tags WHERE {column} = $1");
    let row: Option<TagRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(value)
        .fetch_optional(&mut *c)
        .await?);
    row.map(TagRow::into_tag).transpose()
}

/// The tag columns a listing may be ordered by: Ghost's, less the ones Dateline does not keep.
pub const SORTABLE: &[&str] = &[
    "id",
    "name",
    "slug",
    "description",
    "feature_image",
    "parent_id",
    "visibility",
    "og_image",
    "og_title",
    "og_description",
    "twitter_image",
    "twitter_title",
    "twitter_description",
    "meta_title",
    "meta_description",
    "codeinjection_head",
    "codeinjection_foot",
    "canonical_url",
    "accent_color",
    "created_at",
    "updated_at",
];

const COUNTED: Counted = Counted {
    table: "tags",
    columns: COLUMNS,
    link: ("posts_tags", "tag_id"),
    condition: "1 = 1",
    sortable: SORTABLE,
};

/// A page of tags (internal ones too, as Ghost lists them) with their published posts, and the
/// number of tags in all pages.
pub async fn browse_counted(
    db: &mut impl Db,
    query: &CountedBrowse<'_>,
) -> Result<(Vec<(Tag, u64)>, u64)> {
    let (rows, total) = COUNTED.browse::<TagRow>(db, query).await?;
    let tags = rows
        .into_iter()
        .map(|(row, n)| Ok((row.into_tag()?, n)))
        .collect::<Result<_>>()?;
    Ok((tags, total))
}

/// Every tag, by name; sites have hundreds, not millions.
pub async fn all(db: &mut impl Db) -> Result<Vec<Tag>> {
    let sql = format!("SELECT {COLUMNS} FROM tags ORDER BY name, id");
    let rows: Vec<TagRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .fetch_all(&mut *c)
        .await?);
    rows.into_iter().map(TagRow::into_tag).collect()
}

pub async fn count(db: &mut impl Db) -> Result<u64> {
    let n: i64 = with_conn!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM tags")
        .fetch_one(&mut *c)
        .await?);
    Ok(n.max(0) as u64)
}

pub async fn by_name(db: &mut impl Db, name: &str) -> Result<Option<Tag>> {
    fetch_one(db, "name", name).await
}

/// Replaces a stored tag (matched by id); returns false when no tag has that id.
pub async fn update(db: &mut impl Db, tag: &Tag) -> Result<bool> {
    let sql = "UPDATE tags SET name = $2, slug = $3, description = $4, feature_image = $5, \
        parent_id = $6, visibility = $7, og_image = $8, og_title = $9, og_description = $10, \
        twitter_image = $11, twitter_title = $12, twitter_description = $13, meta_title = $14, \
        meta_description = $15, codeinjection_head = $16, codeinjection_foot = $17, \
        canonical_url = $18, accent_color = $19, created_at = $20, updated_at = $21 WHERE id = $1";
    let n = with_conn!(db, c => bind_all(sqlx::query(sql), tag)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// Deletes a tag; posts lose it (the join rows cascade). Returns whether it existed.
pub async fn delete(db: &mut impl Db, id: &ObjectId) -> Result<bool> {
    let n = with_conn!(db, c => sqlx::query("DELETE FROM tags WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}

pub async fn slug_taken(db: &mut impl Db, slug: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM tags WHERE slug = $1";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql).bind(slug).fetch_one(&mut *c).await?);
    Ok(n > 0)
}
