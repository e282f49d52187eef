//! NQL filters ([`dateline_core::nql`]) compiled to a SQL condition with `$n` placeholders and
//! the values to bind to them. Values never enter the SQL text; field names only select
//! from a whitelist, so a filter from the public API cannot inject SQL or reach a column the
//! API does not show.
//!
//! The condition refers to the resource's table by its name ([`Resource::table`]), so select
//! `FROM posts` (or `tags`, `users`) without an alias and add the condition to the `WHERE`.
//!
//! # Fields
//!
//! | resource | fields |
//! |---|---|
//! | posts, pages | `id` `uuid` `slug` `title` `type` `status` `visibility` (text); `featured` `email_only` `show_title_and_feature_image` (true/false); `published_at` `created_at` `updated_at` (dates); `custom_excerpt` `feature_image` `language` (alias `locale`) `dateline` `canonical_url` `custom_template` `meta_title` `meta_description` `og_title` `og_description` `twitter_title` `twitter_description` (text or null) |
//! | posts: relations | `tag` `tags` `tags.slug` `tags.name` `tags.id` `tags.visibility`; `primary_tag` and `primary_tag.*` (same fields); `author` `authors` `authors.slug` `authors.name` `authors.id`; `primary_author` and `primary_author.*` |
//! | tags | `id` `slug` `name` `visibility`; `description` `feature_image` `parent_id` `accent_color` `canonical_url` `meta_title` `meta_description`; `created_at` `updated_at` |
//! | members | `id` `uuid` `email` `name` `status` (text); `note` (text or null); `email_disabled` `subscribed` (true/false; `subscribed`: gets any newsletter); `created_at` `updated_at` (dates); relations `label` `labels` `labels.slug` `labels.name` `labels.id`, `newsletters` `newsletters.slug` `newsletters.name` `newsletters.id` |
//! | newsletters | `id` `uuid` `slug` `name` `status` (text); `description` (text or null); `subscribe_on_signup` (true/false); `created_at` `updated_at` (dates) |
//! | tiers | `id` `name` `slug` `type` `visibility` (text); `active` (true/false); `description` `welcome_page_url` (text or null); `created_at` `updated_at` (dates). Tiers are not stored: [`crate::tiers`] filters the one a site has. |
//! | authors (`users`) | `id` `slug` `name` `status` `visibility`; `bio` `location` `website` `profile_image` `cover_image` `facebook` `twitter` `locale` `meta_title` `meta_description`; `created_at` `updated_at` |
//!
//! # Meaning
//!
//! - A relation's bare name is its slug: `tag:news` is `tags.slug:news`. A condition on a
//!   relation holds when some related row meets it (`tags:[a,b]`: has a or b; `tags:[a+b]`:
//!   has both); a negation holds when none does (`tag:-news`, `-tag:news`, `tags:-[a,b]`:
//!   has no such tag); `tags:null` means "has no tags".
//! - `primary_tag` is the first tag when it is public (Ghost's rule); `primary_author` the
//!   first author.
//! - `:-x` on a nullable column also matches NULL, so every negation is the exact complement.
//! - `~`, `~^`, `~$` are case-insensitive `LIKE` (ASCII letters only on SQLite, every letter on
//!   PostgreSQL, since each engine folds case its own way); `%` and `_` match themselves.
//! - Dates are `'2025-09-01'` (midnight UTC), `'2025-09-01T10:30:00Z'` or an offset (no offset
//!   means UTC), or `now-30d`, resolved against the `now` given to [`compile`]. Booleans take
//!   `true`/`false` (and `1`/`0`, `'true'`/`'false'`, as Ghost on MySQL does).

mod compile;
mod fields;
mod keys;
mod time;

pub use keys::Keys;

use dateline_core::id::ObjectId;
use dateline_core::nql::Expr;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::conn::{Db, with_conn};
use crate::{Result, StoreError};

/// What a filter selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// Posts and pages (one table, told apart by `type`).
    Posts,
    Tags,
    /// Staff users as authors.
    Authors,
    /// Members, as the Admin API (and a newsletter's `email_segment`) filter them.
    Members,
    /// Active newsletters, as the Content API lists them.
    Newsletters,
    /// Membership tiers, as the Content API lists them (a table only inside the query that
    /// filters them, [`crate::tiers::matches`]).
    Tiers,
}

