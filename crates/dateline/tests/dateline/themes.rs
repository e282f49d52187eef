//! Ghost themes on Dateline: installing, activating and rendering Ghost's own Casper and
//! Source. The themes are not in the repository; `scripts/ghost-themes` fetches them from npm
//! and `DATELINE_GHOST_THEMES` points at them (tests that need them are skipped, loudly,
//! without it).

mod admin_api;
pub(crate) mod cli;
mod content_api_helpers;
mod extra_themes;
mod ghost_pages;
mod helpers;
mod official_idioms;
mod related_posts;
mod routes;
mod site_search;
pub(crate) mod zip;

use std::path::PathBuf;

use dateline_app::App;
use dateline_testkit::{TestServer, ghost_export};

/// Where `scripts/ghost-themes` put Casper and Source, or `None` (with a loud note) when the
/// tests run without them.
pub(crate) fn ghost_themes() -> Option<PathBuf> {
    match std::env::var_os("DATELINE_GHOST_THEMES") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            eprintln!(
                "!!! SKIPPED: DATELINE_GHOST_THEMES is not set; run scripts/ghost-themes and \
                 point it at the folder it prints"
            );
            None
        }
    }
}

/// The Ghost fixture site served at Ghost's address with `theme` (a folder) installed and
/// active, as `dateline theme install --activate` leaves it.
pub(crate) async fn serve_with_theme(app: App, theme: &std::path::Path) -> TestServer {
    serve_site_with_theme(app, &ghost_export(), None, theme).await
}

/// The site of a Ghost export (`export`, the bytes of its JSON) served at Ghost's address with
/// `theme` installed and active, and with the files of Ghost's `content/images` folder when
/// `images` names one.
pub(crate) async fn serve_site_with_theme(
    app: App,
    export: &[u8],
    images: Option<&std::path::Path>,
    theme: &std::path::Path,
) -> TestServer {
    app.import_ghost(export, &|_, _| {}).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    if let Some(images) = images {
        ghost_pages::copy_dir(images, &data.path().join("content").join("images"));
    }
    let (name, report) = dateline_app::themes::install_theme(data.path(), theme).unwrap();
    assert!(!report.has_errors(), "{report}");
    app.activate_theme(data.path(), &name).await.unwrap();
    TestServer::start_in(app, Some("http://localhost:2368"), data).await
}

/// The Ghost fixture site served with a small theme of the test's own, written from `files`
/// (path, contents).
pub(crate) async fn serve_theme_files(app: App, files: &[(&str, &str)]) -> TestServer {
    let source = tempfile::tempdir().unwrap();
    cli::write_theme(source.path(), files);
    serve_with_theme(app, source.path()).await
}

/// The text of `<p class="{class}">` in `html`: the small test themes print each value they
/// check in a paragraph of its own.
pub(crate) fn paragraph<'a>(html: &'a str, class: &str) -> &'a str {
    let open = format!("<p class=\"{class}\">");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no {open} in {html}"))
        + open.len();
    let end = start + html[start..].find("</p>").unwrap();
    &html[start..end]
}
