//! Filters decided in memory for one post, with the meaning the store's SQL compiler gives them
//! (`dateline_store::filter`): the site must know which collection owns a post whenever it
//! builds the post's address, and asking the database once per link would cost a query per
//! post on every listing.
//!
//! Every test is two-valued, as in the compiler: a negation is the exact complement, a
//! relation test holds when some related row meets it (`tag:-news`: no tag is `news`), and
//! `tags:null` means "has no tags". Text equality is exact; `~` matches ignore ASCII case. A
//! field posts do not have, or a value of the wrong kind, makes the test false: uploads refuse
//! such filters before they are ever evaluated.

use jiff::Timestamp;

use super::{CmpOp, Expr, ListKind, MatchKind, Value};
use crate::post::Post;
use crate::tag::{Tag, TagVisibility};
use crate::user::User;

/// A post with the tags and authors its filters may ask about, in order.
#[derive(Debug, Clone, Copy)]
pub struct PostRecord<'a> {
    pub post: &'a Post,
    pub tags: &'a [Tag],
    pub authors: &'a [User],
}

impl<'a> PostRecord<'a> {
    /// Ghost's rule: the first tag, when it is public.
    pub fn primary_tag(&self) -> Option<&'a Tag> {
        self.tags
            .first()
            .filter(|t| t.visibility == TagVisibility::Public)
    }

    pub fn primary_author(&self) -> Option<&'a User> {
        self.authors.first()
    }
}

/// One field's value on the post itself.
enum Own<'a> {
    Text(Option<&'a str>),
    Bool(bool),
    Time(Option<Timestamp>),
}

/// What a field names: a column of the post, or the same column of each related row.
enum Field<'a> {
    Own(Own<'a>),
    Related(Vec<&'a str>),
}

/// Whether `expr` selects the post; relative dates (`now-30d`) count from `now`.
pub fn matches(expr: &Expr, post: &PostRecord<'_>, now: Timestamp) -> bool {
    match expr {
        Expr::And(items) => items.iter().all(|e| matches(e, post, now)),
        Expr::Or(items) => items.iter().any(|e| matches(e, post, now)),
        Expr::Not(inner) => !matches(inner, post, now),
        Expr::Cmp { field, op, value } => {
            let Some(field) = lookup(post, field) else {
                return false;
            };
            match op {
                CmpOp::Eq => any_of(&field, std::slice::from_ref(value), now),
                CmpOp::Ne => !any_of(&field, std::slice::from_ref(value), now),
                CmpOp::Gt => order(&field, value, now, |o| o.is_gt()),
                CmpOp::Gte => order(&field, value, now, |o| o.is_ge()),
                CmpOp::Lt => order(&field, value, now, |o| o.is_lt()),
                CmpOp::Lte => order(&field, value, now, |o| o.is_le()),
            }
        }
        Expr::In {
            field,
            kind,
            values,
        } => {
            let Some(field) = lookup(post, field) else {
                return false;
            };
            match kind {
                ListKind::AnyOf => any_of(&field, values, now),
                ListKind::NoneOf => !any_of(&field, values, now),
                ListKind::AllOf => values
                    .iter()
                    .all(|v| any_of(&field, std::slice::from_ref(v), now)),
            }
        }
        Expr::Match {
            field,
            kind,
            negated,
            text,
        } => {
            let Some(field) = lookup(post, field) else {
                return false;
            };
            let hit = |value: &str| like(*kind, value, text);
            let found = match &field {
                Field::Own(Own::Text(Some(value))) => hit(value),
                Field::Own(_) => false,
                Field::Related(values) => values.iter().any(|v| hit(v)),
            };
            found != *negated
        }
    }
}

fn lookup<'a>(record: &PostRecord<'a>, field: &str) -> Option<Field<'a>> {
    let p = record.post;
    let text = |v: &'a str| Some(Field::Own(Own::Text(Some(v))));
    let opt = |v: &'a Option<String>| Some(Field::Own(Own::Text(v.as_deref())));
    let flag = |v: bool| Some(Field::Own(Own::Bool(v)));
    let time = |v: Option<Timestamp>| Some(Field::Own(Own::Time(v)));
    if let Some((relation, column)) = relation_of(field) {
        let values = match relation {
            "tags" => record
                .tags
                .iter()
                .filter_map(|t| tag_column(t, column))
                .collect(),
            "primary_tag" => record
                .primary_tag()
                .and_then(|t| tag_column(t, column))
                .into_iter()
                .collect(),
            "authors" => record
                .authors
                .iter()
                .filter_map(|a| author_column(a, column))
                .collect(),
            _ => record
                .primary_author()
                .and_then(|a| author_column(a, column))
                .into_iter()
                .collect(),
        };
        return Some(Field::Related(values));
    }
    match field {
        "id" => text(p.id.as_str()),
        "uuid" => text(&p.uuid),
        "slug" => text(&p.slug),
        "title" => text(&p.title),
        "type" => text(p.post_type.as_str()),
        "status" => text(p.status.as_str()),
        "visibility" => text(p.visibility.as_str()),
        "featured" => flag(p.featured),
        "email_only" => flag(p.email_only),
        "show_title_and_feature_image" => flag(p.show_title_and_feature_image),
        "published_at" => time(p.published_at),
        "created_at" => time(Some(p.created_at)),
        "updated_at" => time(Some(p.updated_at)),
        "custom_excerpt" => opt(&p.custom_excerpt),
        "feature_image" => opt(&p.feature_image),
        "language" | "locale" => opt(&p.language),
        "dateline" => opt(&p.dateline),
        "canonical_url" => opt(&p.canonical_url),
        "custom_template" => opt(&p.custom_template),
        "meta_title" => opt(&p.meta_title),
        "meta_description" => opt(&p.meta_description),
        "og_title" => opt(&p.og_title),
        "og_description" => opt(&p.og_description),
        "twitter_title" => opt(&p.twitter_title),
        "twitter_description" => opt(&p.twitter_description),
        _ => None,
    }
}

