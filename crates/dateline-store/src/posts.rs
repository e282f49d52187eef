//! Posts and pages with their ordered tags, ordered authors and corrections.

use std::collections::HashSet;

use dateline_core::id::ObjectId;
use dateline_core::post::{Correction, Post, PostStatus, PostType, SourceDocument};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::conn::{Conn, Db, with_conn};
use crate::{Result, StoreError};

/// The columns a reader is served, as a literal so that [`COLUMNS`] extends it at compile time.
macro_rules! served_columns {
    () => {
        "id, uuid, type, title, slug, html, plaintext, feature_image, feature_image_alt, \
        feature_image_caption, featured, status, visibility, language, dateline, custom_excerpt, \
        codeinjection_head, codeinjection_foot, custom_template, canonical_url, \
        show_title_and_feature_image, comment_id, email_recipient_filter, og_image, og_title, \
        og_description, twitter_image, twitter_title, twitter_description, meta_title, \
        meta_description, email_subject, email_only, created_at, updated_at, published_at"
    };
}

/// What the Content API and the site's listings load: every column but the documents a post
/// was written in (Markdown, Lexical, Mobiledoc), which only staff, saves and exports read.
/// Those are the widest columns of a row — the Lexical document repeats the body as JSON; in
/// the bench's 100k-post site they are 11 KB of a post's 20 — so a listing that loaded them
/// read (and on PostgreSQL de-TOASTed) more than twice the bytes it serves: 15 stories took
/// 8.3 ms on PostgreSQL with them and 2.3 ms without. A post loaded this way has `markdown`
/// and `source` unset: never save it.
const SERVED_COLUMNS: &str = served_columns!();

/// Every column, in the order [`bind_all`] binds them (the source documents last).
const COLUMNS: &str = concat!(served_columns!(), ", markdown, lexical, mobiledoc");

/// Which columns of `posts` a listing loads.
#[derive(Debug, Clone, Copy)]
enum Load {
    /// [`SERVED_COLUMNS`], for readers.
    Served,
    /// [`COLUMNS`], for staff.
    All,
}

impl Load {
    fn columns(self) -> &'static str {
        match self {
            Load::Served => SERVED_COLUMNS,
            Load::All => COLUMNS,
        }
    }
}

#[derive(sqlx::FromRow)]
struct PostRow {
    id: String,
    uuid: String,
    #[sqlx(rename = "type")]
    post_type: String,
    title: String,
    slug: String,
    html: Option<String>,
    plaintext: Option<String>,
    feature_image: Option<String>,
    feature_image_alt: Option<String>,
    feature_image_caption: Option<String>,
    featured: bool,
    status: String,
    visibility: String,
    language: Option<String>,
    dateline: Option<String>,
    custom_excerpt: Option<String>,
    codeinjection_head: Option<String>,
    codeinjection_foot: Option<String>,
    custom_template: Option<String>,
    canonical_url: Option<String>,
    show_title_and_feature_image: bool,
    comment_id: Option<String>,
    email_recipient_filter: String,
    og_image: Option<String>,
    og_title: Option<String>,
    og_description: Option<String>,
    twitter_image: Option<String>,
    twitter_title: Option<String>,
    twitter_description: Option<String>,
    meta_title: Option<String>,
    meta_description: Option<String>,
    email_subject: Option<String>,
    email_only: bool,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
    published_at: Option<jiff_sqlx::Timestamp>,
    // Absent from a `Load::Served` row.
    #[sqlx(default)]
    markdown: Option<String>,
    #[sqlx(default)]
    lexical: Option<String>,
    #[sqlx(default)]
    mobiledoc: Option<String>,
}

