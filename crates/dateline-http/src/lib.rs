//! Dateline over HTTP: one route table ([`router`]), handlers that parse and authorise and then
//! call a use case in `dateline-app`, and one error policy ([`error`]). Handlers never touch SQL.

mod active_theme;
pub mod admin_api;
pub mod admin_ui;
pub mod content_api;
pub mod error;
mod member_newsletters;
mod members;
pub mod page_cache;
pub mod router;
mod site;
mod xml;

use std::future::Future;
use std::ops::Deref;
use std::sync::Arc;

use dateline_app::App;
use tokio::net::TcpListener;

/// What handlers share. Axum clones the state for every extractor and middleware on every
/// request, so it is one `Arc`: a cached page costs one atomic increment here, not a copy of
/// every field (two of them heap strings).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The fields behind [`AppState`].
pub struct Shared {
    pub app: App,
    /// The public address, without a trailing slash; every absolute link starts with it.
    pub site_url: String,
    /// Rendered public pages (see [`page_cache`]).
    pub pages: page_cache::PageCache,
    /// Content API keys seen valid recently (see [`content_api::KeyCache`]).
    pub content_keys: content_api::KeyCache,
    /// Uploaded images under the data folder.
    pub media: dateline_media::ImageStore,
    /// The active theme, loaded at start and replaced when another is activated.
    pub theme: active_theme::ActiveTheme,
    /// The site's data folder: installed themes live under `<data>/themes/`.
    pub data_dir: std::path::PathBuf,
}

impl AppState {
    /// The state for a site at `site_url` whose files live in `data_dir`, rendered with the
    /// active theme from `<data>/themes/` (the built-in theme when none is active).
    pub async fn new(
        app: App,
        site_url: String,
        data_dir: &std::path::Path,
    ) -> Result<AppState, dateline_app::themes::ThemeInstallError> {
        let theme = app.load_active_theme(data_dir).await?;
        // A Ghost-style `settings/routes.yaml` is taken in once; the database holds it after.
        if let Err(err) = app.import_routes_file(data_dir).await {
            tracing::warn!(%err, "cannot take in routes.yaml from the data folder");
        }
        Ok(AppState(Arc::new(Shared {
            app,
            site_url,
            pages: page_cache::PageCache::new(),
            content_keys: content_api::KeyCache::new(),
            media: dateline_media::ImageStore::new(data_dir),
            theme: active_theme::ActiveTheme::new(theme),
            data_dir: data_dir.to_path_buf(),
        })))
    }
}

/// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The theme follows activations and uploads made on other nodes until the server stops.
    let (stopped, stop_following) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(active_theme::follow(state.clone(), async move {
        let _ = stop_following.await;
    }));
    // The peer address feeds the per-address login budget (`admin_ui::access::ClientAddr`).
    let app = axum::ServiceExt::<axum::http::Request<axum::body::Body>>::into_make_service_with_connect_info::<std::net::SocketAddr>(
        router::with_layers(router::routes(state)),
    );
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    let _ = stopped.send(());
    served
}
