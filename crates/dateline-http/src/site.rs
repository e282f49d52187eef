//! The public site: Ghost's URL scheme rendered by the active theme. Handlers fetch what a page
//! shows through the app, build view models, and hand them to the theme; the page cache in
//! front of these routes keeps the result.

use axum::Extension;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use dateline_app::content::{Listing, PostKey};
use dateline_app::site::{FeedScope, PostDetail};
use dateline_core::permalink::Variable;
use dateline_core::post::PostType;
use dateline_core::routes::{Owned, Resource, Route, Target};
use dateline_theme::{
    AuthorView, PageView, PaginationView, PostView, RouteData, SiteContext, SiteView, TagView,
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
            .with_image_sizes(move |path| media.dimensions(path))
            .with_content_api_key(state.app.frontend_content_key().await?),
    )
}

async fn render(
    state: &AppState,
    site: &SiteContext,
    page: &PageView,
    status: StatusCode,
) -> Result<Response, HttpError> {
    Ok(match theme_data::render_page(state, site, page).await? {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => theme_data::theme_failure_page(&err),
    })
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

/// Every public page: the path is read against the active `routes.yaml` (see
/// [`dateline_core::routes::SiteRoutes::resolve`]) and each thing it may be is tried in Ghost's order until one has
/// content. The page cache sits in front of this handler, so the default file costs one
/// string match per request that misses the cache.
pub async fn dispatch(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    signed_in: Option<Extension<crate::members::SignedIn>>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, HttpError> {
    if !uri.path().ends_with('/') {
        return fallback(State(state), method, OriginalUri(uri)).await;
    }
    // Slugs may be any script; routes and the database hold them decoded.
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy();
    let path: &str = &path;
    let signed_in = signed_in.as_ref().map(|Extension(member)| member);
    let site =
        crate::members::reader_site(&state, &headers, signed_in, site_context(&state).await?)
            .await?;
    let routes = site.routes();
    for target in routes.resolve(path) {
        if let Some(response) = answer(&state, &site, path, target).await? {
            return Ok(response);
        }
    }
    not_found_with(&state, &site).await
}

/// The page for one reading of the path, or `None` when there is nothing there.
async fn answer(
    state: &AppState,
    site: &SiteContext,
    path: &str,
    target: Target<'_>,
) -> Result<Option<Response>, HttpError> {
    let routes = site.routes();
    let per_page = |limit: Option<u32>| limit.unwrap_or_else(|| state.theme.get().posts_per_page());
    match target {
        Target::Redirect(to) => Ok(Some(moved(&to))),
        Target::Custom(route) => custom_route(state, site, route).await,
        Target::Channel { route, page } => {
            let Some(listing) = &route.channel else {
                return Ok(None);
            };
            let owned = listing.filter.clone().map_or(Owned::All, Owned::Filter);
            let limit = per_page(listing.limit);
            let posts = state
                .app
                .listing(&owned, listing.order.as_deref(), page, limit)
                .await?;
            named_listing(state, site, &route.path, &route.template, posts, limit).await
        }
        Target::ChannelFeed(route) => {
            let listing = route.channel.as_ref();
            feeds::respond(
                state,
                FeedScope::Listing {
                    path: &route.path,
                    filter: listing.and_then(|l| l.filter.clone()),
                    order: listing.and_then(|l| l.order.as_deref()),
                },
            )
            .await
        }
        Target::Collection {
            collection,
            index,
            page,
        } => {
            let owned = routes.owned(index);
            let order = collection.listing.order.as_deref();
            let limit = per_page(collection.listing.limit);
            let default_template = collection.template.iter().all(|t| t == "index");
            if collection.path == "/" && default_template {
                return home_at(state, site, &owned, order, page, limit).await;
            }
            let posts = state.app.listing(&owned, order, page, limit).await?;
            named_listing(
                state,
                site,
                &collection.path,
                &collection.template,
                posts,
                limit,
            )
            .await
        }
        Target::CollectionFeed { collection, index } => {
            let filter = match routes.owned(index) {
                Owned::All => None,
                Owned::Filter(filter) => Some(filter),
                Owned::Nothing => Some("id:null".to_owned()),
            };
            feeds::respond(
                state,
                FeedScope::Listing {
                    path: &collection.path,
                    filter,
                    order: collection.listing.order.as_deref(),
                },
            )
            .await
        }
        Target::Entry { captures, .. } => {
            let key = match (captures.get(Variable::Slug), captures.get(Variable::Id)) {
                (Some(slug), _) => PostKey::Slug(slug),
                (None, Some(id)) => PostKey::Id(id),
                (None, None) => return Ok(None),
            };
            let Some(entry) = state.app.entry(PostType::Post, key).await? else {
                return Ok(None);
            };
            let Some(canonical) = routes.post_path(&entry.detail.record()) else {
                return Ok(None);
            };
            if let Some(to) = routes.data_redirect(Resource::Posts, &entry.detail.post.slug) {
                return Ok(Some(moved(to)));
            }
            if canonical != path {
                return Ok(Some(moved(&canonical)));
            }
            entry_view(state, site, &entry.detail, &entry.related)
                .await
                .map(Some)
        }
        Target::Tag { slug, page } => {
            if let Some(to) = routes.data_redirect(Resource::Tags, &slug) {
                return Ok(Some(moved(to)));
            }
            tag_at(state, site, &slug, page).await
        }
        Target::TagFeed { slug } => feeds::respond(state, FeedScope::Tag(&slug)).await,
        Target::Author { slug, page } => {
            if let Some(to) = routes.data_redirect(Resource::Authors, &slug) {
                return Ok(Some(moved(to)));
            }
            author_at(state, site, &slug, page).await
        }
        Target::AuthorFeed { slug } => feeds::respond(state, FeedScope::Author(&slug)).await,
        Target::Page { slug } => static_page(state, site, &slug).await,
    }
}

/// `/{slug}/` after the collections: a static page, else a post known by that slug (a post
/// that lives at a dated or filtered address, or was renamed) sent to where it lives now.
async fn static_page(
    state: &AppState,
    site: &SiteContext,
    slug: &str,
) -> Result<Option<Response>, HttpError> {
    let routes = site.routes();
    if let Some(entry) = state.app.entry(PostType::Page, PostKey::Slug(slug)).await? {
        if let Some(to) = routes.data_redirect(Resource::Pages, slug) {
            return Ok(Some(moved(to)));
        }
        return entry_view(state, site, &entry.detail, &[]).await.map(Some);
    }
    let current = match state.app.renamed_slug(slug).await? {
        Some(current) => current,
        // Under slug-only routes a post with this slug was already tried at this address.
        None if routes.slug_only() => return Ok(None),
        None => slug.to_owned(),
    };
    let Some(detail) = state
        .app
        .read_post(PostType::Post, PostKey::Slug(&current))
        .await?
    else {
        return Ok(None);
    };
    Ok(routes
        .post_path(&detail.record())
        .filter(|to| *to != format!("/{slug}/"))
        .map(|to| moved(&to)))
}

/// A custom route: its template with its `data`. Ghost answers 404 when a resource the
/// route names does not exist (or is not published).
async fn custom_route(
    state: &AppState,
    site: &SiteContext,
    route: &Route,
) -> Result<Option<Response>, HttpError> {
    let mut data = Vec::with_capacity(route.data.len());
    for entry in &route.data {
        let item = match entry.resource {
            Resource::Posts | Resource::Pages => {
                let post_type = match entry.resource {
                    Resource::Pages => PostType::Page,
                    _ => PostType::Post,
                };
                state
                    .app
                    .read_post(post_type, PostKey::Slug(&entry.slug))
                    .await?
                    .map(|d| {
                        RouteData::Post(Box::new(PostView::new(&d.post, &d.tags, &d.authors, site)))
                    })
            }
            Resource::Tags => state
                .app
                .public_tag(&entry.slug)
                .await?
                .map(|t| RouteData::Tag(TagView::new(&t, site))),
            Resource::Authors => state
                .app
                .author_by_slug(&entry.slug)
                .await?
                .map(|a| RouteData::Author(AuthorView::new(&a, site))),
        };
        let Some(item) = item else {
            return Ok(None);
        };
        data.push((entry.name.clone(), item));
    }
    let view = PageView::Named {
        site: SiteView::new(site),
        name: route_name(&route.path),
        templates: route.template.clone(),
        url: site_url_of(site, &route.path),
        listing: None,
        data,
    };
    let mut response = render(state, site, &view, StatusCode::OK).await?;
    if let Some(content_type) = route
        .content_type
        .as_deref()
        .and_then(|c| header::HeaderValue::from_str(c).ok())
    {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type);
    }
    Ok(Some(response))
}

/// A channel's or collection's page of posts under its own templates, then `index`.
async fn named_listing(
    state: &AppState,
    site: &SiteContext,
    path: &str,
    templates: &[String],
    listing: Listing<PostDetail>,
    per_page: u32,
) -> Result<Option<Response>, HttpError> {
    if !page_exists(&listing) {
        return past_last_page(state, site).await;
    }
    let mut templates = templates.to_vec();
    templates.push("index".to_owned());
    let view = PageView::Named {
        site: SiteView::new(site),
        name: route_name(path),
        templates,
        url: site_url_of(site, path),
        listing: Some((posts(&listing.items, site), pagination(&listing, per_page))),
        data: Vec::new(),
    };
    render(state, site, &view, StatusCode::OK).await.map(Some)
}

/// Ghost's name for a route: its path without slashes, `index` for `/`.
fn route_name(path: &str) -> String {
    match path.replace('/', "") {
        name if name.is_empty() => "index".to_owned(),
        name => name,
    }
}

fn site_url_of(site: &SiteContext, path: &str) -> String {
    format!("{}{path}", site.url())
}

async fn home_at(
    state: &AppState,
    site: &SiteContext,
    owned: &Owned,
    order: Option<&str>,
    page: u32,
    per_page: u32,
) -> Result<Option<Response>, HttpError> {
    let data = state.app.home(owned, order, page, per_page).await?;
    if !page_exists(&data.latest) {
        return past_last_page(state, site).await;
    }
    let sections = data
        .sections
        .iter()
        .map(|(tag, items)| (TagView::new(tag, site), posts(items, site)))
        .collect();
    let view = PageView::Home {
        site: SiteView::new(site),
        posts: posts(&data.latest.items, site),
        pagination: pagination(&data.latest, per_page),
        sections,
    };
    render(state, site, &view, StatusCode::OK).await.map(Some)
}

/// A story or page for the admin's preview, of any status, so a preview is the real page;
/// staff read it whole whoever it is for.
pub(crate) async fn entry_page(
    state: &AppState,
    d: &PostDetail,
    related: &[PostDetail],
) -> Result<Response, HttpError> {
    entry_view(state, &site_context(state).await?.for_staff(), d, related).await
}

/// A story or page rendered for the reader `site` is for.
async fn entry_view(
    state: &AppState,
    site: &SiteContext,
    d: &PostDetail,
    related: &[PostDetail],
) -> Result<Response, HttpError> {
    let post = PostView::new(&d.post, &d.tags, &d.authors, site);
    let view = match d.post.post_type {
        PostType::Post => PageView::Post {
            site: SiteView::new(site),
            post,
            related: posts(related, site),
        },
        PostType::Page => PageView::Page {
            site: SiteView::new(site),
            page: post,
        },
    };
    render(state, site, &view, StatusCode::OK).await
}

async fn tag_at(
    state: &AppState,
    site: &SiteContext,
    slug: &str,
    page: u32,
) -> Result<Option<Response>, HttpError> {
    let per_page = state.theme.get().posts_per_page();
    let Some((tag, listing)) = state.app.tag_archive(slug, page, per_page).await? else {
        return Ok(None);
    };
    if !page_exists(&listing) {
        return past_last_page(state, site).await;
    }
    let view = PageView::Tag {
        site: SiteView::new(site),
        tag: TagView::new(&tag, site),
        posts: posts(&listing.items, site),
        pagination: pagination(&listing, per_page),
    };
    render(state, site, &view, StatusCode::OK).await.map(Some)
}

async fn author_at(
    state: &AppState,
    site: &SiteContext,
    slug: &str,
    page: u32,
) -> Result<Option<Response>, HttpError> {
    let per_page = state.theme.get().posts_per_page();
    let Some((author, listing)) = state.app.author_archive(slug, page, per_page).await? else {
        return Ok(None);
    };
    if !page_exists(&listing) {
        return past_last_page(state, site).await;
    }
    let view = PageView::Author {
        site: SiteView::new(site),
        author: AuthorView::new(&author, site),
        posts: posts(&listing.items, site),
        pagination: pagination(&listing, per_page),
    };
    render(state, site, &view, StatusCode::OK).await.map(Some)
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
    embedded_script(dateline_theme::members_script())
}

/// Dateline's search box (the search buttons of Ghost themes), served like the members script.
pub async fn search_script() -> Response {
    embedded_script(dateline_theme::search_script())
}

/// A script of Dateline's own; its URL carries its version, so it is cached for a year.
fn embedded_script(script: dateline_theme::Asset<'static>) -> Response {
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

/// Browsers ask for `/favicon.ico` on every site. With an icon set (the `icon` setting, uploaded
/// in the admin's site settings) they are sent on to it, as `{{ghost_head}}`'s `<link
/// rel="icon">` sends them; without one, "no icon" is answered without an error, so no browser
/// console shows a failed request. Either answer is kept for an hour, so a new icon shows soon.
pub async fn favicon(State(state): State<AppState>) -> Result<Response, HttpError> {
    const KEEP: &str = "public, max-age=3600";
    let settings = state.app.settings().await?;
    let icon = settings
        .get("icon")
        .map(|v| v.trim())
        .map(|v| v.strip_prefix("__GHOST_URL__").unwrap_or(v))
        .filter(|v| !v.is_empty());
    Ok(match icon {
        Some(location) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, location.to_owned()),
                (header::CACHE_CONTROL, KEEP.to_owned()),
            ],
        )
            .into_response(),
        None => (StatusCode::NO_CONTENT, [(header::CACHE_CONTROL, KEEP)]).into_response(),
    })
}

/// Ghost answers renamed and slash-less addresses with 301, which every crawler understands.
/// Slugs in any script are written percent-encoded, as a header must be ASCII.
fn moved(location: &str) -> Response {
    let location = percent_encoding::utf8_percent_encode(location, percent_encoding::CONTROLS);
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
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
    not_found_with(state, &site).await
}

async fn not_found_with(state: &AppState, site: &SiteContext) -> Result<Response, HttpError> {
    error_page(state, site, false).await
}

/// A listing's page beyond its last: a 404 at once, as in Ghost, whatever else the path could
/// be read as.
async fn past_last_page(
    state: &AppState,
    site: &SiteContext,
) -> Result<Option<Response>, HttpError> {
    error_page(state, site, true).await.map(Some)
}

async fn error_page(
    state: &AppState,
    site: &SiteContext,
    past_last_page: bool,
) -> Result<Response, HttpError> {
    let page = PageView::NotFound {
        site: SiteView::new(site),
        past_last_page,
    };
    render(state, site, &page, StatusCode::NOT_FOUND).await
}