impl PostRow {
    fn into_post(self) -> Result<Post> {
        Ok(Post {
            id: ObjectId::parse(&self.id)?,
            uuid: self.uuid,
            post_type: self.post_type.parse()?,
            title: self.title,
            slug: self.slug,
            markdown: self.markdown,
            html: self.html,
            source: match (self.lexical, self.mobiledoc) {
                (Some(doc), _) => Some(SourceDocument::Lexical(doc)),
                (None, Some(doc)) => Some(SourceDocument::Mobiledoc(doc)),
                (None, None) => None,
            },
            plaintext: self.plaintext,
            feature_image: self.feature_image,
            feature_image_alt: self.feature_image_alt,
            feature_image_caption: self.feature_image_caption,
            featured: self.featured,
            status: self.status.parse()?,
            visibility: self.visibility.parse()?,
            language: self.language,
            dateline: self.dateline,
            custom_excerpt: self.custom_excerpt,
            codeinjection_head: self.codeinjection_head,
            codeinjection_foot: self.codeinjection_foot,
            custom_template: self.custom_template,
            canonical_url: self.canonical_url,
            show_title_and_feature_image: self.show_title_and_feature_image,
            comment_id: self.comment_id,
            email_recipient_filter: self.email_recipient_filter,
            og_image: self.og_image,
            og_title: self.og_title,
            og_description: self.og_description,
            twitter_image: self.twitter_image,
            twitter_title: self.twitter_title,
            twitter_description: self.twitter_description,
            meta_title: self.meta_title,
            meta_description: self.meta_description,
            email_subject: self.email_subject,
            email_only: self.email_only,
            created_at: self.created_at.to_jiff(),
            updated_at: self.updated_at.to_jiff(),
            published_at: self.published_at.map(|t| t.to_jiff()),
            tag_ids: Vec::new(),
            author_ids: Vec::new(),
            corrections: Vec::new(),
        })
    }
}

/// Most parameters one multi-row statement binds. On PostgreSQL each statement is a round
/// trip, so a statement carries many rows (189 posts at 39 parameters, far under its limit of
/// 65,535). SQLite runs in process, with no round trip to save, and finds each `$n` parameter
/// by a linear scan of the statement's parameter names, so binding thousands costs quadratic
/// time: there a statement keeps to a few dozen parameters (one post, or a few link rows).
fn max_parameters(db: &mut impl Db) -> usize {
    match db.conn() {
        Conn::Sqlite(_) => 64,
        Conn::Postgres(_) => 7_400,
    }
}

/// Rows of `columns` values per statement on `db`.
fn rows_per_statement(db: &mut impl Db, columns: usize) -> usize {
    (max_parameters(db) / columns).max(1)
}

/// The columns of an insert, in `COLUMNS` order (which [`bind_all`] follows).
const INSERT_COLUMNS: usize = column_count(COLUMNS);

/// The names in a comma-separated column list.
const fn column_count(list: &str) -> usize {
    let bytes = list.as_bytes();
    let (mut i, mut n) = (0, 1);
    while i < bytes.len() {
        if bytes[i] == b',' {
            n += 1;
        }
        i += 1;
    }
    n
}

/// Inserts a post with its tags, authors and corrections.
pub async fn insert(db: &mut impl Db, post: &Post) -> Result<()> {
    insert_many(db, std::slice::from_ref(post)).await
}

/// Inserts posts with their tags, authors and corrections, many rows per statement on
/// PostgreSQL ([`max_parameters`]), where each statement is a round trip, which dominates an
/// import done row by row.
/// On a failure the caller cannot tell which post caused it; run it inside a savepoint and
/// retry one by one to find out (as the importer does).
pub async fn insert_many(db: &mut impl Db, posts: &[Post]) -> Result<()> {
    for chunk in posts.chunks(rows_per_statement(db, INSERT_COLUMNS)) {
        let sql = format!(
            "INSERT INTO posts ({COLUMNS}) VALUES {}",
            value_rows(chunk.len(), INSERT_COLUMNS)
        );
        with_conn!(db, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for post in chunk {
                query = bind_all(query, post);
            }
            query.execute(&mut *c).await?.rows_affected()
        });
    }
    insert_relations(db, posts).await
}

/// `($1, $2), ($3, $4)` for `rows` rows of `columns` values.
fn value_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let values = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect::<Vec<_>>()
                .join(", ");
            format!("({values})")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Replaces a stored post (matched by id) with `post`, relations included. Returns false when
