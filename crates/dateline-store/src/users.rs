//! Staff users.

use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_core::user::{Social, User};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};
use crate::counted::{Counted, CountedBrowse};

const COLUMNS: &str = "id, name, slug, email, password_hash, role, profile_image, cover_image, \
    bio, website, location, facebook, twitter, threads, bluesky, mastodon, tiktok, youtube, \
    instagram, linkedin, accessibility, status, locale, visibility, meta_title, meta_description, \
    tour, last_seen, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    name: String,
    slug: String,
    email: String,
    password_hash: String,
    role: String,
    profile_image: Option<String>,
    cover_image: Option<String>,
    bio: Option<String>,
    website: Option<String>,
    location: Option<String>,
    facebook: Option<String>,
    twitter: Option<String>,
    threads: Option<String>,
    bluesky: Option<String>,
    mastodon: Option<String>,
    tiktok: Option<String>,
    youtube: Option<String>,
    instagram: Option<String>,
    linkedin: Option<String>,
    accessibility: Option<String>,
    status: String,
    locale: Option<String>,
    visibility: String,
    meta_title: Option<String>,
    meta_description: Option<String>,
    tour: Option<String>,
    last_seen: Option<jiff_sqlx::Timestamp>,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
}

impl UserRow {
    fn into_user(self) -> Result<User> {
        Ok(User {
            id: ObjectId::parse(&self.id)?,
            name: self.name,
            slug: self.slug,
            email: self.email,
            password_hash: self.password_hash,
            role: self.role.parse()?,
            profile_image: self.profile_image,
            cover_image: self.cover_image,
            bio: self.bio,
            website: self.website,
            location: self.location,
            facebook: self.facebook,
            twitter: self.twitter,
            social: Social {
                threads: self.threads,
                bluesky: self.bluesky,
                mastodon: self.mastodon,
                tiktok: self.tiktok,
                youtube: self.youtube,
                instagram: self.instagram,
                linkedin: self.linkedin,
            },
            accessibility: self.accessibility,
            status: self.status,
            locale: self.locale,
            visibility: self.visibility,
            meta_title: self.meta_title,
            meta_description: self.meta_description,
            tour: self.tour,
            last_seen: self.last_seen.map(|t| t.to_jiff()),
            created_at: self.created_at.to_jiff(),
            updated_at: self.updated_at.to_jiff(),
        })
    }
}

pub async fn insert(db: &mut impl Db, user: &User) -> Result<()> {
    let sql = "INSERT INTO users (id, name, slug, email, password_hash, role, profile_image, \
        cover_image, bio, website, location, facebook, twitter, threads, bluesky, mastodon, \
        tiktok, youtube, instagram, linkedin, accessibility, status, locale, visibility, \
        meta_title, meta_description, tour, last_seen, created_at, updated_at) VALUES ($1, $2, \
        $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
        $22, $23, $24, $25, $26, $27, $28, $29, $30)";
    let s = &user.social;
    with_conn!(db, c => sqlx::query(sql)
        .bind(user.id.as_str())
        .bind(&user.name)
        .bind(&user.slug)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(&user.profile_image)
        .bind(&user.cover_image)
        .bind(&user.bio)
        .bind(&user.website)
        .bind(&user.location)
        .bind(&user.facebook)
        .bind(&user.twitter)
        .bind(&s.threads)
        .bind(&s.bluesky)
        .bind(&s.mastodon)
        .bind(&s.tiktok)
        .bind(&s.youtube)
        .bind(&s.instagram)
        .bind(&s.linkedin)
        .bind(&user.accessibility)
        .bind(&user.status)
        .bind(&user.locale)
        .bind(&user.visibility)
        .bind(&user.meta_title)
        .bind(&user.meta_description)
        .bind(&user.tour)
        .bind(user.last_seen.map(|t| t.to_sqlx()))
        .bind(user.created_at.to_sqlx())
        .bind(user.updated_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn by_id(db: &mut impl Db, id: &ObjectId) -> Result<Option<User>> {
    fetch_one(db, "id = $1", id.as_str()).await
}

/// Emails are matched without regard to case, as people type them.
pub async fn by_email(db: &mut impl Db, email: &str) -> Result<Option<User>> {
    fetch_one(db, "LOWER(email) = LOWER($1)", email).await
}

pub async fn by_slug(db: &mut impl Db, slug: &str) -> Result<Option<User>> {
    fetch_one(db, "slug = $1", slug).await
}

/// The staff among `ids` who exist, in no particular order: one query for a page of posts.
pub async fn by_ids(db: &mut impl Db, ids: &[&str]) -> Result<Vec<User>> {
    let rows: Vec<UserRow> = crate::by_ids::rows(db, "users", COLUMNS, ids).await?;
    rows.into_iter().map(UserRow::into_user).collect()
}

async fn fetch_one(db: &mut impl Db, condition: &'static str, value: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE {condition}");
    let row: Option<UserRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(value)
        .fetch_optional(&mut *c)
        .await?);
    row.map(UserRow::into_user).transpose()
}

pub async fn all(db: &mut impl Db) -> Result<Vec<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users ORDER BY created_at, id");
    let rows: Vec<UserRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .fetch_all(&mut *c)
        .await?);
    rows.into_iter().map(UserRow::into_user).collect()
}

