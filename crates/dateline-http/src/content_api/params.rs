//! The Content API's query parameters, parsed once for every resource and checked as Ghost 5's
//! API framework checks them: `limit`, `page` and `order` against its patterns, `formats`
//! against the formats a post has; `include` names it does not know are dropped, not refused.

use axum::extract::{FromRequestParts, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use dateline_app::content::ListQuery;
use serde::Deserialize;

use crate::error::HttpError;

/// Ghost's default page size.
const DEFAULT_LIMIT: u32 = 15;

/// The formats a post or page can be asked for (Ghost's `Post.allowedFormats`).
const FORMATS: &[&str] = &["mobiledoc", "lexical", "html", "plaintext"];

/// The query of a Content API request. Extracted directly, a parameter given twice reads as
/// its values joined by commas, as Express hands Ghost a repeated parameter; the Admin API
/// embeds it in its own parameters through `Deserialize`.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    pub include: Option<String>,
    pub fields: Option<String>,
    pub formats: Option<String>,
    pub filter: Option<String>,
    pub limit: Option<String>,
    pub page: Option<String>,
    pub order: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        let Query(pairs) =
            Query::<Vec<(String, String)>>::try_from_uri(&parts.uri).map_err(|_| {
                HttpError::new(
                    StatusCode::BAD_REQUEST,
                    "BadRequestError",
                    "The query string could not be read.",
                )
            })?;
        let mut params = Params::default();
        for (key, value) in pairs {
            let slot = match key.as_str() {
                "include" => &mut params.include,
                "fields" => &mut params.fields,
                "formats" => &mut params.formats,
                "filter" => &mut params.filter,
                "limit" => &mut params.limit,
                "page" => &mut params.page,
                "order" => &mut params.order,
                _ => continue,
            };
            match slot {
                Some(text) => {
                    text.push(',');
                    text.push_str(&value);
                }
                None => *slot = Some(value),
            }
        }
        Ok(params)
    }
}

/// What the answer should contain, decided from `include`, `fields` and `formats`.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    pub tags: bool,
    pub authors: bool,
    pub count_posts: bool,
    pub html: bool,
    pub plaintext: bool,
    /// `None` for every field.
    pub fields: Option<Vec<String>>,
}

impl Params {
    /// `limit`, `page`, `filter` and `order` for listing `resource` (`posts`, `tags`, …).
    ///
    /// As in Ghost: `limit` must start with digits or be `all`, and `0` (or anything whose
    /// digits read as 0) means the default 15; `page` must be digits, `0` meaning 1; `order`
    /// may hold only letters, digits, `_`, `,`, `.` and spaces. `order` by `count.posts` only
    /// counts when `include` asks for the counts.
    pub fn list_query(&self, resource: &str) -> Result<ListQuery, HttpError> {
        let action = format!("list {resource}");
        let limit = match self.limit.as_deref() {
            None => Some(DEFAULT_LIMIT),
            Some(text) if text.starts_with(|c: char| c.is_ascii_digit()) => {
                Some(leading_number(text))
                    .filter(|&n| n > 0)
                    .or(Some(DEFAULT_LIMIT))
            }
            Some("all") => None,
            Some(text) if text.ends_with("all") => Some(DEFAULT_LIMIT),
            Some(_) => return Err(failed(&action, "matches", "limit")),
        };
        let page = match self.page.as_deref() {
            None => 1,
            Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
                leading_number(text).max(1)
            }
            Some(_) => return Err(failed(&action, "matches", "page")),
        };
        let order = match self.order.as_deref() {
            None => None,
            Some(text)
                if !text.is_empty()
                    && text
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_,. ".contains(c)) =>
            {
                Some(self.order_for_includes(text))
            }
            Some(_) => return Err(failed(&action, "matches", "order")),
        };
        self.check_formats(resource, &action)?;
        Ok(ListQuery {
            filter: self.filter.clone(),
            order,
            limit,
            page,
        })
    }

    /// The checks Ghost makes on reading one post or page: its `formats`.
    pub fn check_read(&self, resource: &str, noun: &str) -> Result<(), HttpError> {
        self.check_formats(resource, &format!("read {noun}"))
    }

    fn check_formats(&self, resource: &str, action: &str) -> Result<(), HttpError> {
        if !matches!(resource, "posts" | "pages") {
            return Ok(());
        }
        match self.formats.as_deref() {
            None | Some("") => Ok(()),
            Some(text) => {
                let known = text
                    .trim()
                    .to_lowercase()
                    .split(',')
                    .all(|f| FORMATS.contains(&f));
                if known {
                    Ok(())
                } else {
                    Err(failed(action, "AllowedValues", "formats"))
                }
            }
        }
    }

    /// `order` without its `count.posts` rules unless the counts were included, as Ghost only
    /// lets a listing be ordered by what it loads. What is left may be empty: an order was
    /// still asked for, so the listing is not given its default one.
    fn order_for_includes(&self, order: &str) -> String {
        if self.shape().count_posts {
            return order.to_owned();
        }
        order
            .split(',')
            .filter(|rule| {
                rule.split_whitespace()
                    .next()
                    .is_none_or(|field| !field.eq_ignore_ascii_case("count.posts"))
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn shape(&self) -> Shape {
        let list = |text: &Option<String>| -> Vec<String> {
            text.as_deref()
                .unwrap_or("")
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let include = list(&self.include);
        let formats = list(&self.formats);
        let fields = list(&self.fields);
        Shape {
            tags: include.iter().any(|i| i == "tags"),
            authors: include.iter().any(|i| i == "authors"),
            count_posts: include.iter().any(|i| i == "count.posts"),
            html: formats.is_empty() || formats.iter().any(|f| f == "html"),
            plaintext: formats.iter().any(|f| f == "plaintext"),
            fields: (!fields.is_empty()).then_some(fields),
        }
    }
}

/// Ghost's check on the id of a read by id (`/posts/{id}/`): 24 hex digits, `1` (the owner's
/// id in old Ghosts), or anything containing `me`; otherwise a validation error for `action`
/// (`read post`), before any lookup.
pub fn check_id(id: &str, action: &str) -> Result<(), HttpError> {
    let hex = id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit());
    if hex || id == "1" || id.to_ascii_lowercase().contains("me") {
        Ok(())
    } else {
        Err(failed(action, "matches", "id"))
    }
}

/// The number its leading digits spell, as JavaScript's `parseInt` reads it; past `u32::MAX`
/// it stays there.
fn leading_number(text: &str) -> u32 {
    text.bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0u32, |n, d| {
            n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
        })
}

/// Ghost's answer to a parameter that fails its check. The context repeats Ghost's word for
/// word, `undefined.` included: its validator names a table it is never given, and clients
/// comparing answers with Ghost's see the same text.
fn failed(action: &str, check: &str, param: &str) -> HttpError {
    HttpError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "ValidationError",
        format!("Validation error, cannot {action}."),
    )
    .with_context(if check == "AllowedValues" {
        format!("Validation ({check}) failed for {param}")
    } else {
        format!("Validation ({check}) failed for {param} undefined.{param}")
    })
}