/// no post has that id.
pub async fn update(db: &mut impl Db, post: &Post) -> Result<bool> {
    let sql = update_sql();
    let changed = with_conn!(db, c => bind_all(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())), post)
        .execute(&mut *c)
        .await?
        .rows_affected());
    if changed == 0 {
        return Ok(false);
    }
    for table in ["posts_tags", "posts_authors", "post_corrections"] {
        let sql = format!("DELETE FROM {table} WHERE post_id = $1");
        with_conn!(db, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(post.id.as_str())
            .execute(&mut *c)
            .await?
            .rows_affected());
    }
    insert_relations(db, std::slice::from_ref(post)).await?;
    Ok(true)
}

/// `UPDATE posts SET uuid = $2, … WHERE id = $1`: every column but the id, numbered as
/// [`bind_all`] binds them.
fn update_sql() -> String {
    let set = COLUMNS
        .split(", ")
        .enumerate()
        .skip(1)
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    format!("UPDATE posts SET {set} WHERE id = $1")
}

/// Binds every column of `post` as `$1`…`$39`, in `COLUMNS` order.
fn bind_all<'q, DB: sqlx::Database>(
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    post: &Post,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    for<'a> &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> Option<&'a str>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    jiff_sqlx::Timestamp: for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Option<jiff_sqlx::Timestamp>: for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    query
        .bind(post.id.as_str())
        .bind(post.uuid.as_str())
        .bind(post.post_type.as_str())
        .bind(post.title.as_str())
        .bind(post.slug.as_str())
        .bind(post.html.as_deref())
        .bind(post.plaintext.as_deref())
        .bind(post.feature_image.as_deref())
        .bind(post.feature_image_alt.as_deref())
        .bind(post.feature_image_caption.as_deref())
        .bind(post.featured)
        .bind(post.status.as_str())
        .bind(post.visibility.as_str())
        .bind(post.language.as_deref())
        .bind(post.dateline.as_deref())
        .bind(post.custom_excerpt.as_deref())
        .bind(post.codeinjection_head.as_deref())
        .bind(post.codeinjection_foot.as_deref())
        .bind(post.custom_template.as_deref())
        .bind(post.canonical_url.as_deref())
        .bind(post.show_title_and_feature_image)
        .bind(post.comment_id.as_deref())
        .bind(post.email_recipient_filter.as_str())
        .bind(post.og_image.as_deref())
        .bind(post.og_title.as_deref())
        .bind(post.og_description.as_deref())
        .bind(post.twitter_image.as_deref())
        .bind(post.twitter_title.as_deref())
        .bind(post.twitter_description.as_deref())
        .bind(post.meta_title.as_deref())
        .bind(post.meta_description.as_deref())
        .bind(post.email_subject.as_deref())
        .bind(post.email_only)
        .bind(post.created_at.to_sqlx())
        .bind(post.updated_at.to_sqlx())
        .bind(post.published_at.map(|t| t.to_sqlx()))
        .bind(post.markdown.as_deref())
        .bind(match &post.source {
            Some(SourceDocument::Lexical(doc)) => Some(doc.as_str()),
            _ => None,
        })
        .bind(post.mobiledoc())
}

