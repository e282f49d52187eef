//! The public site. Until the theme engine lands this is a plain, valid page that lists the
//! latest stories, so a fresh install shows its content.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use dateline_core::post::Post;

use crate::AppState;
use crate::error::HttpError;
use crate::xml::escape;

pub mod feeds;
pub mod sitemaps;

/// 200 when the database answers, 503 otherwise; for load balancers and supervisors.
pub async fn health(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}

pub async fn home(State(state): State<AppState>) -> Result<Html<String>, HttpError> {
    let front = state.app.front_page().await.map_err(HttpError::from)?;
    let mut items = String::new();
    for post in &front.posts {
        items.push_str(&story_item(post, &state.site_url));
    }
    let title = escape(&front.title);
    Ok(Html(format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n</head>\n<body>\n<header><h1>{title}</h1>\
         <p>{description}</p></header>\n<main>\n<h2>Latest stories</h2>\n<ul>\n{items}</ul>\n\
         </main>\n</body>\n</html>\n",
        lang = escape(&front.locale),
        description = escape(&front.description),
    )))
}

fn story_item(post: &Post, site_url: &str) -> String {
    let date = post
        .published_at
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default();
    format!(
        "<li><a href=\"{site_url}/{slug}/\">{title}</a> <time datetime=\"{date}\">{date}</time></li>\n",
        slug = escape(&post.slug),
        title = escape(&post.title),
    )
}
