//! Reading a Ghost export (Ghost 4 and 5; both the `{"db":[…]}` envelope that Ghost's admin
//! downloads and the bare `{"meta","data"}` form) into an [`Export`].
//!
//! Nearly all of an export is its `posts` table, so posts are never all held at once, neither
//! as parsed JSON nor as built [`Post`]s: the file stays one byte buffer, each table is a list
//! of borrowed raw rows, and a row is parsed into a small JSON map only while it is read.
//! [`parse`] reads every row once to check it (so a bad file is refused before anything is
//! written) and keeps what is small: users, tags, settings and each post's links;
//! [`Export::posts`] reads each post again, as the importer writes it, and derives its
//! Markdown, plain text and dateline only then. The peak is the file plus one batch of posts.

use std::collections::{HashMap, HashSet};

use dateline_core::id::ObjectId;
use dateline_core::post::{Correction, Post, PostStatus, PostType, SourceDocument, Visibility};
use dateline_core::role::Role;
use dateline_core::settings::Setting;
use dateline_core::tag::{Tag, TagVisibility};
use dateline_core::user::{Social, User};
use dateline_core::{body, lexical, mobiledoc, plaintext};
use jiff::Timestamp;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{FormatError, Membership};
use crate::password::NO_PASSWORD;

mod membership;

type Result<T> = std::result::Result<T, FormatError>;

/// A checked Ghost export, borrowing the file's bytes.
#[derive(Debug)]
pub struct Export<'a> {
    /// Ghost version that wrote the file, from `meta.version`.
    pub version: Option<String>,
    pub users: Vec<User>,
    pub tags: Vec<Tag>,
    pub settings: Vec<Setting>,
    pub membership: Membership,
    /// What was left out and why (links to records the file does not contain).
    pub warnings: Vec<String>,
    posts: PostRows<'a>,
}

/// What the other tables hold for one post: ordered tag and author ids (referring to ids in
/// `tags` and `users`), its `posts_meta` and `dateline_posts` rows, its corrections.
#[derive(Debug, Default)]
struct Attached<'a> {
    tag_ids: Vec<ObjectId>,
    author_ids: Vec<ObjectId>,
    meta: Option<(usize, &'a RawValue)>,
    newsroom: Option<(usize, &'a RawValue)>,
    corrections: Vec<Correction>,
    /// Ghost 1 and 2's `posts.author_id`, used when `posts_authors` names no author.
    legacy_author: Option<String>,
}

impl Export<'_> {
    /// Records to write, for progress bars.
    pub fn record_count(&self) -> u64 {
        (self.users.len()
            + self.tags.len()
            + self.posts.len()
            + self.settings.len()
            + self.membership.record_count()) as u64
    }

    /// The posts and pages, in file order, each built as it is asked for.
    pub fn posts(&self) -> impl Iterator<Item = Result<Post>> + '_ {
        (0..self.posts.len()).map(|index| self.post(index))
    }

    fn post(&self, index: usize) -> Result<Post> {
        let (raw, attached) = &self.posts[index];
        let r = Record::new("posts", index, raw);
        let meta = attached
            .meta
            .map(|(i, raw)| Record::new("posts_meta", i, raw));
        let mut post = read_post(&r, meta.as_ref())?;
        post.tag_ids.clone_from(&attached.tag_ids);
        post.author_ids.clone_from(&attached.author_ids);
        post.corrections.clone_from(&attached.corrections);
        let html = post.html.as_deref();
        match attached.newsroom {
            // Dateline's own export says what the dateline is, even that there is none.
            Some((i, raw)) => {
                let newsroom = Record::new("dateline_posts", i, raw);
                post.dateline = newsroom.opt_str("dateline")?;
                post.markdown = newsroom.opt_str("markdown")?;
            }
            // Ghost has no dateline field; newsrooms type it at the start of the first
            // paragraph.
            None => post.dateline = html.and_then(dateline_theme::detect_dateline),
        }
        if post.markdown.is_none() {
            post.markdown = html.map(body::markdown_from_html);
        }
        if post.plaintext.is_none() {
            post.plaintext = html.map(plaintext::from_html);
        }
        Ok(post)
    }
}