/// Inserts the tag, author and correction rows of `posts`, many rows per statement.
async fn insert_relations(db: &mut impl Db, posts: &[Post]) -> Result<()> {
    for (table, column, ids) in [
        (
            "posts_tags",
            "tag_id",
            (|p: &Post| &p.tag_ids) as fn(&Post) -> &Vec<ObjectId>,
        ),
        ("posts_authors", "author_id", |p: &Post| &p.author_ids),
    ] {
        let rows: Vec<(&str, &str, i64)> = posts
            .iter()
            .flat_map(|post| {
                ids(post)
                    .iter()
                    .enumerate()
                    .map(|(order, id)| (post.id.as_str(), id.as_str(), order as i64))
            })
            .collect();
        for chunk in rows.chunks(rows_per_statement(db, 3)) {
            let sql = format!(
                "INSERT INTO {table} (post_id, {column}, sort_order) VALUES {}",
                value_rows(chunk.len(), 3)
            );
            with_conn!(db, c => {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for (post_id, id, order) in chunk {
                    query = query.bind(*post_id).bind(*id).bind(*order);
                }
                query.execute(&mut *c).await?.rows_affected()
            });
        }
    }
    let corrections: Vec<(&ObjectId, &Correction)> = posts
        .iter()
        .flat_map(|post| post.corrections.iter().map(|c| (&post.id, c)))
        .collect();
    for chunk in corrections.chunks(rows_per_statement(db, 4)) {
        let sql = format!(
            "INSERT INTO post_corrections (id, post_id, note, created_at) VALUES {}",
            value_rows(chunk.len(), 4)
        );
        with_conn!(db, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (post_id, correction) in chunk {
                query = query
                    .bind(correction.id.as_str())
                    .bind(post_id.as_str())
                    .bind(correction.note.as_str())
                    .bind(correction.created_at.to_sqlx());
            }
            query.execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

/// Holds post `id`'s row until `tx` ends, so that two saves of one post read, check and write
/// one after the other (the collision check would otherwise let both through on PostgreSQL,
/// each having read the row before the other wrote it). A SQLite write transaction holds the
/// whole database already.
pub async fn lock(tx: &mut crate::Tx, id: &ObjectId) -> Result<()> {
    if let Conn::Postgres(c) = tx.conn() {
        sqlx::query("SELECT 1 FROM posts WHERE id = $1 FOR UPDATE")
            .bind(id.as_str())
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn by_id(db: &mut impl Db, id: &ObjectId) -> Result<Option<Post>> {
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE id = $1");
    let row: Option<PostRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id.as_str())
        .fetch_optional(&mut *c)
        .await?);
    one_with_relations(db, row).await
}

pub async fn by_slug(db: &mut impl Db, slug: &str) -> Result<Option<Post>> {
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE slug = $1");
    let row: Option<PostRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(slug)
        .fetch_optional(&mut *c)
        .await?);
    one_with_relations(db, row).await
}

async fn one_with_relations(db: &mut impl Db, row: Option<PostRow>) -> Result<Option<Post>> {
    let Some(row) = row else { return Ok(None) };
    let mut posts = vec![row.into_post()?];
    load_relations(db, &mut posts).await?;
    Ok(posts.pop())
}

/// Whether any post or page uses `slug`.
pub async fn slug_taken(db: &mut impl Db, slug: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM posts WHERE slug = $1";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql).bind(slug).fetch_one(&mut *c).await?);
    Ok(n > 0)
}

/// Deletes a post or page with its tags, authors and corrections (the join rows cascade).
/// Returns whether it existed.
pub async fn delete(db: &mut impl Db, id: &ObjectId) -> Result<bool> {
    let n = with_conn!(db, c => sqlx::query("DELETE FROM posts WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// Which of `ids` a post or page already has, in one query (for imports, which check many).
pub async fn existing_ids(db: &mut impl Db, ids: &[&str]) -> Result<HashSet<String>> {
    present(db, "id", ids).await
}

/// Which of `slugs` a post or page already uses, in one query.
pub async fn taken_slugs(db: &mut impl Db, slugs: &[&str]) -> Result<HashSet<String>> {
    present(db, "slug", slugs).await
}

/// The values of `column` (a unique column of `posts`) among `values`.
async fn present(
    db: &mut impl Db,
    column: &'static str,
    values: &[&str],
) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in values.chunks(rows_per_statement(db, 1)) {
        let list = placeholders(chunk.len());
        let sql = format!("SELECT {column} FROM posts WHERE {column} IN ({list})");
        let rows: Vec<String> = with_conn!(db, c => {
            let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()));
            for value in chunk {
                query = query.bind(*value);
            }
            query.fetch_all(&mut *c).await?
        });
        found.extend(rows);
    }
    Ok(found)
}

pub async fn exists(db: &mut impl Db, id: &ObjectId) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM posts WHERE id = $1";
    let n: i64 =
        with_conn!(db, c => sqlx::query_scalar(sql).bind(id.as_str()).fetch_one(&mut *c).await?);
    Ok(n > 0)
}

pub async fn count(db: &mut impl Db, post_type: PostType) -> Result<u64> {
    let sql = "SELECT COUNT(*) FROM posts WHERE type = $1";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(post_type.as_str())
        .fetch_one(&mut *c)
        .await?);
    Ok(n.max(0) as u64)
}