pub async fn count(db: &mut impl Db) -> Result<u64> {
    let n: i64 = with_conn!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *c)
        .await?);
    Ok(n.max(0) as u64)
}

pub async fn owner_exists(db: &mut impl Db) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM users WHERE role = $1";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(Role::Owner.as_str())
        .fetch_one(&mut *c)
        .await?);
    Ok(n > 0)
}

pub async fn slug_taken(db: &mut impl Db, slug: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM users WHERE slug = $1";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql).bind(slug).fetch_one(&mut *c).await?);
    Ok(n > 0)
}

/// Replaces a password hash (after a bcrypt hash from Ghost verified and was upgraded).
pub async fn set_password_hash(
    db: &mut impl Db,
    id: &ObjectId,
    hash: &str,
    now: Timestamp,
) -> Result<()> {
    let sql = "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3";
    with_conn!(db, c => sqlx::query(sql)
        .bind(hash)
        .bind(now.to_sqlx())
        .bind(id.as_str())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// The user columns an author listing may be ordered by: Ghost's, less the private ones
/// (emails, password hashes) that a public listing must not reveal through its order.
pub const SORTABLE: &[&str] = &[
    "id",
    "name",
    "slug",
    "profile_image",
    "cover_image",
    "bio",
    "website",
    "location",
    "facebook",
    "twitter",
    "threads",
    "bluesky",
    "mastodon",
    "tiktok",
    "youtube",
    "instagram",
    "linkedin",
    "meta_title",
    "meta_description",
    "created_at",
    "updated_at",
];

/// Who is shown publicly as an author: everyone not suspended or locked.
const PUBLIC_AUTHOR: &str = "status NOT IN ('inactive', 'locked')";

const COUNTED: Counted = Counted {
    table: "users",
    columns: COLUMNS,
    link: ("posts_authors", "author_id"),
    condition: PUBLIC_AUTHOR,
    sortable: SORTABLE,
};

/// A page of public authors with their published posts, and the number in all pages.
pub async fn browse_authors(
    db: &mut impl Db,
    query: &CountedBrowse<'_>,
) -> Result<(Vec<(User, u64)>, u64)> {
    let (rows, total) = COUNTED.browse::<UserRow>(db, query).await?;
    let users = rows
        .into_iter()
        .map(|(row, n)| Ok((row.into_user()?, n)))
        .collect::<Result<_>>()?;
    Ok((users, total))
}

/// Staff shown publicly as authors: everyone not suspended or locked.
pub async fn public_authors(db: &mut impl Db) -> Result<Vec<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE {PUBLIC_AUTHOR} ORDER BY name, id");
    let rows: Vec<UserRow> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .fetch_all(&mut *c)
        .await?);
    rows.into_iter().map(UserRow::into_user).collect()
}