pub fn parse(bytes: &[u8]) -> Result<Export<'_>> {
    // Checks the whole file is JSON before looking inside, so a truncated file says so.
    let root: &RawValue =
        serde_json::from_slice(bytes).map_err(|e| FormatError::Json(e.to_string()))?;
    let root = object(root).ok_or(FormatError::NotAnExport)?;
    let export = match root.get("db") {
        Some(dbs) => {
            let dbs: Vec<&RawValue> =
                serde_json::from_str(dbs.get()).map_err(|_| FormatError::NotAnExport)?;
            let first = dbs.first().ok_or(FormatError::NotAnExport)?;
            object(first).ok_or(FormatError::NotAnExport)?
        }
        None => root,
    };
    let data = export
        .get("data")
        .and_then(|d| object(d))
        .ok_or(FormatError::NotAnExport)?;
    let version = export
        .get("meta")
        .and_then(|m| serde_json::from_str::<Value>(m.get()).ok())
        .and_then(|m| m.get("version").and_then(Value::as_str).map(str::to_owned));

    let roles = role_names(&data)?;
    let user_roles = user_roles(&data, &roles)?;
    let users = records(&data, "users")?
        .map(|r| read_user(&r, &user_roles))
        .collect::<Result<Vec<_>>>()?;
    let tags = records(&data, "tags")?
        .map(|r| read_tag(&r))
        .collect::<Result<Vec<_>>>()?;
    let (mut posts, index) = check_posts(&data)?;
    let mut warnings = Vec::new();
    attach_relations(&data, &mut posts, &index, &tags, &users, &mut warnings)?;
    attach_newsroom_fields(&data, &mut posts, &index)?;
    let settings = records(&data, "settings")?
        .map(|r| read_setting(&r))
        .filter(|s| !matches!(s, Ok(s) if super::INSTALL_SETTINGS.contains(&s.key.as_str())))
        .collect::<Result<Vec<_>>>()?;
    let membership = membership::read(&data, &mut warnings)?;
    Ok(Export {
        version,
        users,
        tags,
        settings,
        membership,
        warnings,
        posts,
    })
}

/// A JSON object's members, still raw; `None` when `raw` is not an object.
fn object(raw: &RawValue) -> Option<HashMap<String, &RawValue>> {
    serde_json::from_str(raw.get()).ok()
}

/// The tables of an export's `data`, by name.
type Tables<'a> = HashMap<String, &'a RawValue>;

/// One record of a table, parsed, with enough context to say where a problem is.
struct Record<'a> {
    table: &'static str,
    index: usize,
    raw: &'a RawValue,
    fields: Map<String, Value>,
}

impl<'a> Record<'a> {
    fn new(table: &'static str, index: usize, raw: &'a RawValue) -> Self {
        // A row that is not an object gets an empty field map, so the first required field
        // reports it with its position.
        let fields = match serde_json::from_str(raw.get()) {
            Ok(Value::Object(fields)) => fields,
            _ => Map::new(),
        };
        Record {
            table,
            index,
            raw,
            fields,
        }
    }
}

/// The rows of `table`, each parsed as it is reached.
fn records<'a>(
    data: &Tables<'a>,
    table: &'static str,
) -> Result<impl Iterator<Item = Record<'a>> + use<'a>> {
    Ok(rows(data, table)?
        .into_iter()
        .enumerate()
        .map(move |(index, raw)| Record::new(table, index, raw)))
}

/// The raw rows of `table`; none when the file has no such table.
fn rows<'a>(data: &Tables<'a>, table: &'static str) -> Result<Vec<&'a RawValue>> {
    let Some(raw) = data.get(table) else {
        return Ok(Vec::new());
    };
    let rows: Option<Vec<&RawValue>> =
        serde_json::from_str(raw.get()).map_err(|_| FormatError::NotATable {
            table: table.to_owned(),
        })?;
    Ok(rows.unwrap_or_default())
}

