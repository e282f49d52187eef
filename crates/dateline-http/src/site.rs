//! The public site: Ghost's URL scheme rendered by the active theme. Handlers fetch what a page
//! shows through the app, build view models, and hand them to the theme; the page cache in
//! front of these routes keeps the result.

use axum::extract::{OriginalUri, Path, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use dateline_app::content::Listing;
use dateline_app::site::PostDetail;
use dateline_core::post::PostType;
use dateline_theme::{
    AuthorView, PageView, PaginationView, PostView, SiteContext, SiteView, TagView,
};

use crate::AppState;
use crate::error::HttpError;

pub mod feeds;
pub mod images;
pub mod signup;
pub mod sitemaps;
mod theme_data;

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

async fn site_context(state: &AppState) -> Result<SiteContext, HttpError> {
    let media = state.media.clone();
    Ok(
        SiteContext::new(state.app.settings().await?, &state.site_url)
            .with_image_sizes(move |path| media.dimensions(path)),
    )
}

async fn render(
    state: &AppState,
    site: &SiteContext,
    page: &PageView,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let html = theme_data::render_page(state, site, page).await?;
    Ok((status, Html(html)).into_response())
}

fn posts(items: &[PostDetail], site: &SiteContext) -> Vec<PostView> {
    items
        .iter()
        .map(|d| PostView::new(&d.post, &d.tags, &d.authors, site))
        .collect()
}

fn pagination<T>(listing: &Listing<T>, per_page: u32) -> PaginationView {
    PaginationView::new(listing.page, per_page, listing.total)
}

/// `/page/N/` beyond the last page is a 404, as in Ghost; page 1 always exists.
fn page_exists<T>(listing: &Listing<T>) -> bool {
    listing.page == 1 || !listing.items.is_empty()
}

pub async fn home(State(state): State<AppState>) -> Result<Response, HttpError> {
    home_at(&state, 1).await
}

pub async fn home_page(
    State(state): State<AppState>,
    Path(n): Path<String>,
) -> Result<Response, HttpError> {
    match page_number(&n) {
        Some(1) => Ok(moved("/")),
        Some(page) => home_at(&state, page).await,
        None => not_found_page(&state).await,
    }
}

async fn home_at(state: &AppState, page: u32) -> Result<Response, HttpError> {
    let per_page = state.theme.get().posts_per_page();
    let data = state.app.home(page, per_page).await?;
    if !page_exists(&data.latest) {
        return not_found_page(state).await;
    }
    let site = site_context(state).await?;
    let sections = data
        .sections
        .iter()
        .map(|(tag, items)| (TagView::new(tag, &site), posts(items, &site)))
        .collect();
    let view = PageView::Home {
        site: SiteView::new(&site),
        posts: posts(&data.latest.items, &site),
        pagination: pagination(&data.latest, per_page),
        sections,
    };
    render(state, &site, &view, StatusCode::OK).await
}

/// `/{slug}/`: a story or a static page.
pub async fn entry(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, HttpError> {
    let Some(entry) = state.app.entry(&slug).await? else {
        if let Some(current) = state.app.renamed_slug(&slug).await? {
            return Ok(moved(&format!("/{current}/")));
        }
        return not_found_page(&state).await;
    };
    entry_page(&state, &entry.detail, &entry.related).await
}

/// A story or page rendered as its address shows it. The admin's preview calls this too, for
/// stories of any status, so a preview is the real page.
pub(crate) async fn entry_page(
    state: &AppState,
    d: &PostDetail,
    related: &[PostDetail],
) -> Result<Response, HttpError> {
    let site = site_context(state).await?;
    let post = PostView::new(&d.post, &d.tags, &d.authors, &site);
    let view = match d.post.post_type {
        PostType::Post => PageView::Post {
            site: SiteView::new(&site),
            post,
            related: posts(related, &site),
        },
        PostType::Page => PageView::Page {
            site: SiteView::new(&site),
            page: post,
        },
    };
    render(state, &site, &view, StatusCode::OK).await
}

pub async fn tag(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, HttpError> {
    tag_at(&state, &slug, 1).await
}

pub async fn tag_page(
    State(state): State<AppState>,
    Path((slug, n)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    match page_number(&n) {
        Some(1) => Ok(moved(&format!("/tag/{slug}/"))),
        Some(page) => tag_at(&state, &slug, page).await,
        None => not_found_page(&state).await,
    }
}

async fn tag_at(state: &AppState, slug: &str, page: u32) -> Result<Response, HttpError> {
    let per_page = state.theme.get().posts_per_page();
    let Some((tag, listing)) = state.app.tag_archive(slug, page, per_page).await? else {
        return not_found_page(state).await;
    };
    if !page_exists(&listing) {
        return not_found_page(state).await;
    }
    let site = site_context(state).await?;
    let view = PageView::Tag {
        site: SiteView::new(&site),
        tag: TagView::new(&tag, &site),
        posts: posts(&listing.items, &site),
        pagination: pagination(&listing, per_page),
    };
    render(state, &site, &view, StatusCode::OK).await
}

pub async fn author(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, HttpError> {
    author_at(&state, &slug, 1).await
}

pub async fn author_page(
    State(state): State<AppState>,
    Path((slug, n)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    match page_number(&n) {
        Some(1) => Ok(moved(&format!("/author/{slug}/"))),
        Some(page) => author_at(&state, &slug, page).await,
        None => not_found_page(&state).await,
    }
}

async fn author_at(state: &AppState, slug: &str, page: u32) -> Result<Response, HttpError> {
    let per_page = state.theme.get().posts_per_page();
    let Some((author, listing)) = state.app.author_archive(slug, page, per_page).await? else {
        return not_found_page(state).await;
    };
    if !page_exists(&listing) {
        return not_found_page(state).await;
    }
    let site = site_context(state).await?;
    let view = PageView::Author {
        site: SiteView::new(&site),
        author: AuthorView::new(&author, &site),
        posts: posts(&listing.items, &site),
        pagination: pagination(&listing, per_page),
    };
    render(state, &site, &view, StatusCode::OK).await
}

/// The theme's files under `/assets/`; the `?v=` in theme URLs changes with the content, so
/// they may be cached for a year.
pub async fn asset(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Result<Response, HttpError> {
    let theme = state.theme.get();
    let Some(asset) = theme.asset(&path) else {
        return Err(HttpError::not_found());
    };
    Ok((
        [
            (header::CONTENT_TYPE, asset.content_type.to_owned()),
            (header::CACHE_CONTROL, "public, max-age=31536000".to_owned()),
            (header::ETAG, format!("\"{}\"", asset.version)),
        ],
        asset.bytes.to_vec(),
    )
        .into_response())
}

/// Dateline's members script (sign-up forms and Portal links of Ghost themes), served here so
/// no page loads anything from another host.
pub async fn members_script() -> Response {
    let script = dateline_theme::members_script();
    (
        [
            (header::CONTENT_TYPE, script.content_type.to_owned()),
            (header::CACHE_CONTROL, "public, max-age=31536000".to_owned()),
            (header::ETAG, format!("\"{}\"", script.version)),
        ],
        script.bytes,
    )
        .into_response()
}

/// Browsers ask for `/favicon.ico` on every site. Until the site has an icon setting wired in,
/// "no icon" is answered without an error, so no browser console shows a failed request.
pub async fn favicon() -> Response {
    (
        StatusCode::NO_CONTENT,
        [(header::CACHE_CONTROL, "public, max-age=86400")],
    )
        .into_response()
}

/// Ghost answers renamed and slash-less addresses with 301, which every crawler understands.
fn moved(location: &str) -> Response {
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

fn page_number(text: &str) -> Option<u32> {
    text.parse().ok().filter(|n| *n >= 1)
}

/// Everything no route claims. Ghost's rule: a path without a trailing slash (and without a
/// file extension) is redirected to the same path with one; everything else is the theme's 404.
pub async fn fallback(
    State(state): State<AppState>,
    method: Method,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, HttpError> {
    let path = uri.path();
    let last = path.rsplit('/').next().unwrap_or_default();
    if (method == Method::GET || method == Method::HEAD)
        && !path.ends_with('/')
        && !last.contains('.')
    {
        let target = match uri.query() {
            Some(query) => format!("{path}/?{query}"),
            None => format!("{path}/"),
        };
        return Ok(moved(&target));
    }
    not_found_page(&state).await
}

async fn not_found_page(state: &AppState) -> Result<Response, HttpError> {
    let site = site_context(state).await?;
    render(
        state,
        &site,
        &PageView::NotFound {
            site: SiteView::new(&site),
        },
        StatusCode::NOT_FOUND,
    )
    .await
}