/// Every post and page in id order, `limit` at a time after `after`: keyset pages for exports
/// of any size.
pub async fn batch_after(
    db: &mut impl Db,
    after: Option<&ObjectId>,
    limit: u32,
) -> Result<Vec<Post>> {
    let sql = format!("SELECT {COLUMNS} FROM posts WHERE id > $1 ORDER BY id LIMIT $2");
    let rows: Vec<PostRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(after.map_or("", ObjectId::as_str))
        .bind(i64::from(limit))
        .fetch_all(&mut *c)
        .await?);
    many_with_relations(db, rows).await
}

async fn many_with_relations(db: &mut impl Db, rows: Vec<PostRow>) -> Result<Vec<Post>> {
    let mut posts = rows
        .into_iter()
        .map(PostRow::into_post)
        .collect::<Result<Vec<_>>>()?;
    load_relations(db, &mut posts).await?;
    Ok(posts)
}

/// Scheduled posts whose time has come.
pub async fn due(db: &mut impl Db, now: Timestamp) -> Result<Vec<ObjectId>> {
    let sql = "SELECT id FROM posts WHERE status = 'scheduled' AND published_at <= $1 \
               ORDER BY published_at";
    let ids: Vec<String> = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(now.to_sqlx())
        .fetch_all(&mut *c)
        .await?);
    ids.iter()
        .map(|id| ObjectId::parse(id).map_err(StoreError::from))
        .collect()
}

/// Publishes `id` if it is still scheduled and due at `now`, marking it updated at
/// `updated_at`. The status check in the `WHERE` makes it happen exactly once however many
/// nodes race for it; returns whether this call did it.
pub async fn publish_if_due(
    db: &mut impl Db,
    id: &ObjectId,
    now: Timestamp,
    updated_at: Timestamp,
) -> Result<bool> {
    let sql = "UPDATE posts SET status = $1, updated_at = $2 \
               WHERE id = $3 AND status = $4 AND published_at <= $5";
    let done = with_conn!(db, c => sqlx::query(sql)
        .bind(PostStatus::Published.as_str())
        .bind(updated_at.to_sqlx())
        .bind(id.as_str())
        .bind(PostStatus::Scheduled.as_str())
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(done == 1)
}

/// Fills `tag_ids`, `author_ids` and `corrections` for a batch of posts with three queries.
async fn load_relations(db: &mut impl Db, posts: &mut [Post]) -> Result<()> {
    if posts.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = posts.iter().map(|p| p.id.as_str()).collect();
    let list = placeholders(ids.len());
    let tags_sql = format!(
        "SELECT post_id, tag_id FROM posts_tags WHERE post_id IN ({list}) ORDER BY post_id, sort_order"
    );
    let authors_sql = format!(
        "SELECT post_id, author_id FROM posts_authors WHERE post_id IN ({list}) ORDER BY post_id, sort_order"
    );
    let corrections_sql = format!(
        "SELECT post_id, id, note, created_at FROM post_corrections WHERE post_id IN ({list}) \
         ORDER BY post_id, created_at, id"
    );
    let tags = pairs(db, &tags_sql, &ids).await?;
    let authors = pairs(db, &authors_sql, &ids).await?;
    let corrections: Vec<(String, String, String, jiff_sqlx::Timestamp)> = with_conn!(db, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(corrections_sql.as_str()));
        for id in &ids {
            q = q.bind(*id);
        }
        q.fetch_all(&mut *c).await?
    });
    for post in posts.iter_mut() {
        let id = post.id.as_str();
        post.tag_ids = ids_for(&tags, id)?;
        post.author_ids = ids_for(&authors, id)?;
        post.corrections = corrections
            .iter()
            .filter(|(post_id, ..)| post_id == id)
            .map(|(_, cid, note, at)| {
                Ok(Correction {
                    id: ObjectId::parse(cid)?,
                    note: note.clone(),
                    created_at: at.to_jiff(),
                })
            })
            .collect::<Result<_>>()?;
    }
    Ok(())
}