impl Record<'_> {
    fn error(&self, field: &'static str, problem: impl Into<String>) -> FormatError {
        FormatError::Field {
            table: self.table,
            index: self.index,
            id: self.fields.get("id").and_then(value_text),
            field,
            problem: problem.into(),
        }
    }

    fn opt_str(&self, field: &'static str) -> Result<Option<String>> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(_) => Err(self.error(field, "must be text")),
        }
    }

    fn str(&self, field: &'static str) -> Result<String> {
        self.opt_str(field)?
            .ok_or_else(|| self.error(field, "is missing"))
    }

    fn id(&self, field: &'static str) -> Result<ObjectId> {
        let text = self.str(field)?;
        ObjectId::parse(&text).map_err(|_| self.error(field, format!("`{text}` is not an id")))
    }

    fn flag(&self, field: &'static str, default: bool) -> Result<bool> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::Number(n)) => Ok(n.as_i64().unwrap_or(0) != 0),
            Some(Value::String(s)) if s == "true" || s == "1" => Ok(true),
            Some(Value::String(s)) if s == "false" || s == "0" => Ok(false),
            Some(_) => Err(self.error(field, "must be true or false")),
        }
    }

    fn number(&self, field: &'static str) -> Result<i64> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(0),
            Some(Value::Number(n)) => n
                .as_i64()
                .ok_or_else(|| self.error(field, "must be a whole number")),
            Some(Value::String(s)) => s
                .parse()
                .map_err(|_| self.error(field, "must be a whole number")),
            Some(_) => Err(self.error(field, "must be a whole number")),
        }
    }

    fn opt_time(&self, field: &'static str) -> Result<Option<Timestamp>> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .and_then(|ms| Timestamp::from_millisecond(ms).ok())
                .map(|t| Some(dateline_core::time::to_seconds(t)))
                .ok_or_else(|| self.error(field, "is not a valid time")),
            Some(Value::String(s)) => parse_time(s).map(Some).ok_or_else(|| {
                self.error(
                    field,
                    format!("`{s}` is not a date like `2025-09-08 10:30:00`"),
                )
            }),
            Some(_) => Err(self.error(field, "must be a date")),
        }
    }

    fn time(&self, field: &'static str) -> Result<Timestamp> {
        self.opt_time(field)?
            .ok_or_else(|| self.error(field, "is missing"))
    }

    fn parsed<T: std::str::FromStr>(&self, field: &'static str, default: &str) -> Result<T> {
        let text = self.opt_str(field)?.unwrap_or_else(|| default.to_owned());
        text.parse()
            .map_err(|_| self.error(field, format!("has an unknown value `{text}`")))
    }
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Ghost writes `2025-09-08 10:30:00` (UTC) in exports and ISO 8601 elsewhere; accept both.
fn parse_time(text: &str) -> Option<Timestamp> {
    let parsed = text.parse::<Timestamp>().ok().or_else(|| {
        let civil: jiff::civil::DateTime = text.trim().replace(' ', "T").parse().ok()?;
        civil
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    })?;
    Some(dateline_core::time::to_seconds(parsed))
}

fn role_names(data: &Tables<'_>) -> Result<HashMap<String, String>> {
    records(data, "roles")?
        .map(|r| Ok((r.str("id")?, r.str("name")?)))
        .collect()
}

fn user_roles(data: &Tables<'_>, roles: &HashMap<String, String>) -> Result<HashMap<String, Role>> {
    let mut by_user = HashMap::new();
    for r in records(data, "roles_users")? {
        let role_id = r.str("role_id")?;
        let name = roles
            .get(&role_id)
            .ok_or_else(|| r.error("role_id", format!("no role with id `{role_id}` in `roles`")))?;
        // Integration roles ("Admin Integration", "Super Editor"…) have no staff meaning here;
        // Super Editor is closest to Editor.
        let role = match name.as_str() {
            "Super Editor" => Role::Editor,
            other => match other.parse::<Role>() {
                Ok(role) => role,
                Err(_) => continue,
            },
        };
        by_user.insert(r.str("user_id")?, role);
    }
    Ok(by_user)
}

fn read_user(r: &Record<'_>, roles: &HashMap<String, Role>) -> Result<User> {
    let id = r.id("id")?;
    let email = r.str("email")?;
    if !email.contains('@') {
        return Err(r.error("email", format!("`{email}` is not an email address")));
    }
    let created_at = r.time("created_at")?;
    Ok(User {
        role: roles
            .get(r.str("id")?.as_str())
            .copied()
            .unwrap_or(Role::Author),
        name: r.str("name")?,
        slug: r.str("slug")?,
        email,
        password_hash: r
            .opt_str("password")?
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| NO_PASSWORD.to_owned()),
        profile_image: r.opt_str("profile_image")?,
        cover_image: r.opt_str("cover_image")?,
        bio: r.opt_str("bio")?,
        website: r.opt_str("website")?,
        location: r.opt_str("location")?,
        facebook: r.opt_str("facebook")?,
        twitter: r.opt_str("twitter")?,
        social: Social {
            threads: r.opt_str("threads")?,
            bluesky: r.opt_str("bluesky")?,
            mastodon: r.opt_str("mastodon")?,
            tiktok: r.opt_str("tiktok")?,
            youtube: r.opt_str("youtube")?,
            instagram: r.opt_str("instagram")?,
            linkedin: r.opt_str("linkedin")?,
        },
        accessibility: r.opt_str("accessibility")?,
        status: r.opt_str("status")?.unwrap_or_else(|| "active".to_owned()),
        locale: r.opt_str("locale")?,
        visibility: r
            .opt_str("visibility")?
            .unwrap_or_else(|| "public".to_owned()),
        meta_title: r.opt_str("meta_title")?,
        meta_description: r.opt_str("meta_description")?,
        tour: r.opt_str("tour")?,
        last_seen: r.opt_time("last_seen")?,
        updated_at: r.opt_time("updated_at")?.unwrap_or(created_at),
        created_at,
        id,
    })
}