impl Resource {
    /// The table a compiled condition refers to.
    pub fn table(self) -> &'static str {
        match self {
            Resource::Posts => "posts",
            Resource::Tags => "tags",
            Resource::Authors => "users",
            Resource::Members => "members",
            Resource::Newsletters => "newsletters",
            Resource::Tiers => "tiers",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Resource::Posts => "posts",
            Resource::Tags => "tags",
            Resource::Authors => "authors",
            Resource::Members => "members",
            Resource::Newsletters => "newsletters",
            Resource::Tiers => "tiers",
        }
    }
}

/// A compiled filter: `sql` is a parenthesised boolean expression whose placeholders run
/// from the `first_placeholder` given to [`compile`], one per entry of `binds`, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub sql: String,
    pub binds: Vec<Bind>,
}

/// A value to bind. Each engine encodes it natively (0/1 or `boolean`, RFC 3339 text or
/// `timestamptz`), which is why booleans and times are not bound as text.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Text(String),
    Bool(bool),
    /// Whole seconds, UTC.
    Time(Timestamp),
}

/// A filter that parsed but does not fit the resource: an unknown field, or a value of the
/// wrong kind for its field. The message names the field and is fit to show the API client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FilterError {
    pub message: String,
}

impl FilterError {
    fn new(message: impl Into<String>) -> Self {
        FilterError {
            message: message.into(),
        }
    }
}

/// Compiles `expr` for `resource`. Placeholders start at `$first_placeholder` so the filter
/// can follow a query's own parameters; relative dates (`now-30d`) are resolved against
/// `now`.
pub fn compile(
    expr: &Expr,
    resource: Resource,
    first_placeholder: usize,
    now: Timestamp,
) -> Result<Filter, FilterError> {
    compile::compile(expr, resource, first_placeholder, now, &Keys::default())
}

/// [`compile`], comparing tags and authors by the ids `keys` found for their slugs (see
/// [`Keys`]): the same rows, planned from the tables' statistics.
pub fn compile_keyed(
    expr: &Expr,
    resource: Resource,
    first_placeholder: usize,
    now: Timestamp,
    keys: &Keys,
) -> Result<Filter, FilterError> {
    compile::compile(expr, resource, first_placeholder, now, keys)
}

/// Stamps out a function that binds every value of a filter on one of sqlx's query builders,
/// for either engine; the builders each have their own `bind` and no trait in common. Text
/// is bound as an owned `String` so the query does not borrow the filter.
macro_rules! binder {
    ($(#[$doc:meta])* $name:ident, $builder:ident) => {
        $(#[$doc])*
        pub(crate) fn $name<'q, DB: sqlx::Database, O>(
            mut query: sqlx::query::$builder<'q, DB, O, <DB as sqlx::Database>::Arguments>,
            binds: &[Bind],
        ) -> sqlx::query::$builder<'q, DB, O, <DB as sqlx::Database>::Arguments>
        where
            String: for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
            bool: for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
            jiff_sqlx::Timestamp: for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
        {
            for value in binds {
                query = match value {
                    Bind::Text(text) => query.bind(text.clone()),
                    Bind::Bool(b) => query.bind(*b),
                    Bind::Time(t) => query.bind(t.to_sqlx()),
                };
            }
            query
        }
    };
}

binder!(
    /// Binds `binds`, in order, on a `sqlx::query_as` query.
    bind_as,
    QueryAs
);
binder!(
    /// Binds `binds`, in order, on a `sqlx::query_scalar` query.
    bind_scalar,
    QueryScalar
);

/// Binds `binds`, in order, on a `sqlx::query` statement (which has no output type, so the
/// macro above does not fit it).
pub(crate) fn bind_query<'q, DB: sqlx::Database>(
    mut query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    binds: &[Bind],
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    String: for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    jiff_sqlx::Timestamp: for<'a> sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    for value in binds {
        query = match value {
            Bind::Text(text) => query.bind(text.clone()),
            Bind::Bool(b) => query.bind(*b),
            Bind::Time(t) => query.bind(t.to_sqlx()),
        };
    }
    query
}

/// Ids of the rows of `resource` that `filter` selects, in id order. The filter must have
/// been compiled with `first_placeholder` 1.
pub async fn matching_ids(
    db: &mut impl Db,
    resource: Resource,
    filter: &Filter,
) -> Result<Vec<ObjectId>> {
    let table = resource.table();
    let sql = format!(
        "SELECT {table}.id FROM {table} WHERE {} ORDER BY {table}.id",
        filter.sql
    );
    let ids: Vec<String> = with_conn!(db, c => {
        let query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()));
        bind_scalar(query, &filter.binds).fetch_all(&mut *c).await?
    });
    ids.iter()
        .map(|id| ObjectId::parse(id).map_err(StoreError::from))
        .collect()
}
