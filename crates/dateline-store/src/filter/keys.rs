//! Tag and author slugs in a post filter, looked up before the filter is compiled so that it
//! compares the link tables' own keys (`posts_tags.tag_id IN (…)`) instead of joining on the
//! slug.
//!
//! Why: PostgreSQL cannot know how many posts a slug selects through a join, so it takes every
//! tag for an average one. At 100k posts a section of 47k stories was taken for 4,400, and
//! `tag:news+tag:politics` fetched all 47k stories one by one to sort them (290 ms) where
//! walking the newest stories finds a page in a few milliseconds. Given the tag's own id, the
//! planner reads that tag's share from its statistics and plans both a big section and a tag
//! of 900 stories sensibly. A slug that names nothing becomes an empty id, which no row has:
//! no post has that tag, as the join would have found, and `tags:[a+nothing]` stays false.

use std::borrow::Cow;
use std::collections::HashMap;

use dateline_core::nql::{CmpOp, Expr, ListKind, Value};

use super::Resource;
use super::fields::{self, Column, Kind, Relation, Target};
use crate::Result;
use crate::conn::{Db, with_conn};

/// Ids by slug, for the tags and staff a filter names. Empty (not resolved): every field is
/// compared as written.
#[derive(Debug, Default)]
pub struct Keys {
    tags: HashMap<String, String>,
    users: HashMap<String, String>,
    /// Whether the lookup ran; without it a slug that named nothing would look like a slug
    /// that names no row, and the filter would select nothing.
    resolved: bool,
}

impl Keys {
    /// The slugs `expr` compares tags and authors with, looked up in one query each.
    pub async fn resolve(db: &mut impl Db, expr: &Expr, resource: Resource) -> Result<Keys> {
        let mut slugs = (Vec::new(), Vec::new());
        collect(expr, resource, &mut slugs);
        let (tag_slugs, user_slugs) = slugs;
        Ok(Keys {
            tags: ids_by_slug(db, "tags", &tag_slugs).await?,
            users: ids_by_slug(db, "users", &user_slugs).await?,
            resolved: true,
        })
    }

    /// `target` and `values` as the compiler should place them: for an equality with the
    /// slugs of tags or authors, the link table's key column and the ids those slugs name;
    /// anything else as it is.
    pub(super) fn keyed<'v>(
        &self,
        target: Target,
        values: &'v [Value],
    ) -> (Target, Cow<'v, [Value]>) {
        let unchanged = (target, Cow::Borrowed(values));
        let Target::Related(relation, column) = target else {
            return unchanged;
        };
        if !self.resolved || column.name != "slug" {
            return unchanged;
        }
        let (ids, key) = match relation {
            Relation::Tags | Relation::PrimaryTag => (&self.tags, "nql_r.tag_id"),
            Relation::Authors | Relation::PrimaryAuthor => (&self.users, "nql_r.author_id"),
            Relation::Labels | Relation::Newsletters => return unchanged,
        };
        let values = values
            .iter()
            .map(|value| match value {
                Value::Null => Value::Null,
                _ => Value::Text(
                    slug_of(value)
                        .and_then(|slug| ids.get(slug))
                        .cloned()
                        .unwrap_or_default(),
                ),
            })
            .collect();
        let key = Column {
            name: key,
            kind: Kind::Text,
            nullable: false,
            derived: true,
        };
        (Target::Related(relation, key), Cow::Owned(values))
    }
}

/// The slug a value names, as the compiler binds a text column (`tag:2024` is the slug "2024").
fn slug_of(value: &Value) -> Option<&str> {
    match value {
        Value::Text(s) | Value::Number(s) => Some(s),
        Value::Bool(true) => Some("true"),
        Value::Bool(false) => Some("false"),
        Value::Null | Value::Relative(_) => None,
    }
}

/// Every slug compared for equality with a post's tags (`.0`) or authors (`.1`).
fn collect(expr: &Expr, resource: Resource, slugs: &mut (Vec<String>, Vec<String>)) {
    let (field, values): (&str, &[Value]) = match expr {
        Expr::And(items) | Expr::Or(items) => {
            items.iter().for_each(|item| collect(item, resource, slugs));
            return;
        }
        Expr::Not(inner) => return collect(inner, resource, slugs),
        Expr::Cmp {
            field,
            op: CmpOp::Eq | CmpOp::Ne,
            value,
        } => (field, std::slice::from_ref(value)),
        Expr::In {
            field,
            kind: ListKind::AnyOf | ListKind::NoneOf | ListKind::AllOf,
            values,
        } => (field, values),
        Expr::Cmp { .. } | Expr::Match { .. } => return,
    };
    let Some(Target::Related(relation, column)) = fields::lookup(resource, field) else {
        return;
    };
    if column.name != "slug" {
        return;
    }
    let list = match relation {
        Relation::Tags | Relation::PrimaryTag => &mut slugs.0,
        Relation::Authors | Relation::PrimaryAuthor => &mut slugs.1,
        Relation::Labels | Relation::Newsletters => return,
    };
    list.extend(values.iter().filter_map(slug_of).map(str::to_owned));
}

/// `slug → id` for the rows of `table` (`tags` or `users`) with those slugs.
async fn ids_by_slug(
    db: &mut impl Db,
    table: &'static str,
    slugs: &[String],
) -> Result<HashMap<String, String>> {
    if slugs.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT slug, id FROM {table} WHERE slug IN ({})",
        crate::posts::placeholders(slugs.len())
    );
    let rows: Vec<(String, String)> = with_conn!(db, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
        for slug in slugs {
            q = q.bind(slug.clone());
        }
        q.fetch_all(&mut *c).await?
    });
    Ok(rows.into_iter().collect())
}