fn read_tag(r: &Record<'_>) -> Result<Tag> {
    let name = r.str("name")?;
    let created_at = r.time("created_at")?;
    let visibility = match r.opt_str("visibility")? {
        Some(v) => v
            .parse()
            .map_err(|_| r.error("visibility", format!("has an unknown value `{v}`")))?,
        None => TagVisibility::for_name(&name),
    };
    Ok(Tag {
        id: r.id("id")?,
        slug: r
            .opt_str("slug")?
            .unwrap_or_else(|| dateline_core::slug::slugify(&name)),
        name,
        description: r.opt_str("description")?,
        feature_image: r.opt_str("feature_image")?,
        parent_id: r
            .opt_str("parent_id")?
            .map(|_| r.id("parent_id"))
            .transpose()?,
        visibility,
        og_image: r.opt_str("og_image")?,
        og_title: r.opt_str("og_title")?,
        og_description: r.opt_str("og_description")?,
        twitter_image: r.opt_str("twitter_image")?,
        twitter_title: r.opt_str("twitter_title")?,
        twitter_description: r.opt_str("twitter_description")?,
        meta_title: r.opt_str("meta_title")?,
        meta_description: r.opt_str("meta_description")?,
        codeinjection_head: r.opt_str("codeinjection_head")?,
        codeinjection_foot: r.opt_str("codeinjection_foot")?,
        canonical_url: r.opt_str("canonical_url")?,
        accent_color: r.opt_str("accent_color")?,
        updated_at: r.opt_time("updated_at")?.unwrap_or(created_at),
        created_at,
    })
}

/// Raw post rows in file order, each with what other tables say about it.
type PostRows<'a> = Vec<(&'a RawValue, Attached<'a>)>;

