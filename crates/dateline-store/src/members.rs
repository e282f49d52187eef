//! Members (readers who confirmed their address), their newsletter subscriptions, the magic
//! links that confirm and sign them in, and their sessions. Tokens are stored only as hashes.

use dateline_core::id::ObjectId;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Conn, Db, with_conn};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: ObjectId,
    pub uuid: String,
    pub email: String,
    pub name: Option<String>,
    /// Staff's note about the member (Ghost's `note`); never shown to the member.
    pub note: Option<String>,
    pub status: String,
    pub email_disabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "members.id, members.uuid, members.email, members.name, members.note, members.status, \
     members.email_disabled, members.created_at, members.updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    uuid: String,
    email: String,
    name: Option<String>,
    note: Option<String>,
    status: String,
    email_disabled: bool,
    created_at: jiff_sqlx::Timestamp,
    updated_at: jiff_sqlx::Timestamp,
}

impl Row {
    fn into_member(self) -> Result<Member> {
        Ok(Member {
            id: ObjectId::parse(&self.id)?,
            uuid: self.uuid,
            email: self.email,
            name: self.name,
            note: self.note,
            status: self.status,
            email_disabled: self.email_disabled,
            created_at: self.created_at.to_jiff(),
            updated_at: self.updated_at.to_jiff(),
        })
    }
}

/// Inserts a member unless one has the address already; returns whether it was inserted.
pub async fn insert(db: &mut impl Db, m: &Member) -> Result<bool> {
    let sql = "INSERT INTO members (id, uuid, email, name, status, email_disabled, created_at, \
               updated_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
               ON CONFLICT (email) DO NOTHING";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(m.id.as_str())
        .bind(&m.uuid)
        .bind(&m.email)
        .bind(&m.name)
        .bind(&m.status)
        .bind(m.email_disabled)
        .bind(m.created_at.to_sqlx())
        .bind(m.updated_at.to_sqlx())
        .bind(&m.note)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n == 1)
}

async fn one(db: &mut impl Db, column: &str, value: &str) -> Result<Option<Member>> {
    // `column` is one of this module's constants, never user text.
    let sql = format!("SELECT {COLUMNS} FROM members WHERE {column} = $1");
    let row: Option<Row> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(value)
        .fetch_optional(&mut *c)
        .await?);
    row.map(Row::into_member).transpose()
}

pub async fn by_email(db: &mut impl Db, email: &str) -> Result<Option<Member>> {
    one(db, "email", email).await
}

pub async fn by_id(db: &mut impl Db, id: &str) -> Result<Option<Member>> {
    one(db, "id", id).await
}

pub async fn by_uuid(db: &mut impl Db, uuid: &str) -> Result<Option<Member>> {
    one(db, "uuid", uuid).await
}

pub async fn count(db: &mut impl Db) -> Result<u64> {
    let n: i64 = with_conn!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM members")
        .fetch_one(&mut *c)
        .await?);
    Ok(n.max(0) as u64)
}

/// Stops (or resumes) newsletters to a member's address, e.g. after a bounce.
pub async fn set_email_disabled(
    db: &mut impl Db,
    id: &str,
    disabled: bool,
    now: Timestamp,
) -> Result<()> {
    set_emails_disabled(db, &[id], disabled, now).await
}

