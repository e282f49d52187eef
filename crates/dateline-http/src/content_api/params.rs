//! The Content API's query parameters, parsed once for every resource.

use dateline_app::content::ListQuery;
use serde::Deserialize;

use crate::error::HttpError;

/// Ghost's default page size.
const DEFAULT_LIMIT: u32 = 15;
/// A single page larger than this is refused; `limit=all` is the explicit way to get everything.
const MAX_LIMIT: u32 = 1000;

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
    pub fn list_query(&self, resource: &str) -> Result<ListQuery, HttpError> {
        let limit = match self.limit.as_deref().map(str::trim) {
            None | Some("") => Some(DEFAULT_LIMIT),
            Some("all") => None,
            Some(text) => match text.parse::<u32>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => Some(n),
                _ => return Err(validation(resource, "limit", text)),
            },
        };
        let page = match self.page.as_deref().map(str::trim) {
            None | Some("") => 1,
            Some(text) => match text.parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => return Err(validation(resource, "page", text)),
            },
        };
        Ok(ListQuery {
            filter: self.filter.clone(),
            order: self.order.clone(),
            limit,
            page,
        })
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

fn validation(resource: &str, param: &str, value: &str) -> HttpError {
    HttpError::new(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "ValidationError",
        format!("Validation error, cannot list {resource}."),
    )
    .with_context(format!(
        "Invalid value `{value}` for the `{param}` parameter."
    ))
}