/// Checks every post (with its `posts_meta` row) and returns each raw row with its meta row
/// attached, and where each post id is. Derived fields are left for [`Export::posts`].
fn check_posts<'a>(data: &Tables<'a>) -> Result<(PostRows<'a>, HashMap<String, usize>)> {
    let mut meta: HashMap<String, (usize, &'a RawValue)> = HashMap::new();
    for r in records(data, "posts_meta")? {
        meta.insert(r.str("post_id")?, (r.index, r.raw));
    }
    let mut posts = Vec::new();
    let mut index = HashMap::new();
    for r in records(data, "posts")? {
        let id = r.str("id")?;
        let post_meta = meta.get(&id).copied();
        let meta_record = post_meta.map(|(i, raw)| Record::new("posts_meta", i, raw));
        read_post(&r, meta_record.as_ref())?;
        index.insert(id, r.index);
        posts.push((
            r.raw,
            Attached {
                meta: post_meta,
                legacy_author: r.opt_str("author_id")?,
                ..Attached::default()
            },
        ));
    }
    Ok((posts, index))
}

/// A post as its rows have it: `markdown` and `dateline` empty, `plaintext` only when the row
/// has it; [`Export::post`] derives the rest.
fn read_post(r: &Record<'_>, meta: Option<&Record<'_>>) -> Result<Post> {
    let html = post_html(r)?;
    let created_at = r.time("created_at")?;
    let status: PostStatus = r.parsed("status", "draft")?;
    let published_at = r.opt_time("published_at")?;
    if status != PostStatus::Draft && published_at.is_none() {
        return Err(r.error("published_at", format!("is missing for a {status} post")));
    }
    let meta_str = |field: &'static str| -> Result<Option<String>> {
        meta.map_or(Ok(None), |m| m.opt_str(field))
    };
    Ok(Post {
        id: r.id("id")?,
        uuid: r
            .opt_str("uuid")?
            .unwrap_or_else(dateline_core::id::new_uuid),
        post_type: post_type(r)?,
        title: r.opt_str("title")?.unwrap_or_default(),
        slug: r.str("slug")?,
        markdown: None,
        plaintext: r.opt_str("plaintext")?,
        html,
        source: post_source(r)?,
        feature_image: r.opt_str("feature_image")?,
        feature_image_alt: meta_str("feature_image_alt")?,
        feature_image_caption: meta_str("feature_image_caption")?,
        featured: r.flag("featured", false)?,
        status,
        visibility: r.parsed::<Visibility>("visibility", "public")?,
        language: r.opt_str("locale")?,
        dateline: None,
        custom_excerpt: r.opt_str("custom_excerpt")?,
        codeinjection_head: r.opt_str("codeinjection_head")?,
        codeinjection_foot: r.opt_str("codeinjection_foot")?,
        custom_template: r.opt_str("custom_template")?,
        canonical_url: r.opt_str("canonical_url")?,
        show_title_and_feature_image: r.flag("show_title_and_feature_image", true)?,
        comment_id: r.opt_str("comment_id")?,
        email_recipient_filter: r
            .opt_str("email_recipient_filter")?
            .unwrap_or_else(|| "all".to_owned()),
        og_image: meta_str("og_image")?,
        og_title: meta_str("og_title")?,
        og_description: meta_str("og_description")?,
        twitter_image: meta_str("twitter_image")?,
        twitter_title: meta_str("twitter_title")?,
        twitter_description: meta_str("twitter_description")?,
        meta_title: meta_str("meta_title")?,
        meta_description: meta_str("meta_description")?,
        email_subject: meta_str("email_subject")?,
        email_only: meta.map_or(Ok(false), |m| m.flag("email_only", false))?,
        updated_at: r.opt_time("updated_at")?.unwrap_or(created_at),
        created_at,
        published_at,
        tag_ids: Vec::new(),
        author_ids: Vec::new(),
        corrections: Vec::new(),
    })
}

/// `type` since Ghost 3; Ghost 1 and 2 wrote a `page` flag instead.
fn post_type(r: &Record<'_>) -> Result<PostType> {
    if r.fields.contains_key("type") {
        return r.parsed("type", "post");
    }
    Ok(if r.flag("page", false)? {
        PostType::Page
    } else {
        PostType::Post
    })
}

/// The body as HTML: Ghost's own rendering where the export has it, otherwise rendered from the
/// Lexical or Mobiledoc source.
fn post_html(r: &Record<'_>) -> Result<Option<String>> {
    if let Some(html) = r.opt_str("html")?.filter(|h| !h.trim().is_empty()) {
        return Ok(Some(html));
    }
    if let Some(doc) = r.opt_str("lexical")? {
        return lexical::to_html(&doc)
            .map(Some)
            .map_err(|e| r.error("lexical", format!("cannot be read: {e}")));
    }
    if let Some(doc) = r.opt_str("mobiledoc")? {
        return mobiledoc::to_html(&doc)
            .map(Some)
            .map_err(|e| r.error("mobiledoc", format!("cannot be read: {e}")));
    }
    Ok(None)
}

/// Ghost's own source document, kept so the post reads back as it was written. Ghost fills one
/// of the two columns; Lexical wins should a file have both.
fn post_source(r: &Record<'_>) -> Result<Option<SourceDocument>> {
    if let Some(doc) = r.opt_str("lexical")? {
        return Ok(Some(SourceDocument::Lexical(doc)));
    }
    Ok(r.opt_str("mobiledoc")?.map(SourceDocument::Mobiledoc))
}

