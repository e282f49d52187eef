//! Ghost themes Dateline was not written against: the Casper (and Source) that other Ghost
//! releases ship, from Ghost 1 to Ghost 6, which `scripts/ghost-themes --extra` puts in a
//! cache and `DATELINE_EXTRA_THEMES` points at. Each renders every kind of page with Ghost's
//! status and no helper it lacks. A theme calling helpers nobody has still renders, and the
//! log names the template and the helper once.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use dateline_testkit::{TestDb, backend_tests};

use super::cli::write_theme;
use super::ghost_pages::copy_dir;
use super::serve_with_theme;

backend_tests!(
    older_and_newer_ghost_themes_render_every_page,
    unknown_helpers_render_nothing_and_are_logged_once,
    a_theme_failing_while_rendering_says_where_on_a_page
);

/// Where `scripts/ghost-themes --extra` put the themes, or `None` (with a loud note).
fn extra_themes() -> Option<PathBuf> {
    match std::env::var_os("DATELINE_EXTRA_THEMES") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            eprintln!(
                "!!! SKIPPED: DATELINE_EXTRA_THEMES is not set; run `scripts/ghost-themes \
                 --extra` and point it at the folder it prints"
            );
            None
        }
    }
}

/// Every kind of page, with the status Ghost gives it on the fixture site once listings
/// show three stories a page.
const PAGES: &[(&str, u16)] = &[
    ("/", 200),
    ("/page/2/", 200),
    (
        "/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/",
        200,
    ),
    ("/tag/news/", 200),
    ("/tag/news/page/2/", 200),
    ("/author/the-new-region/", 200),
    ("/about/", 200),
    ("/no-such-page/", 404),
    ("/rss/", 200),
];

async fn older_and_newer_ghost_themes_render_every_page(db: TestDb) {
    let Some(root) = extra_themes() else {
        return;
    };
    let mut themes: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("package.json").is_file())
        .collect();
    themes.sort();
    assert!(!themes.is_empty(), "no themes in {}", root.display());
    let log = Log::capture();
    // One database: each theme is installed on the same imported site in turn.
    let app = db.app().await;
    app.import_ghost(&dateline_testkit::ghost_export(), &|_, _| {})
        .await
        .unwrap();
    for theme in &themes {
        let label = theme.file_name().unwrap().to_string_lossy().into_owned();
        let report = dateline_theme::check_dir(theme).unwrap();
        assert!(!report.has_errors(), "{label}: {report}");
        let loaded = dateline_theme::Theme::from_dir(theme).unwrap();
        assert_eq!(loaded.unsupported_helpers(), &[], "{label}");

        let copy = tempfile::tempdir().unwrap();
        three_a_page(theme, copy.path());
        let server = serve_with_theme_on(app.clone(), copy.path()).await;
        for (path, status) in PAGES {
            let res = server.get(path).await;
            assert_eq!(res.status().as_u16(), *status, "{label} {path}");
            let body = res.text().await.unwrap();
            assert!(body.len() > 200, "{label} {path}: {body}");
        }
        // Names that are neither a helper nor a value are noted (at `info`), as Ghost prints
        // nothing for them either; a helper the theme calls that Dateline lacks, or a failed
        // render, is a warning or an error.
        let logged = log.take();
        let problems: Vec<&str> = logged
            .lines()
            .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
            .collect();
        assert_eq!(problems, Vec::<&str>::new(), "{label}:\n{logged}");
        eprintln!("{label}: every page renders\n{logged}");
    }
}