async fn pairs(db: &mut impl Db, sql: &str, ids: &[&str]) -> Result<Vec<(String, String)>> {
    Ok(with_conn!(db, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(&mut *c).await?
    }))
}

fn ids_for(pairs: &[(String, String)], post_id: &str) -> Result<Vec<ObjectId>> {
    pairs
        .iter()
        .filter(|(p, _)| p == post_id)
        .map(|(_, id)| ObjectId::parse(id).map_err(StoreError::from))
        .collect()
}

/// `$1, $2, …, $n`: SQL built at run time holds placeholders like these, never values.
pub(crate) fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Columns a listing may be ordered by (the API's `order=` whitelist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostSort {
    PublishedAt,
    CreatedAt,
    UpdatedAt,
    Title,
    Slug,
    Featured,
    Id,
}

impl PostSort {
    pub fn parse(field: &str) -> Option<PostSort> {
        Some(match field {
            "published_at" => PostSort::PublishedAt,
            "created_at" => PostSort::CreatedAt,
            "updated_at" => PostSort::UpdatedAt,
            "title" => PostSort::Title,
            "slug" => PostSort::Slug,
            "featured" => PostSort::Featured,
            "id" => PostSort::Id,
            _ => return None,
        })
    }

    fn column(self) -> &'static str {
        match self {
            PostSort::PublishedAt => "posts.published_at",
            PostSort::CreatedAt => "posts.created_at",
            PostSort::UpdatedAt => "posts.updated_at",
            PostSort::Title => "posts.title",
            PostSort::Slug => "posts.slug",
            PostSort::Featured => "posts.featured",
            PostSort::Id => "posts.id",
        }
    }
}

/// A page of posts: which, in what order, how many.
#[derive(Debug, Clone)]
pub struct Browse<'a> {
    pub post_type: PostType,
    pub status: PostStatus,
    pub filter: Option<&'a crate::filter::Filter>,
    /// `(column, descending)`; ties always fall back to newest id first.
    pub order: &'a [(PostSort, bool)],
    /// `None` returns every match.
    pub limit: Option<u32>,
    pub offset: u64,
}

/// How many published posts `query` selects in all pages (its `limit` and `offset` aside).
/// Apart from [`published_page`] so that a caller may keep the count: it is the costly half of
/// a listing (a section of 47k stories in 100k: 30 ms on SQLite, 130 ms on PostgreSQL) and
/// the same for every page, limit and field set of one filter.
pub async fn published_count(db: &mut impl Db, query: &Browse<'_>) -> Result<u64> {
    count_where(db, query, &published_condition(query)).await
}

/// One page of the published posts `query` selects, as readers are served it
/// ([`SERVED_COLUMNS`]: without `markdown` and `source`), given their `total` from
/// [`published_count`].
pub async fn published_page(db: &mut impl Db, query: &Browse<'_>, total: u64) -> Result<Vec<Post>> {
    page_where(db, query, &published_condition(query), Load::Served, total).await
}

/// Like a published listing across every status (drafts, scheduled, sent): what staff see.
/// `query.status` is not used; a filter such as `status:draft` narrows the listing instead.
/// Returns the page and the number of matches in all pages.
pub async fn browse_every_status(db: &mut impl Db, query: &Browse<'_>) -> Result<(Vec<Post>, u64)> {
    // `$2` is still bound, so the placeholders of the filter keep their numbers.
    let condition = condition_where(query, "$2 = $2");
    let total = count_where(db, query, &condition).await?;
    Ok((
        page_where(db, query, &condition, Load::All, total).await?,
        total,
    ))
}

/// The first page of a published listing without counting every match: for blocks with no
/// pager (the front page's sections, an article's related stories), where the count cost as
/// much as the stories — on PostgreSQL a section's count and stories took 6–26 ms of a cold
/// start. Loads what readers are served, as [`published_page`] does.
pub async fn browse_first_page(db: &mut impl Db, query: &Browse<'_>) -> Result<Vec<Post>> {
    rows_where(db, query, &published_condition(query), Load::Served).await
}