/// Fills each post's ordered tags and authors from `posts_tags` and `posts_authors` (or the
/// `author_id` column of Ghost 1 and 2). A link to a record the file does not contain is left
/// out with a warning: the post itself is intact, and refusing the whole site over a stale link
/// would help nobody.
fn attach_relations(
    data: &Tables<'_>,
    posts: &mut [(&RawValue, Attached<'_>)],
    index: &HashMap<String, usize>,
    tags: &[Tag],
    users: &[User],
    warnings: &mut Vec<String>,
) -> Result<()> {
    let tag_ids: HashSet<&str> = tags.iter().map(|t| t.id.as_str()).collect();
    let user_ids: HashSet<&str> = users.iter().map(|u| u.id.as_str()).collect();
    for (table, field, known) in [
        ("posts_tags", "tag_id", &tag_ids),
        ("posts_authors", "author_id", &user_ids),
    ] {
        let mut links: Vec<(usize, i64, usize, ObjectId)> = Vec::new();
        for (seq, r) in records(data, table)?.enumerate() {
            let post_id = r.str("post_id")?;
            let target = r.id(field)?;
            let Some(&post) = index.get(&post_id) else {
                warnings.push(format!(
                    "{table}[{}]: post `{post_id}` is not in the file; link skipped",
                    r.index
                ));
                continue;
            };
            if !known.contains(target.as_str()) {
                warnings.push(format!(
                    "{table}[{}]: {field} `{target}` is not in the file; link skipped",
                    r.index
                ));
                continue;
            }
            links.push((post, r.number("sort_order")?, seq, target));
        }
        links.sort_by_key(|(post, order, seq, _)| (*post, *order, *seq));
        for (post, _, _, target) in links {
            let attached = &mut posts[post].1;
            let list = if table == "posts_tags" {
                &mut attached.tag_ids
            } else {
                &mut attached.author_ids
            };
            if !list.contains(&target) {
                list.push(target);
            }
        }
    }
    for (_, attached) in posts.iter_mut() {
        let Some(author) = attached.legacy_author.take() else {
            continue;
        };
        if attached.author_ids.is_empty() && user_ids.contains(author.as_str()) {
            attached.author_ids.extend(ObjectId::parse(&author).ok());
        }
    }
    Ok(())
}

/// Dateline's own fields travel in tables Ghost ignores: `dateline_posts` (dateline, Markdown
/// source) and `dateline_post_corrections`.
fn attach_newsroom_fields<'a>(
    data: &Tables<'a>,
    posts: &mut [(&'a RawValue, Attached<'a>)],
    index: &HashMap<String, usize>,
) -> Result<()> {
    let find = |r: &Record<'_>| -> Result<usize> {
        let post_id = r.str("post_id")?;
        index
            .get(&post_id)
            .copied()
            .ok_or_else(|| r.error("post_id", format!("no post with id `{post_id}` in `posts`")))
    };
    for r in records(data, "dateline_posts")? {
        let post = find(&r)?;
        r.opt_str("dateline")?;
        r.opt_str("markdown")?;
        posts[post].1.newsroom = Some((r.index, r.raw));
    }
    for r in records(data, "dateline_post_corrections")? {
        let i = find(&r)?;
        posts[i].1.corrections.push(Correction {
            id: r.id("id")?,
            note: r.str("note")?,
            created_at: r.time("created_at")?,
        });
    }
    for (_, attached) in posts.iter_mut() {
        attached.corrections.sort_by_key(|c| c.created_at);
    }
    Ok(())
}