/// `tag` → (tags, slug), `primary_author.name` → (primary_author, name).
fn relation_of(field: &str) -> Option<(&'static str, &str)> {
    let (head, column) = field.split_once('.').unwrap_or((field, "slug"));
    let relation = match head {
        "tag" | "tags" => "tags",
        "primary_tag" => "primary_tag",
        "author" | "authors" => "authors",
        "primary_author" => "primary_author",
        _ => return None,
    };
    // `tag.slug` is not a field in the compiler; only the plural takes a column.
    if matches!(head, "tag" | "author") && field.contains('.') {
        return None;
    }
    let known: &[&str] = match relation {
        "tags" | "primary_tag" => &["slug", "name", "id", "visibility"],
        _ => &["slug", "name", "id"],
    };
    known.contains(&column).then_some((relation, column))
}

fn tag_column<'a>(tag: &'a Tag, column: &str) -> Option<&'a str> {
    match column {
        "slug" => Some(&tag.slug),
        "name" => Some(&tag.name),
        "id" => Some(tag.id.as_str()),
        _ => Some(match tag.visibility {
            TagVisibility::Public => "public",
            TagVisibility::Internal => "internal",
        }),
    }
}

fn author_column<'a>(author: &'a User, column: &str) -> Option<&'a str> {
    match column {
        "slug" => Some(&author.slug),
        "name" => Some(&author.name),
        _ => Some(author.id.as_str()),
    }
}

/// Equal to one of `values` (`null` among them: is empty, or has no related row).
fn any_of(field: &Field<'_>, values: &[Value], now: Timestamp) -> bool {
    values.iter().any(|value| match (field, value) {
        (Field::Own(Own::Text(v)), Value::Null) => v.is_none(),
        (Field::Own(Own::Time(v)), Value::Null) => v.is_none(),
        (Field::Own(Own::Bool(_)), Value::Null) => false,
        (Field::Related(rows), Value::Null) => rows.is_empty(),
        (Field::Own(Own::Text(Some(v))), value) => as_text(value).is_some_and(|t| t == *v),
        (Field::Own(Own::Text(None)), _) => false,
        (Field::Own(Own::Bool(v)), value) => as_bool(value) == Some(*v),
        (Field::Own(Own::Time(Some(v))), value) => as_time(value, now) == Some(*v),
        (Field::Own(Own::Time(None)), _) => false,
        (Field::Related(rows), value) => as_text(value).is_some_and(|t| rows.contains(&t)),
    })
}

