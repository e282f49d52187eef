//! The data a theme's `{{#get}}` blocks ask for, fetched through the app like any page's data
//! and handed to the theme as view models (see `dateline_theme::DataQuery`).

use dateline_app::content::{ListQuery, Listing};
use dateline_core::post::PostType;
use dateline_theme::{
    AuthorView, DataQuery, DataResults, PageView, PaginationView, Rendered, SiteContext, TagView,
};
use serde_json::{Value as Json, json};

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::AppState;
use crate::error::HttpError;

/// Ghost's `{{#get}}` limit when the theme gives none.
const DEFAULT_LIMIT: u32 = 15;

/// Rounds of fetching before giving up: a `{{#get}}` inside a `{{#get}}` needs two; more is a
/// theme asking for data that depends on data without end.
const MAX_ROUNDS: usize = 4;

/// A theme that fails while rendering a page (a partial it names by a computed name that does
/// not exist, a helper given what it cannot use): the reader gets a plain page saying so, with
/// status 500 and the template, place and cause, rather than an API's JSON error; the log has
/// the same. Nothing the check at install could see gets this far.
pub(super) fn theme_failure_page(err: &dateline_theme::ThemeError) -> Response {
    tracing::error!(error = %err, "the active theme could not render a page");
    let cause = crate::xml::escape(&err.to_string());
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"robots\" content=\"noindex\"><title>500 — Theme error</title></head>\
         <body><main><h1>This page could not be shown</h1>\
         <p>The site's theme failed while rendering it:</p><pre>{cause}</pre>\
         <p>The site's staff can fix the theme or switch to another in the admin.</p>\
         </main></body></html>\n"
    );
    (StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response()
}

/// The page rendered with every `{{#get}}` answered; `Err` carries what the theme failed on
/// (see [`theme_failure_page`]).
pub(super) async fn render_page(
    state: &AppState,
    site: &SiteContext,
    page: &PageView,
) -> Result<Result<String, dateline_theme::ThemeError>, HttpError> {
    // One theme for every round, even if another is activated meanwhile.
    let theme = state.theme.get();
    let mut results = DataResults::default();
    for _ in 0..MAX_ROUNDS {
        match theme.render_with(page, &results) {
            Err(err) => return Ok(Err(err)),
            Ok(Rendered::Page(html)) => return Ok(Ok(html)),
            Ok(Rendered::NeedsData(queries)) => {
                for query in queries {
                    let result = fetch(state, site, &query).await;
                    results.insert(&query, result);
                }
            }
        }
    }
    // Whatever is still missing renders as an empty block, as in a failed Ghost query.
    Ok(theme
        .render_with(page, &results)
        .map(|rendered| match rendered {
            Rendered::Page(html) => html,
            Rendered::NeedsData(_) => String::new(),
        }))
}

/// One query's results in Ghost's shape. A query the app refuses (a bad filter in the
/// theme) is logged and answers with nothing, as Ghost renders the block's `{{else}}`.
async fn fetch(state: &AppState, site: &SiteContext, query: &DataQuery) -> Json {
    let list = ListQuery {
        filter: query.filter.clone(),
        order: query.order.clone(),
        limit: match query.limit.as_deref() {
            Some("all") => None,
            Some(limit) => Some(limit.trim().parse().unwrap_or(DEFAULT_LIMIT)),
            None => Some(DEFAULT_LIMIT),
        },
        page: query
            .page
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(1),
    };
    let resource = query.resource.as_str();
    let fetched = match resource {
        "posts" | "pages" => {
            let post_type = if resource == "posts" {
                PostType::Post
            } else {
                PostType::Page
            };
            let list = list.clone().for_readers(post_type);
            state.app.list_posts(post_type, &list).await.map(|l| {
                let mut items: Vec<Json> = super::posts(&l.items, site)
                    .iter()
                    .filter_map(|p| serde_json::to_value(p).ok())
                    .collect();
                query.strip_relations(&mut items);
                shaped(resource, &l, items)
            })
        }
        "tags" => state.app.list_tags(&list).await.map(|l| {
            let items = l
                .items
                .iter()
                .map(|(t, posts)| counted(TagView::new(t, site), *posts, query))
                .collect();
            shaped(resource, &l, items)
        }),
        "authors" => state.app.list_authors(&list).await.map(|l| {
            let items = l
                .items
                .iter()
                .map(|(u, posts)| counted(AuthorView::new(u, site), *posts, query))
                .collect();
            shaped(resource, &l, items)
        }),
        dateline_theme::MEMBER_TOTALS => state
            .app
            .member_totals()
            .await
            .map(|t| json!({ "total": t.total, "paid": t.paid })),
        // Paid tiers and newsletters are not served yet: the free site has none to list.
        _ => Ok(json!({ resource: [] })),
    };
    fetched.unwrap_or_else(|err| {
        tracing::warn!(resource, filter = ?query.filter, error = %err, "a theme's {{#get}} failed");
        json!({ resource: [] })
    })
}

/// A tag or author as Ghost's `{{#get "tags" include="count.posts"}}` gives it: with
/// `count.posts`, its number of published posts, which themes print (`{{plural count.posts}}`)
/// and compare (`{{#match count.posts "=" 1}}`).
fn counted(view: impl serde::Serialize, posts: u64, query: &DataQuery) -> Json {
    let mut value = serde_json::to_value(view).unwrap_or(Json::Null);
    let wants_count = query
        .include
        .as_deref()
        .is_some_and(|include| include.split(',').any(|i| i.trim() == "count.posts"));
    if let (true, Json::Object(fields)) = (wants_count, &mut value) {
        fields.insert("count".to_owned(), json!({ "posts": posts }));
    }
    value
}

fn shaped<T, V: serde::Serialize>(resource: &str, listing: &Listing<T>, items: Vec<V>) -> Json {
    let limit = listing
        .limit
        .unwrap_or_else(|| u32::try_from(listing.total).unwrap_or(u32::MAX));
    json!({
        resource: items,
        "meta": { "pagination": PaginationView::new(listing.page, limit, listing.total) },
    })
}
