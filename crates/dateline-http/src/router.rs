//! Every route in one table, and the layers every request passes through.

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, Request, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use tower::{Service, ServiceBuilder};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use dateline_core::tag::Tag;
use dateline_core::user::User;

use crate::{
    AppState, admin_api, admin_ui, content_api, error, member_newsletters, members, page_cache,
    site,
};

/// Request bodies above this are refused with 413 before a handler sees them. Uploads get
/// their own, larger limit on their routes when they arrive.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A member CSV upload: room for about a million rows of Ghost's export.
pub const MEMBER_CSV_LIMIT: usize = 64 * 1024 * 1024;

/// A theme upload: the largest archive taken, with room for the multipart framing around it.
pub const THEME_UPLOAD_LIMIT: usize = dateline_app::themes::archive::MAX_ARCHIVE_BYTES + 64 * 1024;

/// A brand image upload: the largest image taken, with room for the multipart framing.
pub const IMAGE_UPLOAD_LIMIT: usize = dateline_media::MAX_UPLOAD_BYTES + 64 * 1024;

/// A request that takes longer than this is answered with 408 rather than holding a worker.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub fn routes(state: AppState) -> Router {
    let content = Router::new()
        .route("/posts/", get(content_api::posts::browse_posts))
        .route("/posts/{id}/", get(content_api::posts::read_post_by_id))
        .route(
            "/posts/slug/{slug}/",
            get(content_api::posts::read_post_by_slug),
        )
        .route("/pages/", get(content_api::posts::browse_pages))
        .route("/pages/{id}/", get(content_api::posts::read_page_by_id))
        .route(
            "/pages/slug/{slug}/",
            get(content_api::posts::read_page_by_slug),
        )
        .route("/tags/", get(content_api::taxonomies::browse::<Tag>))
        .route(
            "/tags/{id}/",
            get(content_api::taxonomies::read_by_id::<Tag>),
        )
        .route(
            "/tags/slug/{slug}/",
            get(content_api::taxonomies::read_by_slug::<Tag>),
        )
        .route("/authors/", get(content_api::taxonomies::browse::<User>))
        .route(
            "/authors/{id}/",
            get(content_api::taxonomies::read_by_id::<User>),
        )
        .route(
            "/authors/slug/{slug}/",
            get(content_api::taxonomies::read_by_slug::<User>),
        )
        .route("/settings/", get(content_api::settings::browse))
        // Answers are cached like pages (keyed by path and query); the key is checked first.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::layer,
        ))
        // ── Content API newsletters and tiers (`content_api::{newsletters,tiers}`) ──
        // After the page cache's layer, so outside it: editing a newsletter announces no
        // content change, and a cached answer would outlive the edit. The key still applies.
        .route("/newsletters/", get(content_api::newsletters::browse))
        .route("/tiers/", get(content_api::tiers::browse))
        // ── end of Content API newsletters and tiers ──
        // ── Content API offers (`content_api::offers`): none to cache, every read a 404 ──
        .route("/offers/{id}/", get(content_api::offers::read))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            content_api::require_key,
        ))
        .fallback(error::not_found)
        .layer(axum::middleware::map_response(content_api::headers))
        // Outermost: a preflight is answered before the key check (`content_api::cors`).
        .layer(axum::middleware::from_fn(content_api::cors::preflight));
    // ── The public site (`site`): cached, validated, purged by content changes ──────────────
    // Pages answer by the active routes.yaml (`site::dispatch`), so one catch-all route takes
    // every path no other route claims; fixed files keep their own routes.
    let site = Router::new()
        .route("/", get(site::dispatch).fallback(site::fallback))
        .route("/{*path}", get(site::dispatch).fallback(site::fallback))
        .route("/sitemap.xml", get(site::sitemaps::index))
        .route("/sitemap-posts.xml", get(site::sitemaps::posts))
        .route("/sitemap-pages.xml", get(site::sitemaps::pages))
        .route("/sitemap-tags.xml", get(site::sitemaps::tags))
        .route("/sitemap-authors.xml", get(site::sitemaps::authors))
        .route("/sitemap-news.xml", get(site::sitemaps::news))
        .route("/robots.txt", get(site::sitemaps::robots))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::layer,
        ));
    // ── end of the public site ───────────────────────────────────────────────────────────
    // ── Admin API (`admin_api`) ──────────────────────────────────────────────────────────
    let admin = Router::new()
        .route(
            "/session/",
            post(admin_api::session::sign_in).delete(admin_api::session::sign_out),
        )
        .route("/site/", get(admin_api::site::read))
        // ── Password reset (`admin_api::authentication`; no caller to authenticate) ──
        .route(
            "/authentication/password_reset/",
            post(admin_api::authentication::request).put(admin_api::authentication::reset),
        )
        .route(
            "/posts/",
            get(admin_api::posts::browse_posts).post(admin_api::posts::add_post),
        )
        .route(
            "/posts/{id}/",
            get(admin_api::posts::read_post_by_id)
                .put(admin_api::posts::edit_post)
                .delete(admin_api::posts::delete_post),
        )
        .route(
            "/posts/slug/{slug}/",
            get(admin_api::posts::read_post_by_slug),
        )
        .route(
            "/pages/",
            get(admin_api::posts::browse_pages).post(admin_api::posts::add_page),
        )
        .route(
            "/pages/{id}/",
            get(admin_api::posts::read_page_by_id)
                .put(admin_api::posts::edit_page)
                .delete(admin_api::posts::delete_page),
        )
        .route(
            "/pages/slug/{slug}/",
            get(admin_api::posts::read_page_by_slug),
        )
        .route(
            "/tags/",
            get(admin_api::tags::browse).post(admin_api::tags::add),
        )
        .route(
            "/tags/{id}/",
            get(admin_api::tags::read_by_id)
                .put(admin_api::tags::edit)
                .delete(admin_api::tags::delete),
        )
        .route("/tags/slug/{slug}/", get(admin_api::tags::read_by_slug))
        .route("/users/", get(admin_api::users::browse))
        .route("/users/{id}/", get(admin_api::users::read_by_id))
        .route("/users/slug/{slug}/", get(admin_api::users::read_by_slug))
        .route(
            "/users/email/{email}/",
            get(admin_api::users::read_by_email),
        )
        .route(
            "/settings/",
            get(admin_api::settings::browse).put(admin_api::settings::edit),
        )
        .route("/images/upload/", post(admin_api::images::upload))
        // ── Webhooks (`admin_api::webhooks`), with Dateline's delivery log ──
        .route("/webhooks/", post(admin_api::webhooks::add))
        .route(
            "/webhooks/{id}/",
            axum::routing::put(admin_api::webhooks::edit).delete(admin_api::webhooks::delete),
        )
        .route(
            "/webhooks/{id}/deliveries/",
            get(admin_api::webhooks::deliveries),
        )
        // ── end of webhooks ──
        // ── Offers (`admin_api::offers`): none on a site without paid tiers ──
        .route(
            "/offers/",
            get(admin_api::offers::browse).post(admin_api::offers::add),
        )
        .route(
            "/offers/{id}/",
            get(admin_api::offers::read).put(admin_api::offers::edit),
        )
        // ── Themes (`admin_api::themes`; the upload route is below, with its own body limit) ──
        .route("/themes/", get(admin_api::themes::browse))
        .route("/themes/active/", get(admin_api::themes::active))
        .route(
            "/themes/{name}/",
            axum::routing::delete(admin_api::themes::delete),
        )
        .route(
            "/themes/{name}/activate/",
            axum::routing::put(admin_api::themes::activate),
        )
        // ── end of themes ──
        // ── Members, labels, newsletters and emails (`admin_api::{members,labels,…}`) ──
        .route(
            "/members/",
            get(admin_api::members::browse).post(admin_api::members::add),
        )
        .route(
            "/members/{id}/",
            get(admin_api::members::read)
                .put(admin_api::members::edit)
                .delete(admin_api::members::delete),
        )
        .route(
            "/labels/",
            get(admin_api::labels::browse).post(admin_api::labels::add),
        )
        .route(
            "/labels/{id}/",
            get(admin_api::labels::read)
                .put(admin_api::labels::edit)
                .delete(admin_api::labels::delete),
        )
        .route("/labels/slug/{slug}/", get(admin_api::labels::read_by_slug))
        .route(
            "/newsletters/",
            get(admin_api::newsletters::browse).post(admin_api::newsletters::add),
        )
        .route(
            "/newsletters/{id}/",
            axum::routing::put(admin_api::newsletters::edit),
        )
        .route("/emails/{id}/", get(admin_api::emails::read))
        .route("/emails/{id}/cancel/", post(admin_api::emails::cancel))
        // ── end of members, labels, newsletters and emails ──
        // ── routes.yaml (`admin_api::routes_yaml`) ──
        .route(
            "/settings/routes/yaml/",
            get(admin_api::routes_yaml::download).post(admin_api::routes_yaml::upload),
        )
        // ── end of routes.yaml ──
        .fallback(error::not_found)
        .layer(axum::middleware::map_response(admin_api::headers));
    // ── end of the Admin API ─────────────────────────────────────────────────────────────
    // ── Admin UI (`admin_ui`): the newsroom's pages, their script calls and files ─────────────
    let admin_ui = {
        use crate::admin_ui::{access, editor, history, review, stories};
        Router::new()
            .route("/admin/", get(admin_ui::home))
            .route("/admin/setup/", get(access::setup_page).post(access::setup))
            .route("/admin/login/", get(access::login_page).post(access::login))
            .route("/admin/logout/", post(access::logout))
            // ── Password reset and staff invitations (`admin_ui::{password_reset,staff}`) ──
            .route(
                "/admin/forgot/",
                get(admin_ui::password_reset::forgot_page).post(admin_ui::password_reset::forgot),
            )
            .route(
                "/admin/reset/{token}/",
                get(admin_ui::password_reset::reset_page).post(admin_ui::password_reset::reset),
            )
            .route("/admin/staff/", get(admin_ui::staff::page))
            .route("/admin/staff/invitations/", post(admin_ui::staff::invite))
            .route(
                "/admin/staff/invitations/{id}/revoke/",
                post(admin_ui::staff::revoke),
            )
            .route(
                "/admin/invitation/{token}/",
                get(admin_ui::staff::accept_page).post(admin_ui::staff::accept),
            )
            // ── end of password reset and staff invitations ──
            .route("/admin/posts/", get(stories::list))
            .route("/admin/posts/new/", get(editor::new))
            .route("/admin/posts/{id}/", get(editor::edit))
            .route("/admin/posts/{id}/preview/", get(editor::preview))
            .route("/admin/posts/{id}/history/", get(history::page))
            .route(
                "/admin/posts/{id}/history/{rev}/restore/",
                post(history::restore),
            )
            .route("/admin/api/posts/", post(editor::create))
            .route("/admin/api/posts/{id}/", axum::routing::put(editor::save))
            .route("/admin/api/posts/{id}/review/", post(review::submit))
            .route("/admin/review/", get(review::queue))
            .route("/admin/review/{id}/send-back/", post(review::send_back))
            .route("/admin/api/images/", post(editor::upload))
            .route("/admin/api/render/", post(editor::render))
            .route("/admin/api/paste/", post(editor::paste))
            // ── Tags, site settings, integrations (`admin_ui::{tags,settings,integrations}`) ──
            .route(
                "/admin/tags/",
                get(admin_ui::tags::list).post(admin_ui::tags::create),
            )
            .route("/admin/tags/new/", get(admin_ui::tags::new))
            .route(
                "/admin/tags/{id}/",
                get(admin_ui::tags::edit).post(admin_ui::tags::save),
            )
            .route(
                "/admin/tags/{id}/delete/",
                get(admin_ui::tags::confirm_delete).post(admin_ui::tags::delete),
            )
            .route(
                "/admin/settings/",
                get(admin_ui::settings::show).post(admin_ui::settings::save),
            )
            .route(
                "/admin/integrations/",
                get(admin_ui::integrations::list).post(admin_ui::integrations::create),
            )
            .route(
                "/admin/integrations/{id}/",
                get(admin_ui::integrations::show),
            )
            .route(
                "/admin/integrations/{id}/rotate/{kind}/",
                get(admin_ui::integrations::confirm_rotate).post(admin_ui::integrations::rotate),
            )
            .route(
                "/admin/integrations/{id}/delete/",
                get(admin_ui::integrations::confirm_delete).post(admin_ui::integrations::delete),
            )
            // ── end of tags, settings, integrations ──
            // ── Members (admin_ui::members) ──
            .route(
                "/admin/members/",
                get(admin_ui::members::list).post(admin_ui::members::create),
            )
            .route("/admin/members/new/", get(admin_ui::members::new))
            .route(
                "/admin/members/{id}/",
                get(admin_ui::members::edit).post(admin_ui::members::save),
            )
            .route(
                "/admin/members/{id}/delete/",
                get(admin_ui::members::confirm_delete).post(admin_ui::members::delete),
            )
            .route(
                "/admin/members/labels/",
                get(admin_ui::members::labels::page).post(admin_ui::members::labels::create),
            )
            .route(
                "/admin/members/labels/{id}/",
                post(admin_ui::members::labels::rename),
            )
            .route(
                "/admin/members/labels/{id}/delete/",
                get(admin_ui::members::labels::confirm_delete)
                    .post(admin_ui::members::labels::delete),
            )
            .route(
                "/admin/members/import/",
                get(admin_ui::members::csv::import_page),
            )
            .route(
                "/admin/members/export/",
                get(admin_ui::members::csv::export),
            )
            // ── end of members (the CSV upload is below, with its own body limit) ──
            // ── Newsletters, mail server, sends (`admin_ui::{newsletters,mail_settings,emails,story_email}`) ──
            .route(
                "/admin/newsletters/",
                get(admin_ui::newsletters::list).post(admin_ui::newsletters::create),
            )
            .route("/admin/newsletters/new/", get(admin_ui::newsletters::new))
            .route(
                "/admin/newsletters/{id}/",
                get(admin_ui::newsletters::edit).post(admin_ui::newsletters::save),
            )
            .route(
                "/admin/newsletters/{id}/change/",
                post(admin_ui::newsletters::change),
            )
            .route(
                "/admin/settings/mail/",
                get(admin_ui::mail_settings::show).post(admin_ui::mail_settings::save),
            )
            .route(
                "/admin/settings/mail/test/",
                post(admin_ui::mail_settings::test),
            )
            .route("/admin/emails/", get(admin_ui::emails::list))
            .route("/admin/emails/{id}/", get(admin_ui::emails::show))
            .route("/admin/emails/{id}/cancel/", post(admin_ui::emails::cancel))
            .route("/admin/api/emails/{id}/", get(admin_ui::emails::progress))
            .route(
                "/admin/api/recipients/",
                get(admin_ui::story_email::recipients),
            )
            .route(
                "/admin/posts/{id}/email/",
                get(admin_ui::story_email::preview),
            )
            .route(
                "/admin/api/posts/{id}/test-email/",
                post(admin_ui::story_email::test_send),
            )
            // ── end of newsletters, mail server, sends ──
            .route("/admin/static/{*path}", get(admin_ui::asset))
            .route("/ghost", get(admin_ui::from_ghost))
            .route("/ghost/", get(admin_ui::from_ghost))
            .route("/ghost/{*rest}", get(admin_ui::from_ghost))
            .layer(axum::middleware::map_response(admin_ui::headers))
    };
    // ── end of the admin UI ──────────────────────────────────────────────────────────────
    Router::new()
        .route("/healthz", get(site::health))
        .route("/content/images/{*path}", get(site::images::image))
        .route("/assets/{*path}", get(site::asset))
        .route("/favicon.ico", get(site::favicon))
        .route(
            dateline_theme::MEMBERS_SCRIPT_PATH,
            get(site::members_script),
        )
        .route(dateline_theme::SEARCH_SCRIPT_PATH, get(site::search_script))
        // ── Members and newsletters (`members`, `site::signup`) ──────────────────────────────
        .route("/members/api/subscribe/", post(site::signup::subscribe))
        .route(
            "/members/api/send-magic-link/",
            post(members::send_magic_link),
        )
        .route("/members/", get(members::open_magic_link))
        .route("/members/api/member/", get(members::current_member))
        .route(
            "/unsubscribe/",
            get(members::unsubscribe_page).post(members::unsubscribe),
        )
        // ── end of members ───────────────────────────────────────────────────────────────────
        // ── A member's newsletters by unsubscribe key (`member_newsletters`) ──
        .route(member_newsletters::PATH, get(member_newsletters::choose))
        // ── end of a member's newsletters ──
        .merge(site)
        .merge(admin_ui)
        .nest("/ghost/api/content", content)
        .nest("/ghost/api/admin", admin)
        .fallback(site::fallback)
        // Every route above refuses bodies over BODY_LIMIT; routes added below set their own.
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // ── Theme uploads (`admin_api::themes`): a theme's zip can be tens of MB ───────────────
        .merge(
            Router::new()
                .route(
                    "/ghost/api/admin/themes/upload/",
                    post(admin_api::themes::upload),
                )
                .layer(axum::middleware::map_response(admin_api::headers))
                .layer(axum::extract::DefaultBodyLimit::max(THEME_UPLOAD_LIMIT))
                .layer(RequestBodyLimitLayer::new(THEME_UPLOAD_LIMIT)),
        )
        // ── end of theme uploads ─────────────────────────────────────────────────────────────
        // ── Member CSV import and export (`admin_api::members`): a list can be many MB ────────
        .merge(
            Router::new()
                .route(
                    "/ghost/api/admin/members/upload/",
                    get(admin_api::members::export).post(admin_api::members::import),
                )
                .layer(axum::middleware::map_response(admin_api::headers))
                .layer(axum::extract::DefaultBodyLimit::max(MEMBER_CSV_LIMIT))
                .layer(RequestBodyLimitLayer::new(MEMBER_CSV_LIMIT)),
        )
        // ── end of member CSV ────────────────────────────────────────────────────────────────
        // ── Themes and brand images in the admin (`admin_ui::{themes,settings}`): uploads get the
        // API's limits (64 MB for a theme, the image store's for an image) ──
        .merge(
            Router::new()
                .route("/admin/themes/", get(admin_ui::themes::list))
                .route(
                    "/admin/themes/{name}/activate/",
                    get(admin_ui::themes::confirm_activate).post(admin_ui::themes::activate),
                )
                .route(
                    "/admin/themes/{name}/delete/",
                    get(admin_ui::themes::confirm_delete).post(admin_ui::themes::delete),
                )
                .route(
                    "/admin/themes/{name}/download/",
                    get(admin_ui::themes::download),
                )
                .route(
                    "/admin/themes/{name}/settings/",
                    post(admin_ui::themes::save_settings),
                )
                .route(
                    "/admin/settings/images/{key}/remove/",
                    post(admin_ui::settings::remove_image),
                )
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
                .merge(
                    Router::new()
                        .route("/admin/themes/upload/", post(admin_ui::themes::upload))
                        .layer(axum::extract::DefaultBodyLimit::max(THEME_UPLOAD_LIMIT))
                        .layer(RequestBodyLimitLayer::new(THEME_UPLOAD_LIMIT)),
                )
                .merge(
                    Router::new()
                        .route(
                            "/admin/settings/images/{key}/",
                            post(admin_ui::settings::upload_image),
                        )
                        .layer(axum::extract::DefaultBodyLimit::max(IMAGE_UPLOAD_LIMIT))
                        .layer(RequestBodyLimitLayer::new(IMAGE_UPLOAD_LIMIT)),
                )
                .layer(axum::middleware::map_response(admin_ui::headers)),
        )
        // ── end of themes and brand images ───────────────────────────────────────────────────────
        // ── Members (admin_ui::members): the admin's CSV upload, as large as the API's ──
        .merge(
            Router::new()
                .route(
                    "/admin/members/import/",
                    post(admin_ui::members::csv::import),
                )
                .layer(axum::middleware::map_response(admin_ui::headers))
                .layer(axum::extract::DefaultBodyLimit::max(MEMBER_CSV_LIMIT))
                .layer(RequestBodyLimitLayer::new(MEMBER_CSV_LIMIT)),
        )
        // ── end of the members CSV upload ──
        .with_state(state)
}

/// What every request passes through before routing: request ids, tracing, compression and
/// the timeout. Wrapped once around the whole router rather than added with `Router::layer`,
/// which would wrap (and box, and clone per request) every route separately: on a cached page
/// that per-route copy was a quarter of the server's instructions.
pub fn with_layers(
    router: Router,
) -> impl Service<
    Request<Body>,
    Response = Response,
    Error = Infallible,
    Future = impl Future<Output = Result<Response, Infallible>> + Send,
> + Clone
+ Send
+ 'static {
    let request_id = HeaderName::from_static("x-request-id");
    ServiceBuilder::new()
        // The layers below wrap the body in their own types; the server takes axum's.
        .map_response(|response: Response<_>| response.map(Body::new))
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(
            |req: &axum::http::Request<axum::body::Body>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
            },
        ))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .service(router)
}