/// [`set_email_disabled`] for many members in a few statements (an import's bounces).
pub async fn set_emails_disabled(
    db: &mut impl Db,
    ids: &[&str],
    disabled: bool,
    now: Timestamp,
) -> Result<()> {
    let numbered = numbered(db);
    for part in ids.chunks(MAX_BINDS - 2) {
        let sql = format!(
            "UPDATE members SET email_disabled = {}, updated_at = {} WHERE id IN ({})",
            marks(numbered, 1, 1),
            marks(numbered, 2, 1),
            marks(numbered, 3, part.len())
        );
        with_conn!(db, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(disabled)
                .bind(now.to_sqlx());
            for id in part {
                q = q.bind(id.to_string());
            }
            q.execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

pub async fn subscribe(db: &mut impl Db, member_id: &str, newsletter_id: &str) -> Result<()> {
    let sql = "INSERT INTO members_newsletters (member_id, newsletter_id) VALUES ($1, $2) \
               ON CONFLICT DO NOTHING";
    with_conn!(db, c => sqlx::query(sql)
        .bind(member_id)
        .bind(newsletter_id)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Returns whether the member was subscribed.
pub async fn unsubscribe(db: &mut impl Db, member_id: &str, newsletter_id: &str) -> Result<bool> {
    let sql = "DELETE FROM members_newsletters WHERE member_id = $1 AND newsletter_id = $2";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(member_id)
        .bind(newsletter_id)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n > 0)
}

/// Ids of the newsletters a member gets.
pub async fn newsletter_ids(db: &mut impl Db, member_id: &str) -> Result<Vec<String>> {
    let sql = "SELECT newsletter_id FROM members_newsletters WHERE member_id = $1 \
               ORDER BY newsletter_id";
    Ok(with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(member_id)
        .fetch_all(&mut *c)
        .await?))
}

/// A magic link as stored (by the hash of its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MagicLink {
    pub token_hash: String,
    pub email: String,
    pub name: Option<String>,
    pub email_type: String,
    /// JSON array of newsletter ids, or `None` for the newsletters subscribed on sign-up.
    pub newsletters: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    token_hash: String,
    email: String,
    name: Option<String>,
    email_type: String,
    newsletters: Option<String>,
    created_at: jiff_sqlx::Timestamp,
    expires_at: jiff_sqlx::Timestamp,
}

pub async fn insert_magic_link(db: &mut impl Db, link: &MagicLink) -> Result<()> {
    let sql = "INSERT INTO member_magic_links (token_hash, email, name, email_type, newsletters, \
               created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    with_conn!(db, c => sqlx::query(sql)
        .bind(&link.token_hash)
        .bind(&link.email)
        .bind(&link.name)
        .bind(&link.email_type)
        .bind(&link.newsletters)
        .bind(link.created_at.to_sqlx())
        .bind(link.expires_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// How many links were sent to `email` since `since` (the sign-up rate limit).
pub async fn magic_links_since(db: &mut impl Db, email: &str, since: Timestamp) -> Result<u64> {
    let sql = "SELECT COUNT(*) FROM member_magic_links WHERE email = $1 AND created_at > $2";
    let n: i64 = with_conn!(db, c => sqlx::query_scalar(sql)
        .bind(email)
        .bind(since.to_sqlx())
        .fetch_one(&mut *c)
        .await?);
    Ok(n.max(0) as u64)
}

/// Uses up a link: returns it only if it exists, is unused and has not expired, and marks it
/// used in the same statement, so two clicks racing each other cannot both succeed.
pub async fn take_magic_link(
    db: &mut impl Db,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<MagicLink>> {
    let sql = "UPDATE member_magic_links SET used_at = $2 \
               WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
               RETURNING token_hash, email, name, email_type, newsletters, created_at, expires_at";
    let row: Option<LinkRow> = with_conn!(db, c => sqlx::query_as(sql)
        .bind(token_hash)
        .bind(now.to_sqlx())
        .fetch_optional(&mut *c)
        .await?);
    Ok(row.map(|r| MagicLink {
        token_hash: r.token_hash,
        email: r.email,
        name: r.name,
        email_type: r.email_type,
        newsletters: r.newsletters,
        created_at: r.created_at.to_jiff(),
        expires_at: r.expires_at.to_jiff(),
    }))
}

pub async fn insert_session(
    db: &mut impl Db,
    token_hash: &str,
    member_id: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    let sql = "INSERT INTO member_sessions (token_hash, member_id, created_at, expires_at) \
               VALUES ($1, $2, $3, $4)";
    with_conn!(db, c => sqlx::query(sql)
        .bind(token_hash)
        .bind(member_id)
        .bind(now.to_sqlx())
        .bind(expires_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// The member a live session signs in.
pub async fn by_session(
    db: &mut impl Db,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<Member>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM members JOIN member_sessions s ON s.member_id = members.id \
         WHERE s.token_hash = $1 AND s.expires_at > $2"
    );
    let row: Option<Row> = with_conn!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(token_hash)
        .bind(now.to_sqlx())
        .fetch_optional(&mut *c)
        .await?);
    row.map(Row::into_member).transpose()
}

/// What members can be ordered by (Ghost's `order=`); ties fall back to newest id first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberSort {
    CreatedAt,
    UpdatedAt,
    Email,
    Name,
    Status,
    Id,
}

impl MemberSort {
    pub fn parse(field: &str) -> Option<MemberSort> {
        Some(match field {
            "created_at" => MemberSort::CreatedAt,
            "updated_at" => MemberSort::UpdatedAt,
            "email" => MemberSort::Email,
            "name" => MemberSort::Name,
            "status" => MemberSort::Status,
            "id" => MemberSort::Id,
            _ => return None,
        })
    }

    fn column(self) -> &'static str {
        match self {
            MemberSort::CreatedAt => "members.created_at",
            MemberSort::UpdatedAt => "members.updated_at",
            MemberSort::Email => "members.email",
            MemberSort::Name => "members.name",
            MemberSort::Status => "members.status",
            MemberSort::Id => "members.id",
        }
    }
}

/// A page of members: which, in what order, how many.
#[derive(Debug, Clone)]
pub struct Browse<'a> {
    /// Compiled for [`crate::filter::Resource::Members`] with its first placeholder `$1`.
    pub filter: Option<&'a crate::filter::Filter>,
    /// Matched, case-insensitively, anywhere in the name or the address (Ghost's `search`).
    pub search: Option<&'a str>,
    pub order: &'a [(MemberSort, bool)],
    /// `None` returns every match.
    pub limit: Option<u32>,
    pub offset: u64,
}

/// One page of members and the number of matches in all pages.
pub async fn browse(db: &mut impl Db, query: &Browse<'_>) -> Result<(Vec<Member>, u64)> {
    let binds = query.filter.map(|f| f.binds.as_slice()).unwrap_or(&[]);
    let (condition, search, next) = condition(query.filter, query.search);
    let count_sql = format!("SELECT COUNT(*) FROM members WHERE {condition}");
    let total: i64 = with_conn!(db, c => {
        let q = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str()));
        let mut q = crate::filter::bind_scalar(q, binds);
        if let Some(s) = &search {
            q = q.bind(s.clone());
        }
        q.fetch_one(&mut *c).await?
    });
    let mut order: Vec<String> = query
        .order
        .iter()
        .map(|(sort, desc)| format!("{} {}", sort.column(), if *desc { "DESC" } else { "ASC" }))
        .collect();
    order.push("members.id DESC".to_owned());
    let page = match query.limit {
        Some(_) => format!(" LIMIT ${next} OFFSET ${}", next + 1),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM members WHERE {condition} ORDER BY {}{page}",
        order.join(", ")
    );
    let rows: Vec<Row> = with_conn!(db, c => {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
        let mut q = crate::filter::bind_as(q, binds);
        if let Some(s) = &search {
            q = q.bind(s.clone());
        }
        if let Some(limit) = query.limit {
            q = q.bind(i64::from(limit)).bind(i64::try_from(query.offset).unwrap_or(i64::MAX));
        }
        q.fetch_all(&mut *c).await?
    });
    let members = rows
        .into_iter()
        .map(Row::into_member)
        .collect::<Result<Vec<_>>>()?;
    Ok((members, total.max(0) as u64))
}

/// Up to `limit` members with an id above `after`, in id order: a walk through every member
/// that holds one page in memory at a time (the CSV export).
pub async fn page_after(db: &mut impl Db, after: &str, limit: u32) -> Result<Vec<Member>> {
    matching_after(db, None, None, after, limit).await
}

/// [`page_after`] among the members a filter and search select (as [`Browse`] takes them): the
/// admin's export of the list as it is filtered, without the count a page of [`browse`] costs.
pub async fn matching_after(
    db: &mut impl Db,
    filter: Option<&crate::filter::Filter>,
    search: Option<&str>,
    after: &str,
    limit: u32,
) -> Result<Vec<Member>> {
    let binds = filter.map(|f| f.binds.as_slice()).unwrap_or(&[]);
    let (condition, search, next) = condition(filter, search);
    let sql = format!(
        "SELECT {COLUMNS} FROM members WHERE {condition} AND members.id > ${next} \
         ORDER BY members.id LIMIT ${}",
        next + 1
    );
    let rows: Vec<Row> = with_conn!(db, c => {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
        let mut q = crate::filter::bind_as(q, binds);
        if let Some(s) = &search {
            q = q.bind(s.clone());
        }
        q.bind(after).bind(i64::from(limit)).fetch_all(&mut *c).await?
    });
    rows.into_iter().map(Row::into_member).collect()
}

/// The `WHERE` condition for a filter and a search, the search's `LIKE` pattern (bound after
/// the filter's values) and the next free placeholder.
fn condition(
    filter: Option<&crate::filter::Filter>,
    search: Option<&str>,
) -> (String, Option<String>, usize) {
    let binds = filter.map(|f| f.binds.len()).unwrap_or(0);
    let mut condition = filter.map_or_else(|| "1 = 1".to_owned(), |f| f.sql.clone());
    let mut next = 1 + binds;
    let search = search.map(|text| {
        let mut escaped = String::with_capacity(text.len() + 2);
        for c in text.chars() {
            if matches!(c, '%' | '_' | '\\') {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        format!("%{escaped}%")
    });
    if search.is_some() {
        condition = format!(
            "{condition} AND (LOWER(members.email) LIKE LOWER(${next}) ESCAPE '\\' \
             OR LOWER(COALESCE(members.name, '')) LIKE LOWER(${next}) ESCAPE '\\')"
        );
        next += 1;
    }
    (condition, search, next)
}

/// Saves a member's editable fields. A clash with another member's address is a unique
/// violation ([`crate::StoreError::is_unique_violation`]).
pub async fn update(db: &mut impl Db, m: &Member) -> Result<bool> {
    let sql = "UPDATE members SET email = $2, name = $3, note = $4, status = $5, \
               email_disabled = $6, updated_at = $7 WHERE id = $1";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(m.id.as_str())
        .bind(&m.email)
        .bind(&m.name)
        .bind(&m.note)
        .bind(&m.status)
        .bind(m.email_disabled)
        .bind(m.updated_at.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Deletes a member with their subscriptions, labels and sessions; false if there was none.
pub async fn delete(db: &mut impl Db, id: &str) -> Result<bool> {
    let n = with_conn!(db, c => sqlx::query("DELETE FROM members WHERE id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Replaces a member's subscriptions with `newsletter_ids`.
pub async fn set_newsletters(
    db: &mut impl Db,
    member_id: &str,
    newsletter_ids: &[&str],
) -> Result<()> {
    with_conn!(db, c => sqlx::query("DELETE FROM members_newsletters WHERE member_id = $1")
        .bind(member_id)
        .execute(&mut *c)
        .await?
        .rows_affected());
    for id in newsletter_ids {
        subscribe(db, member_id, id).await?;
    }
    Ok(())
}

/// `$first, $first+1, …` for `n` values.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// (member id, newsletter id) for each subscription of `member_ids`, however many.
pub async fn newsletter_links(
    db: &mut impl Db,
    member_ids: &[&str],
) -> Result<Vec<(String, String)>> {
    let numbered = numbered(db);
    let mut links = Vec::new();
    for part in member_ids.chunks(MAX_BINDS) {
        let sql = format!(
            "SELECT member_id, newsletter_id FROM members_newsletters WHERE member_id IN ({})",
            marks(numbered, 1, part.len())
        );
        let found: Vec<(String, String)> = with_conn!(db, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
            for id in part {
                q = q.bind(id.to_string());
            }
            q.fetch_all(&mut *c).await?
        });
        links.extend(found);
    }
    Ok(links)
}

/// The most values one statement binds: under SQLite's 32,766 and PostgreSQL's 65,535, so the
/// batch functions below split a batch of any size into statements that both engines take.
pub(crate) const MAX_BINDS: usize = 30_000;

/// How a batch statement on `db` writes its placeholders. SQLite looks each `$N` up in a list
/// while it compiles a statement, so one with thousands of them took a second to compile; its
/// bare `?` (bound in order) compiles in linear time. PostgreSQL knows only `$N`.
pub(crate) fn numbered(db: &mut impl Db) -> bool {
    matches!(db.conn(), Conn::Postgres(_))
}

/// `n` placeholders from the `first`: `$first, …` when `numbered`, else `?, …`.
fn marks(numbered: bool, first: usize, n: usize) -> String {
    if numbered {
        placeholders(first, n)
    } else {
        vec!["?"; n].join(", ")
    }
}

/// `(…), (…), …`: `rows` tuples of `columns` placeholders, numbered on from `first`.
pub(crate) fn value_rows(numbered: bool, first: usize, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", marks(numbered, first + r * columns, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The members with these addresses (as stored: lower case), in no particular order.
pub async fn by_emails(db: &mut impl Db, emails: &[&str]) -> Result<Vec<Member>> {
    many(db, "email", emails).await
}

/// The members with these ids, in no particular order; ids of nobody are left out.
pub async fn by_ids(db: &mut impl Db, ids: &[&str]) -> Result<Vec<Member>> {
    many(db, "id", ids).await
}

/// The members whose `column` (one of this module's literals, never user text) is among
/// `values`, in statements both engines take however many values there are.
async fn many(db: &mut impl Db, column: &'static str, values: &[&str]) -> Result<Vec<Member>> {
    let numbered = numbered(db);
    let mut found = Vec::with_capacity(values.len());
    for part in values.chunks(MAX_BINDS) {
        let sql = format!(
            "SELECT {COLUMNS} FROM members WHERE {column} IN ({})",
            marks(numbered, 1, part.len())
        );
        let rows: Vec<Row> = with_conn!(db, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
            for value in part {
                q = q.bind(value.to_string());
            }
            q.fetch_all(&mut *c).await?
        });
        for row in rows {
            found.push(row.into_member()?);
        }
    }
    Ok(found)
}

/// Inserts many members in a few statements, skipping any whose address is a member already
/// (or taken by a writer racing this one); returns the ids of those it inserted.
pub async fn insert_many(db: &mut impl Db, members: &[Member]) -> Result<Vec<String>> {
    const COLUMNS_PER_ROW: usize = 9;
    let numbered = numbered(db);
    let mut inserted = Vec::with_capacity(members.len());
    for part in members.chunks(MAX_BINDS / COLUMNS_PER_ROW) {
        let sql = format!(
            "INSERT INTO members (id, uuid, email, name, status, email_disabled, created_at, \
             updated_at, note) VALUES {} ON CONFLICT (email) DO NOTHING RETURNING id",
            value_rows(numbered, 1, part.len(), COLUMNS_PER_ROW)
        );
        let ids: Vec<String> = with_conn!(db, c => {
            let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()));
            for m in part {
                q = q
                    .bind(m.id.to_string())
                    .bind(m.uuid.clone())
                    .bind(m.email.clone())
                    .bind(m.name.clone())
                    .bind(m.status.clone())
                    .bind(m.email_disabled)
                    .bind(m.created_at.to_sqlx())
                    .bind(m.updated_at.to_sqlx())
                    .bind(m.note.clone());
            }
            q.fetch_all(&mut *c).await?
        });
        inserted.extend(ids);
    }
    Ok(inserted)
}

/// Adds many (member id, newsletter id) subscriptions; those that exist already stay as they are.
pub async fn subscribe_many(db: &mut impl Db, links: &[(&str, &str)]) -> Result<()> {
    let numbered = numbered(db);
    for part in links.chunks(MAX_BINDS / 2) {
        let sql = format!(
            "INSERT INTO members_newsletters (member_id, newsletter_id) VALUES {} \
             ON CONFLICT DO NOTHING",
            value_rows(numbered, 1, part.len(), 2)
        );
        with_conn!(db, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (member, newsletter) in part {
                q = q.bind(member.to_string()).bind(newsletter.to_string());
            }
            q.execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

/// Ends every subscription of these members (an import's `subscribed_to_emails = false`).
pub async fn unsubscribe_all(db: &mut impl Db, member_ids: &[&str]) -> Result<()> {
    let numbered = numbered(db);
    for part in member_ids.chunks(MAX_BINDS) {
        let sql = format!(
            "DELETE FROM members_newsletters WHERE member_id IN ({})",
            marks(numbered, 1, part.len())
        );
        with_conn!(db, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for id in part {
                q = q.bind(id.to_string());
            }
            q.execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

/// A name and a note for a member who may have none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blanks<'a> {
    pub member_id: &'a str,
    pub name: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Gives each member the name and note offered where they have none, and leaves what they have:
/// an import fills gaps but never overwrites what the newsroom wrote. The check is made in the
/// statement itself, so a name saved between an import's read and its write survives.
pub async fn fill_blanks(db: &mut impl Db, fills: &[Blanks<'_>], now: Timestamp) -> Result<()> {
    let numbered = numbered(db);
    for part in fills.chunks((MAX_BINDS - 1) / 3) {
        // `now` is the first value bound, and its placeholder the first written.
        let sql = format!(
            "UPDATE members SET name = COALESCE(members.name, v.column2), \
             note = COALESCE(members.note, v.column3), updated_at = {} \
             FROM (VALUES {}) AS v \
             WHERE members.id = v.column1 \
             AND ((members.name IS NULL AND v.column2 IS NOT NULL) \
             OR (members.note IS NULL AND v.column3 IS NOT NULL))",
            marks(numbered, 1, 1),
            value_rows(numbered, 2, part.len(), 3)
        );
        with_conn!(db, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(now.to_sqlx());
            for fill in part {
                q = q
                    .bind(fill.member_id.to_string())
                    .bind(fill.name.map(str::to_owned))
                    .bind(fill.note.map(str::to_owned));
            }
            q.execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}