/// The theme copied to `to` with `posts_per_page` lowered to 3, so the fixture's eight stories
/// fill more than one page.
fn three_a_page(theme: &Path, to: &Path) {
    copy_dir(theme, to);
    let package = to.join("package.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&package).unwrap()).unwrap();
    json["config"]["posts_per_page"] = 3.into();
    std::fs::write(&package, json.to_string()).unwrap();
}

/// `serve_with_theme` for an app whose site is already imported.
async fn serve_with_theme_on(app: dateline_app::App, theme: &Path) -> dateline_testkit::TestServer {
    let data = tempfile::tempdir().unwrap();
    let (name, report) = dateline_app::themes::install_theme(data.path(), theme).unwrap();
    assert!(!report.has_errors(), "{report}");
    app.activate_theme(data.path(), &name).await.unwrap();
    dateline_testkit::TestServer::start_in(app, Some("http://localhost:2368"), data).await
}

const NONSENSE: &[(&str, &str)] = &[
    (
        "package.json",
        r#"{"name": "nonsense", "version": "1.0.0", "config": {"posts_per_page": 5}}"#,
    ),
    (
        "default.hbs",
        "<!DOCTYPE html><html><body>{{{body}}}</body></html>",
    ),
    (
        "index.hbs",
        "{{!< default}}<p class=\"a\">[{{nonsense_helper}}]</p>\
         <p class=\"b\">[{{#nonsense_block}}inside{{else}}otherwise{{/nonsense_block}}]</p>\
         {{#foreach posts}}<h2>{{title}}</h2>{{/foreach}}",
    ),
    (
        "post.hbs",
        "{{!< default}}{{#post}}<h1>{{title}}</h1>{{/post}}",
    ),
];

async fn unknown_helpers_render_nothing_and_are_logged_once(db: TestDb) {
    let source = tempfile::tempdir().unwrap();
    write_theme(source.path(), NONSENSE);
    let log = Log::capture();
    let server = serve_with_theme(db.app().await, source.path()).await;
    for path in ["/", "/", "/tag/news/"] {
        let res = server.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().await.unwrap();
        // As Handlebars.js does in Ghost: an unknown name prints nothing, and a block on it
        // renders its `{{else}}`.
        assert!(html.contains("<p class=\"a\">[]</p>"), "{html}");
        assert!(html.contains("<p class=\"b\">[otherwise]</p>"), "{html}");
        assert!(html.contains("<h2>"), "{html}");
    }
    let logged = log.take();
    for helper in ["nonsense_helper", "nonsense_block"] {
        let lines: Vec<&str> = logged.lines().filter(|l| l.contains(helper)).collect();
        assert_eq!(lines.len(), 1, "{helper}:\n{logged}");
        assert!(lines[0].contains("index"), "{}", lines[0]);
    }
}

/// A theme that fails only while rendering (a partial named at run time that does not exist):
/// the reader gets an HTML page with status 500 naming the template, the place and the cause,
/// not an API's JSON error; other pages still render.
async fn a_theme_failing_while_rendering_says_where_on_a_page(db: TestDb) {
    let source = tempfile::tempdir().unwrap();
    let mut files = NONSENSE.to_vec();
    files.retain(|(name, _)| *name != "post.hbs");
    files.push((
        "post.hbs",
        "{{!< default}}{{#post}}<h1>{{title}}</h1>{{> (concat \"card-\" \"missing\")}}{{/post}}",
    ));
    write_theme(source.path(), &files);
    let server = serve_with_theme(db.app().await, source.path()).await;
    let res = server
        .get("/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/")
        .await;
    assert_eq!(res.status(), 500);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("This page could not be shown"), "{html}");
    assert!(html.contains("post.hbs"), "{html}");
    assert!(html.contains("card-missing"), "{html}");
    assert_eq!(server.get("/").await.status(), 200);
}

/// What the process logs at `info` and above, captured for the assertions.
struct Log(&'static Mutex<Vec<u8>>);

impl Log {
    fn capture() -> Log {
        static BUFFER: OnceLock<&'static Mutex<Vec<u8>>> = OnceLock::new();
        let buffer = *BUFFER.get_or_init(|| {
            let buffer: &'static Mutex<Vec<u8>> = Box::leak(Box::new(Mutex::new(Vec::new())));
            let _ = tracing_subscriber::fmt()
                .with_ansi(false)
                // sqlx warns of slow statements when the machine is busy; not the theme's doing.
                .with_env_filter(tracing_subscriber::EnvFilter::new("info,sqlx=error"))
                .with_writer(move || Writer(buffer))
                .try_init();
            buffer
        });
        buffer.lock().unwrap().clear();
        Log(buffer)
    }

    /// What was logged since the last call.
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
    }
}

struct Writer(&'static Mutex<Vec<u8>>);

impl std::io::Write for Writer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