fn read_setting(r: &Record<'_>) -> Result<Setting> {
    // Older exports hold some values (navigation) as JSON rather than JSON-in-a-string.
    let value = match r.fields.get("value") {
        Some(v @ (Value::Array(_) | Value::Object(_))) => Some(v.to_string()),
        _ => r.opt_str("value")?,
    };
    Ok(Setting {
        key: r.str("key")?,
        value,
        group: r.opt_str("group")?.unwrap_or_else(|| "core".to_owned()),
        value_type: r.opt_str("type")?.unwrap_or_else(|| "string".to_owned()),
        flags: r.opt_str("flags")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str =
        include_str!("../../../../../shared/fixtures/ghost-5.130/ghost-export.json");

    fn posts(site: &Export<'_>) -> Vec<Post> {
        site.posts().collect::<Result<_>>().unwrap()
    }

    #[test]
    fn reads_the_ghost_fixture() {
        let site = parse(FIXTURE.as_bytes()).unwrap();
        assert_eq!(site.version.as_deref(), Some("5.130.6"));
        assert_eq!(site.users.len(), 2);
        let posts = posts(&site);
        assert_eq!(posts.len(), 11);
        let seed = posts
            .iter()
            .find(|p| p.slug == "pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner")
            .unwrap();
        assert_eq!(seed.status, PostStatus::Published);
        assert_eq!(
            seed.published_at.unwrap().to_string(),
            "2025-09-08T10:30:00Z"
        );
        assert_eq!(
            seed.feature_image_alt.as_deref(),
            Some("Image of PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner")
        );
        let owner = site
            .users
            .iter()
            .find(|u| u.email == "editor@example.com")
            .unwrap();
        assert_eq!(owner.role, Role::Owner);
        assert!(owner.password_hash.starts_with("$2a$"));
        assert!(site.settings.iter().all(|s| s.key != "db_hash"));
        let analysis = posts
            .iter()
            .find(|p| p.slug == "analysis-what-the-nato-mission-means-for-iraqs-army")
            .unwrap();
        assert_eq!(analysis.author_ids.len(), 2);
        assert_eq!(analysis.tag_ids.len(), 2);
        let membership = &site.membership;
        assert_eq!(membership.newsletters.len(), 1);
        assert_eq!(membership.tiers.len(), 2);
        let paid = membership
            .tiers
            .iter()
            .find(|t| t.tier_type == "paid")
            .unwrap();
        let prices = paid.prices.as_ref().unwrap();
        assert_eq!(
            (
                prices.currency.as_str(),
                prices.monthly_price,
                prices.yearly_price
            ),
            ("USD", Some(500), Some(5000))
        );
        assert_eq!(membership.theme_settings.len(), 29);
        assert!(membership.members.is_empty() && membership.labels.is_empty());
    }

    #[test]
    fn bare_form_is_accepted() {
        let root: Value = serde_json::from_str(FIXTURE).unwrap();
        let bare = serde_json::to_vec(&root["db"][0]).unwrap();
        assert_eq!(parse(&bare).unwrap().posts().count(), 11);
    }

    #[test]
    fn truncated_file_is_a_json_error() {
        let err = parse(&FIXTURE.as_bytes()[..FIXTURE.len() / 2]).unwrap_err();
        assert!(matches!(err, FormatError::Json(_)), "{err}");
    }

    #[test]
    fn bad_field_names_record_and_field() {
        let mut root: Value = serde_json::from_str(FIXTURE).unwrap();
        root["db"][0]["data"]["posts"][3]["published_at"] = Value::String("yesterday".into());
        let err = parse(&serde_json::to_vec(&root).unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("posts[3] (id "), "{err}");
        assert!(err.contains("field `published_at`"), "{err}");
        assert!(err.contains("`yesterday`"), "{err}");
    }

    #[test]
    fn dangling_relation_is_skipped_with_a_warning() {
        let mut root: Value = serde_json::from_str(FIXTURE).unwrap();
        root["db"][0]["data"]["posts_tags"][0]["tag_id"] =
            Value::String("aaaaaaaaaaaaaaaaaaaaaaaa".into());
        let bytes = serde_json::to_vec(&root).unwrap();
        let site = parse(&bytes).unwrap();
        assert_eq!(site.warnings.len(), 1);
        let warning = &site.warnings[0];
        assert!(
            warning.starts_with("posts_tags[0]: tag_id `aaaaaaaaaaaaaaaaaaaaaaaa`"),
            "{warning}"
        );
    }

    #[test]
    fn ghost_2_page_flag_and_author_id_are_understood() {
        let mut root: Value = serde_json::from_str(FIXTURE).unwrap();
        let data = &mut root["db"][0]["data"];
        let owner = data["users"][0]["id"].clone();
        for post in data["posts"].as_array_mut().unwrap() {
            let page = post["type"] == "page";
            post.as_object_mut().unwrap().remove("type");
            post["page"] = Value::Bool(page);
            post["author_id"] = owner.clone();
        }
        data["posts_authors"] = Value::Array(Vec::new());
        data["settings"][0]["value"] = serde_json::json!([{"label": "Home", "url": "/"}]);
        let bytes = serde_json::to_vec(&root).unwrap();
        let site = parse(&bytes).unwrap();
        let posts = posts(&site);
        let pages = posts
            .iter()
            .filter(|p| p.post_type == PostType::Page)
            .count();
        assert_eq!(pages, 1);
        assert!(
            posts
                .iter()
                .all(|p| p.author_ids == vec![ObjectId::parse(owner.as_str().unwrap()).unwrap()])
        );
        assert!(site.settings[0].value.as_deref().unwrap().starts_with("[{"));
    }

    #[test]
    fn not_an_export() {
        assert_eq!(
            parse(b"{\"hello\":1}").unwrap_err(),
            FormatError::NotAnExport
        );
        assert_eq!(parse(b"[]").unwrap_err(), FormatError::NotAnExport);
    }
}