impl Browse<'_> {
    /// Whether one plan serves every run of this listing's statement. Not with a filter: a
    /// statement the connection keeps gets PostgreSQL's generic plan after its fifth run,
    /// planned for an average value, and a filter's values (which tag, which dates) are what
    /// decides between walking the newest stories and fetching a few by their tag. Planning
    /// each run costs well under a millisecond, and only a page the cache misses runs it.
    fn planned_once(&self) -> bool {
        self.filter.is_none()
    }
}

fn published_condition(query: &Browse<'_>) -> String {
    condition_where(query, "posts.status = $2")
}

/// The `WHERE` of a listing: `$1` the type, `$2` the status, then the filter's binds.
fn condition_where(query: &Browse<'_>, status_condition: &str) -> String {
    let filter_sql = query
        .filter
        .map(|f| format!(" AND ({})", f.sql))
        .unwrap_or_default();
    format!("posts.type = $1 AND {status_condition}{filter_sql}")
}

/// How many posts `condition` (from [`condition_where`]) selects.
async fn count_where(db: &mut impl Db, query: &Browse<'_>, condition: &str) -> Result<u64> {
    let binds = query.filter.map(|f| f.binds.as_slice()).unwrap_or(&[]);
    let count_sql = format!("SELECT COUNT(*) FROM posts WHERE {condition}");
    let total: i64 = with_conn!(db, c => {
        let q = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str()))
            .persistent(query.planned_once())
            .bind(query.post_type.as_str())
            .bind(query.status.as_str());
        crate::filter::bind_scalar(q, binds).fetch_one(&mut *c).await?
    });
    Ok(total.max(0) as u64)
}

/// [`rows_where`] for a listing that has counted its `total` matches.
async fn page_where(
    db: &mut impl Db,
    query: &Browse<'_>,
    condition: &str,
    load: Load,
    total: u64,
) -> Result<Vec<Post>> {
    // Nothing on this page: the rows query would only prove it, and for a filter that matches
    // nothing (a tag with no stories) PostgreSQL proves it by walking every post newest first,
    // 0.5–0.8 s at 100k posts.
    if total <= query.offset {
        return Ok(Vec::new());
    }
    rows_where(db, query, condition, load).await
}

/// One page of the posts `condition` (from [`condition_where`]) selects, in `query`'s order.
async fn rows_where(
    db: &mut impl Db,
    query: &Browse<'_>,
    condition: &str,
    load: Load,
) -> Result<Vec<Post>> {
    let binds = query.filter.map(|f| f.binds.as_slice()).unwrap_or(&[]);
    let mut order: Vec<String> = query
        .order
        .iter()
        .map(|(sort, desc)| format!("{} {}", sort.column(), if *desc { "DESC" } else { "ASC" }))
        .collect();
    order.push("posts.id DESC".to_owned());
    let order = order.join(", ");
    let columns = load.columns();
    let next = 3 + binds.len();
    let sql = match query.limit {
        // The page's ids first, then their rows. Chosen together, SQLite (which plans without
        // statistics) fetched every row of the smaller tag of `tag:news+tag:politics`, bodies
        // and all, to sort them: 0.6 s at 100k posts. Asked for ids alone, both engines walk
        // the listing index and read 15 rows: 37 ms.
        Some(_) => format!(
            "SELECT {columns} FROM posts WHERE posts.id IN (SELECT posts.id FROM posts \
             WHERE {condition} ORDER BY {order} LIMIT ${next} OFFSET ${}) ORDER BY {order}",
            next + 1
        ),
        None => format!("SELECT {columns} FROM posts WHERE {condition} ORDER BY {order}"),
    };
    let rows: Vec<PostRow> = with_conn!(db, c => {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .persistent(query.planned_once())
            .bind(query.post_type.as_str())
            .bind(query.status.as_str());
        let mut q = crate::filter::bind_as(q, binds);
        if let Some(limit) = query.limit {
            q = q.bind(i64::from(limit)).bind(i64::try_from(query.offset).unwrap_or(i64::MAX));
        }
        q.fetch_all(&mut *c).await?
    });
    many_with_relations(db, rows).await
}

