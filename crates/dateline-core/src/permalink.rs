//! A collection's permalink template (`/{year}/{month}/{day}/{slug}/`): the address it gives a
//! post, and the variables it reads back out of a requested path.
//!
//! Ghost's rules, which these follow: `{year}`, `{month}` and `{day}` are the publication date
//! in the site's timezone (now, for a post not yet published); `{primary_tag}` and
//! `{primary_author}` are their slugs, or `all` when the post has none; `{slug}` and `{id}` are
//! the post's own. A variable matches any text up to the next `/` (or the static text that
//! follows it), so a path with a wrong date still finds its post, and the site then redirects
//! it to the one address the template gives.

use std::fmt;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// One `{name}` of a permalink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variable {
    Id,
    Slug,
    Year,
    Month,
    Day,
    PrimaryTag,
    PrimaryAuthor,
}

impl Variable {
    fn from_name(name: &str) -> Option<Variable> {
        Some(match name {
            "id" => Variable::Id,
            "slug" => Variable::Slug,
            "year" => Variable::Year,
            "month" => Variable::Month,
            "day" => Variable::Day,
            "primary_tag" => Variable::PrimaryTag,
            "primary_author" => Variable::PrimaryAuthor,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Var(Variable),
}

/// A parsed permalink template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    template: String,
    parts: Vec<Part>,
}

/// What a permalink reads of a post.
#[derive(Debug, Clone, Copy)]
pub struct PostPlace<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub published_at: Option<Timestamp>,
    pub primary_tag: Option<&'a str>,
    pub primary_author: Option<&'a str>,
}

/// The variables a path gave, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captures(Vec<(Variable, String)>);

impl Captures {
    pub fn get(&self, variable: Variable) -> Option<&str> {
        self.0
            .iter()
            .find(|(v, _)| *v == variable)
            .map(|(_, value)| value.as_str())
    }
}

/// Ghost's word for "no primary tag/author" in a permalink.
const NONE_WORD: &str = "all";

impl Permalink {
    /// Reads a template; `routes.yaml` has already checked its variables, so an error here is
    /// a template built in code.
    pub fn parse(template: &str) -> Result<Permalink, String> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("unclosed {{ in `{template}`"))?;
            let name = &after[..close];
            let variable = Variable::from_name(name)
                .ok_or_else(|| format!("`{{{name}}}` is not a permalink variable"))?;
            parts.push(Part::Var(variable));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(Permalink {
            template: template.to_owned(),
            parts,
        })
    }

    /// Ghost's default, `/{slug}/`.
    pub fn slug() -> Permalink {
        Permalink {
            template: "/{slug}/".to_owned(),
            parts: vec![
                Part::Text("/".to_owned()),
                Part::Var(Variable::Slug),
                Part::Text("/".to_owned()),
            ],
        }
    }

    pub fn template(&self) -> &str {
        &self.template
    }

    /// Whether the address depends on nothing but the slug (Ghost's default `/{slug}/`).
    pub fn is_slug_only(&self) -> bool {
        self.parts
            .iter()
            .all(|p| matches!(p, Part::Text(_) | Part::Var(Variable::Slug)))
    }

    /// The site-relative path of `post` (`/2026/11/28/a-story/`).
    pub fn path_for(&self, post: &PostPlace<'_>, tz: &TimeZone) -> String {
        let dated = self.parts.iter().any(|p| {
            matches!(
                p,
                Part::Var(Variable::Year | Variable::Month | Variable::Day)
            )
        });
        // Most templates have no date; converting to the timezone is the costly part.
        let date = if dated {
            post.published_at
                .unwrap_or_else(crate::time::now)
                .to_zoned(tz.clone())
                .date()
        } else {
            jiff::civil::Date::MIN
        };
        let mut path = String::with_capacity(self.template.len() + post.slug.len());
        for part in &self.parts {
            match part {
                Part::Text(text) => path.push_str(text),
                Part::Var(Variable::Id) => path.push_str(post.id),
                Part::Var(Variable::Slug) => path.push_str(post.slug),
                Part::Var(Variable::Year) => path.push_str(&format!("{:04}", date.year())),
                Part::Var(Variable::Month) => path.push_str(&format!("{:02}", date.month())),
                Part::Var(Variable::Day) => path.push_str(&format!("{:02}", date.day())),
                Part::Var(Variable::PrimaryTag) => {
                    path.push_str(post.primary_tag.unwrap_or(NONE_WORD));
                }
                Part::Var(Variable::PrimaryAuthor) => {
                    path.push_str(post.primary_author.unwrap_or(NONE_WORD));
                }
            }
        }
        path
    }

    /// The variables of `path` when it has this template's shape.
    pub fn matches(&self, path: &str) -> Option<Captures> {
        let mut captures = Vec::new();
        match_parts(&self.parts, path, &mut captures).then_some(Captures(captures))
    }
}

