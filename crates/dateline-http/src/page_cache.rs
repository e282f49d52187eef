//! The public site's page cache and HTTP validators.
//!
//! Rendered pages are kept in memory, bounded by total size, keyed by path. An entry remembers
//! the content generation it was rendered in (see `Events::generation`): any committed change
//! moves the generation, so the very next request after a publish renders afresh. Every page
//! gets a strong `ETag` from its bytes and the `Last-Modified` of its rendering, and answers a
//! matching `If-None-Match` or `If-Modified-Since` with 304. `HEAD` is served from the same
//! entry without a body.
//!
//! A request from a signed-in member neither reads nor fills the cache: its page carries
//! `@member` and the stories only members may read, so it is rendered for that member alone
//! and marked [`PRIVATE`] for browsers and CDNs, as Ghost marks member pages (answers with a
//! policy of their own keep it: they are the same for everyone). The anonymous path pays one
//! scan of the `Cookie` header for this; a cookie that opens no session is anonymous (see
//! [`crate::members::signed_in`]).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

use crate::AppState;

/// Memory the cache may use for page bodies.
pub const BUDGET_BYTES: u64 = 64 * 1024 * 1024;
/// Pages larger than this are served but not kept.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;
/// Readers' browsers and CDNs may reuse a page briefly and revalidate in the background.
pub const CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=600";
/// A member's pages: for that browser only, and never reused without asking.
pub const PRIVATE: &str = "private, no-cache, no-store, must-revalidate, max-age=0";

#[derive(Clone)]
pub struct PageCache {
    pages: moka::sync::Cache<String, Arc<Page>>,
}

struct Page {
    generation: u64,
    status: StatusCode,
    content_type: HeaderValue,
    /// The handler's own policy (sitemaps keep an hour), else [`CACHE_CONTROL`].
    cache_control: HeaderValue,
    etag: HeaderValue,
    last_modified: Timestamp,
    /// `last_modified` as the header says it, formatted once rather than per answer.
    last_modified_header: HeaderValue,
    body: Bytes,
}

impl PageCache {
    pub fn new() -> Self {
        PageCache {
            pages: moka::sync::Cache::builder()
                .max_capacity(BUDGET_BYTES)
                .weigher(|key: &String, page: &Arc<Page>| {
                    u32::try_from(key.len() + page.body.len()).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }
}

impl Default for PageCache {
    fn default() -> Self {
        Self::new()
    }
}

/// Middleware for the site's GET and HEAD routes.
pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return next.run(request).await;
    }
    if crate::members::signed_in(&state, &mut request).await {
        let mut response = next.run(request).await;
        // Answers with a policy of their own (sitemaps, feeds) are the same for everyone.
        response
            .headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(PRIVATE));
        return response;
    }
    let generation = state.app.events.generation();
    let conditions = Conditions::of(request.headers());
    // The query is part of what is asked (API parameters, `?ref=`), so it is part of the key.
    let uri = request.uri();
    let key = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
    if let Some(page) = state
        .pages
        .pages
        .get(key)
        .filter(|p| p.generation == generation)
    {
        return answer(&page, &conditions, &method);
    }
    let key = key.to_owned();
    let response = next.run(request).await;
    let Some(page) = keep(response, generation).await else {
        return error_response();
    };
    let page = match page {
        Kept::Page(page) => page,
        Kept::Passthrough(response) => return response,
    };
    let page = Arc::new(page);
    if page.body.len() <= MAX_PAGE_BYTES {
        state.pages.pages.insert(key, page.clone());
    }
    answer(&page, &conditions, &method)
}

/// The request's validators: all a cached answer needs of its headers, taken before the
/// request moves on to a handler.
struct Conditions {
    if_none_match: Option<HeaderValue>,
    if_modified_since: Option<HeaderValue>,
}

impl Conditions {
    fn of(headers: &HeaderMap) -> Self {
        Conditions {
            if_none_match: headers.get(header::IF_NONE_MATCH).cloned(),
            if_modified_since: headers.get(header::IF_MODIFIED_SINCE).cloned(),
        }
    }
}

enum Kept {
    Page(Page),
    Passthrough(Response),
}

/// Collects a handler's answer. Only 200s and 404s are cached; redirects and errors pass, and
/// so does an answer that varies with the request's headers (`Vary`, as images negotiated by
/// `Accept` do): the cache is keyed by path alone, so it would hand one reader's variant to all.
async fn keep(response: Response, generation: u64) -> Option<Kept> {
    let status = response.status();
    if status != StatusCode::OK && status != StatusCode::NOT_FOUND
        || response.headers().contains_key(header::VARY)
    {
        return Some(Kept::Passthrough(response));
    }
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, MAX_PAGE_BYTES * 4).await.ok()?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"));
    let cache_control = parts
        .headers
        .get(header::CACHE_CONTROL)
        .cloned()
        .unwrap_or(HeaderValue::from_static(CACHE_CONTROL));
    let last_modified = dateline_core::time::now();
    Some(Kept::Page(Page {
        generation,
        cache_control,
        status,
        etag: etag(&body),
        content_type,
        last_modified,
        last_modified_header: http_date(last_modified),
        body,
    }))
}

fn etag(body: &[u8]) -> HeaderValue {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    // Weak: the compression layer may re-encode the bytes on the way out.
    let tag = format!("W/\"{:016x}-{:x}\"", hasher.finish(), body.len());
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"0\""))
}

fn http_date(t: Timestamp) -> HeaderValue {
    let text = t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string();
    HeaderValue::from_str(&text)
        .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"))
}

fn not_modified(page: &Page, request: &Conditions) -> bool {
    if page.status != StatusCode::OK {
        return false;
    }
    if let Some(tags) = request.if_none_match.as_ref().and_then(|v| v.to_str().ok()) {
        let ours = page.etag.to_str().unwrap_or_default();
        return tags
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.trim_start_matches("W/") == ours.trim_start_matches("W/"));
    }
    request
        .if_modified_since
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| jiff::fmt::rfc2822::parse(v).ok())
        .is_some_and(|since| page.last_modified <= since.timestamp())
}

fn answer(page: &Page, request: &Conditions, method: &Method) -> Response {
    let status = if not_modified(page, request) {
        StatusCode::NOT_MODIFIED
    } else {
        page.status
    };
    let body = if status == StatusCode::NOT_MODIFIED || *method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(page.body.clone())
    };
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, page.content_type.clone());
    h.insert(header::ETAG, page.etag.clone());
    h.insert(header::LAST_MODIFIED, page.last_modified_header.clone());
    h.insert(header::CACHE_CONTROL, page.cache_control.clone());
    if *method == Method::HEAD && status == StatusCode::OK {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(page.body.len()));
    }
    response
}

fn error_response() -> Response {
    crate::error::HttpError::internal(&"could not read a rendered page").into_response()
}