/// Published posts per tag id (for `count.posts`).
pub async fn published_count_by_tag(db: &mut impl Db) -> Result<Vec<(String, i64)>> {
    let sql = "SELECT pt.tag_id, COUNT(*) FROM posts_tags pt JOIN posts p ON p.id = pt.post_id \
               WHERE p.status = 'published' AND p.type = 'post' GROUP BY pt.tag_id";
    Ok(with_conn!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await?))
}

/// Published posts per section: the public tag each leads with (Ghost's primary tag), in
/// the order the front page shows sections — most stories first, then by name. Counting
/// primary tags, not every tag, keeps a tag that only ever comes second (a topic, a
/// place) from getting a front-page block with nothing in it.
pub async fn published_count_by_primary_tag(db: &mut impl Db) -> Result<Vec<(String, i64)>> {
    let sql = "SELECT pt.tag_id, COUNT(*) AS n FROM posts_tags pt \
               JOIN posts p ON p.id = pt.post_id JOIN tags t ON t.id = pt.tag_id \
               WHERE pt.sort_order = 0 AND t.visibility = 'public' \
               AND p.status = 'published' AND p.type = 'post' \
               GROUP BY pt.tag_id, t.name ORDER BY n DESC, t.name";
    Ok(with_conn!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await?))
}

/// Published posts per author id (for `count.posts`).
pub async fn published_count_by_author(db: &mut impl Db) -> Result<Vec<(String, i64)>> {
    let sql = "SELECT pa.author_id, COUNT(*) FROM posts_authors pa JOIN posts p ON p.id = pa.post_id \
               WHERE p.status = 'published' AND p.type = 'post' GROUP BY pa.author_id";
    Ok(with_conn!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await?))
}

/// What a sitemap needs of a published post or page, without its body.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SitemapEntry {
    pub slug: String,
    pub title: String,
    pub language: Option<String>,
    pub feature_image: Option<String>,
    #[sqlx(try_from = "jiff_sqlx::Timestamp")]
    pub updated_at: Timestamp,
    #[sqlx(try_from = "jiff_sqlx::Timestamp")]
    pub published_at: Timestamp,
}

/// Published posts or pages, newest first; `since` keeps only those published after it.
pub async fn sitemap_entries(
    db: &mut impl Db,
    post_type: PostType,
    since: Option<Timestamp>,
    limit: u32,
) -> Result<Vec<SitemapEntry>> {
    let sql = "SELECT slug, title, language, feature_image, updated_at, published_at FROM posts \
               WHERE type = $1 AND status = 'published' AND published_at >= $2 \
               ORDER BY published_at DESC, id DESC LIMIT $3";
    let since = since.unwrap_or(Timestamp::UNIX_EPOCH);
    Ok(with_conn!(db, c => sqlx::query_as(sql)
        .bind(post_type.as_str())
        .bind(since.to_sqlx())
        .bind(i64::from(limit))
        .fetch_all(&mut *c)
        .await?))
}

/// Remembers that `old_slug` now means `post_id` (after a rename). A slug that comes back into
/// use by a post is dropped from the history, so a live post always wins.
pub async fn remember_old_slug(
    db: &mut impl Db,
    old_slug: &str,
    post_id: &ObjectId,
    now: Timestamp,
) -> Result<()> {
    let sql = "INSERT INTO post_slug_history (slug, post_id, created_at) VALUES ($1, $2, $3) \
               ON CONFLICT (slug) DO UPDATE SET post_id = excluded.post_id, created_at = excluded.created_at";
    with_conn!(db, c => sqlx::query(sql)
        .bind(old_slug)
        .bind(post_id.as_str())
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn forget_old_slug(db: &mut impl Db, slug: &str) -> Result<()> {
    with_conn!(db, c => sqlx::query("DELETE FROM post_slug_history WHERE slug = $1")
        .bind(slug)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// The current slug of the post that used to live at `old_slug`.
pub async fn renamed_to(db: &mut impl Db, old_slug: &str) -> Result<Option<String>> {
    let sql =
        "SELECT p.slug FROM post_slug_history h JOIN posts p ON p.id = h.post_id WHERE h.slug = $1";
    Ok(with_conn!(db, c => sqlx::query_scalar(sql).bind(old_slug).fetch_optional(&mut *c).await?))
}