/// Matches `parts` against all of `path`. A variable takes one or more characters other than
/// `/`; when static text follows within the same segment, each split is tried.
fn match_parts(parts: &[Part], path: &str, captures: &mut Vec<(Variable, String)>) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return path.is_empty();
    };
    match first {
        Part::Text(text) => path
            .strip_prefix(text.as_str())
            .is_some_and(|after| match_parts(rest, after, captures)),
        Part::Var(variable) => {
            let segment_end = path.find('/').unwrap_or(path.len());
            for end in (1..=segment_end).rev() {
                if !path.is_char_boundary(end) {
                    continue;
                }
                let mark = captures.len();
                captures.push((*variable, path[..end].to_owned()));
                if match_parts(rest, &path[end..], captures) {
                    return true;
                }
                captures.truncate(mark);
            }
            false
        }
    }
}

impl fmt::Display for Permalink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.template)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn place<'a>(slug: &'a str, at: &str) -> PostPlace<'a> {
        PostPlace {
            id: "5f1a2b3c4d5e6f7a8b9c0d1e",
            slug,
            published_at: Some(at.parse().unwrap()),
            primary_tag: Some("news"),
            primary_author: None,
        }
    }

    #[test]
    fn dates_are_in_the_site_timezone() {
        let dated = Permalink::parse("/{year}/{month}/{day}/{slug}/").unwrap();
        let post = place("late-story", "2026-01-31T23:30:00Z");
        assert_eq!(
            dated.path_for(&post, &TimeZone::UTC),
            "/2026/01/31/late-story/"
        );
        let baghdad = TimeZone::get("Asia/Baghdad").unwrap();
        assert_eq!(dated.path_for(&post, &baghdad), "/2026/02/01/late-story/");
    }

    #[test]
    fn missing_primary_tag_or_author_is_all() {
        let link = Permalink::parse("/{primary_tag}/{primary_author}/{slug}/").unwrap();
        let mut post = place("x", "2026-01-01T00:00:00Z");
        assert_eq!(link.path_for(&post, &TimeZone::UTC), "/news/all/x/");
        post.primary_tag = None;
        assert_eq!(link.path_for(&post, &TimeZone::UTC), "/all/all/x/");
    }

    #[test]
    fn paths_give_their_variables_back() {
        let link = Permalink::parse("/blog/{year}/{slug}.html/").unwrap();
        let captures = link.matches("/blog/2025/a.b.html/").unwrap();
        assert_eq!(captures.get(Variable::Year), Some("2025"));
        assert_eq!(captures.get(Variable::Slug), Some("a.b"));
        assert_eq!(link.matches("/blog/2025/x/"), None);
        assert_eq!(link.matches("/news/2025/x.html/"), None);
        let id = Permalink::parse("/{id}/").unwrap();
        assert_eq!(
            id.matches("/5f1a/").unwrap().get(Variable::Id),
            Some("5f1a")
        );
        assert_eq!(id.matches("/a/b/"), None);
        assert_eq!(id.matches("//"), None);
    }

    #[test]
    fn only_slug_templates_are_slug_only() {
        assert!(Permalink::parse("/{slug}/").unwrap().is_slug_only());
        assert!(Permalink::parse("/blog/{slug}/").unwrap().is_slug_only());
        assert!(!Permalink::parse("/{year}/{slug}/").unwrap().is_slug_only());
        assert!(Permalink::parse("/{nope}/").is_err());
    }

    proptest! {
        #[test]
        fn path_for_then_matches_gives_the_slug(
            slug in "[a-z0-9][a-z0-9-]{0,20}",
            tag in proptest::option::of("[a-z][a-z0-9-]{0,8}"),
            secs in 0i64..4_000_000_000,
            template in prop::sample::select(vec![
                "/{slug}/",
                "/{year}/{month}/{day}/{slug}/",
                "/{primary_tag}/{slug}/",
                "/news/{year}/{slug}/",
                "/{primary_author}/{slug}-{id}/",
            ]),
        ) {
            let link = Permalink::parse(template).unwrap();
            let post = PostPlace {
                id: "5f1a2b3c4d5e6f7a8b9c0d1e",
                slug: &slug,
                published_at: Some(Timestamp::from_second(secs).unwrap()),
                primary_tag: tag.as_deref(),
                primary_author: Some("ana"),
            };
            let path = link.path_for(&post, &TimeZone::UTC);
            let captures = link.matches(&path).unwrap();
            prop_assert_eq!(captures.get(Variable::Slug), Some(slug.as_str()));
            prop_assert_eq!(link.path_for(&post, &TimeZone::UTC), path);
        }
    }
}