fn order(
    field: &Field<'_>,
    value: &Value,
    now: Timestamp,
    keep: impl Fn(std::cmp::Ordering) -> bool,
) -> bool {
    match field {
        Field::Own(Own::Text(Some(v))) => as_text(value).is_some_and(|t| keep((*v).cmp(t))),
        Field::Own(Own::Time(Some(v))) => as_time(value, now).is_some_and(|t| keep(v.cmp(&t))),
        Field::Related(rows) => {
            as_text(value).is_some_and(|t| rows.iter().any(|row| keep((*row).cmp(t))))
        }
        _ => false,
    }
}

fn as_text(value: &Value) -> Option<&str> {
    match value {
        Value::Text(s) | Value::Number(s) => Some(s),
        Value::Bool(true) => Some("true"),
        Value::Bool(false) => Some("false"),
        _ => None,
    }
}

fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(s) | Value::Text(s) => match s.as_str() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn as_time(value: &Value, now: Timestamp) -> Option<Timestamp> {
    match value {
        Value::Text(text) => super::time::parse(text),
        Value::Relative(date) => Some(super::time::resolve(*date, now)),
        _ => None,
    }
}

/// Case-insensitive for ASCII letters, as the compiler's `LIKE` is on SQLite.
fn like(kind: MatchKind, value: &str, text: &str) -> bool {
    let value = value.to_ascii_lowercase();
    let text = text.to_ascii_lowercase();
    match kind {
        MatchKind::Contains => value.contains(&text),
        MatchKind::StartsWith => value.starts_with(&text),
        MatchKind::EndsWith => value.ends_with(&text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::PostType;
    use crate::role::Role;

    pub(crate) fn tag(slug: &str) -> Tag {
        let mut tag = Tag::named(
            &slug.to_uppercase(),
            slug.trim_start_matches('#'),
            Timestamp::UNIX_EPOCH,
        );
        tag.visibility = TagVisibility::for_name(slug);
        tag
    }

    fn check(filter: &str, post: &Post, tags: &[Tag], authors: &[User]) -> bool {
        let expr = crate::nql::parse(filter).unwrap();
        let now: Timestamp = "2026-01-10T00:00:00Z".parse().unwrap();
        matches(
            &expr,
            &PostRecord {
                post,
                tags,
                authors,
            },
            now,
        )
    }

    #[test]
    fn filters_read_the_post_its_tags_and_authors() {
        let mut post = Post::draft(
            PostType::Post,
            "Floods",
            "floods",
            "2026-01-01T00:00:00Z".parse().unwrap(),
        );
        post.featured = true;
        post.published_at = Some("2026-01-05T12:00:00Z".parse().unwrap());
        let tags = [tag("#wire"), tag("news"), tag("weather")];
        let ana = User::new_account(
            "Ana",
            "ana".into(),
            "ana@example.com".into(),
            String::new(),
            Role::Author,
            Timestamp::UNIX_EPOCH,
        );
        let authors = [ana];
        let yes = |f: &str| check(f, &post, &tags, &authors);
        assert!(yes("tag:news"));
        assert!(yes("tags:[sport,weather]"));
        assert!(yes("tags:[news+weather]"));
        assert!(!yes("tags:[news+sport]"));
        assert!(yes("tag:-sport"));
        assert!(!yes("tag:-news"));
        assert!(!yes("-tag:news"));
        // The first tag is internal, so there is no primary tag.
        assert!(!yes("primary_tag:wire"));
        assert!(yes("primary_tag:null"));
        assert!(yes("primary_tag:-news"));
        assert!(yes("tags.visibility:internal"));
        assert!(yes("author:ana+primary_author.name:Ana"));
        assert!(yes("featured:true+status:draft"));
        assert!(yes("featured:1"));
        assert!(yes("published_at:>'2026-01-05'+published_at:<now-1d"));
        assert!(yes("published_at:>now-7d"));
        assert!(!yes("published_at:>now-1d"));
        assert!(yes("custom_excerpt:null+slug:-other"));
        assert!(!yes("custom_excerpt:'x'"));
        assert!(yes("custom_excerpt:-'x'"));
        assert!(yes("title:~'FLOO'+title:~^fl+title:~$ods"));
        assert!(yes("(tag:sport,featured:true)+-(tag:sport)"));
        assert!(!yes("no_such_field:1"));
        assert!(!yes("tag.slug:news"));
        let untagged = check("tags:null+tag:-news", &post, &[], &authors);
        assert!(untagged);
    }
}
