//! `dateline theme install|activate|list|check` with small themes written on the spot, and the
//! site rendering with the theme activated.

use std::path::Path;
use std::process::Output;

use dateline_testkit::{TestDb, TestServer, backend_tests};

use crate::support::{dateline, stderr, stdout};

backend_tests!(
    install_activate_list_and_serve,
    a_theme_with_errors_is_refused_with_file_and_line,
    activating_needs_an_installed_theme
);

pub(crate) fn write_theme(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

pub(crate) fn theme_cmd(db: &TestDb, data: &Path, args: &[&str]) -> Output {
    dateline(db)
        .env("DATELINE_DATA", data)
        .arg("theme")
        .args(args)
        .output()
        .unwrap()
}

/// A small theme without errors (one warning: no `posts_per_page`).
pub(crate) const GOOD: &[(&str, &str)] = &[
    (
        "package.json",
        r#"{"name": "plain", "version": "1.0.0", "config": {"custom": {"greeting": {"type": "text", "default": "Marhaba"}}}}"#,
    ),
    (
        "default.hbs",
        "<!DOCTYPE html><html><head>{{ghost_head}}</head><body class=\"{{body_class}}\">{{{body}}}</body></html>",
    ),
    (
        "index.hbs",
        "{{!< default}}<h1>{{@custom.greeting}} from {{@site.title}}</h1>{{#foreach posts}}<p>{{title}}</p>{{/foreach}}",
    ),
    (
        "post.hbs",
        "{{!< default}}{{#post}}<h1>{{title}}</h1>{{/post}}",
    ),
];

async fn install_activate_list_and_serve(db: TestDb) {
    let data = tempfile::tempdir().unwrap();
    let source = tempfile::tempdir().unwrap();
    write_theme(source.path(), GOOD);

    let out = theme_cmd(
        &db,
        data.path(),
        &["install", source.path().to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Installed the theme plain."));
    // Warnings are shown, and do not stop the install.
    assert!(
        stderr(&out).contains("warning: package.json: \"config.posts_per_page\" is not set"),
        "{}",
        stderr(&out)
    );
    assert!(data.path().join("themes/plain/index.hbs").is_file());

    let out = theme_cmd(&db, data.path(), &["list"]);
    assert_eq!(stdout(&out), "* builtin\n  plain\n");
    let out = theme_cmd(&db, data.path(), &["activate", "plain"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = theme_cmd(&db, data.path(), &["list"]);
    assert_eq!(stdout(&out), "  builtin\n* plain\n");

    let server = TestServer::start_in(db.app().await, None, data).await;
    let html = server.get("/").await.text().await.unwrap();
    assert!(html.contains("<h1>Marhaba from "), "{html}");
    assert!(html.contains(r#"<body class="home-template">"#), "{html}");
}

async fn a_theme_with_errors_is_refused_with_file_and_line(db: TestDb) {
    let data = tempfile::tempdir().unwrap();
    let source = tempfile::tempdir().unwrap();
    write_theme(
        source.path(),
        &[
            (
                "package.json",
                "{\"name\": \"broken\",\n \"version\": 1.0.0}",
            ),
            (
                "index.hbs",
                "<main>\n{{title}}\n{{#frobnicate posts}}x{{/frobnicate}}\n</main>",
            ),
        ],
    );
    let out = theme_cmd(
        &db,
        data.path(),
        &["install", source.path().to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("error: package.json:2: package.json is not valid JSON"),
        "{err}"
    );
    assert!(
        err.contains("error: index.hbs:3: unknown helper {{frobnicate}}"),
        "{err}"
    );
    assert!(
        err.contains("error: post.hbs: post.hbs is missing"),
        "{err}"
    );
    assert!(!data.path().join("themes/broken").exists());

    // `check` reports the same without installing.
    let out = theme_cmd(
        &db,
        data.path(),
        &["check", source.path().to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("index.hbs:3"));
}

async fn activating_needs_an_installed_theme(db: TestDb) {
    let data = tempfile::tempdir().unwrap();
    let out = theme_cmd(&db, data.path(), &["activate", "casper"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no theme named casper is installed"),
        "{}",
        stderr(&out)
    );
    let out = theme_cmd(&db, data.path(), &["activate", "../etc"]);
    assert!(!out.status.success());
    // Back to the built-in theme is always possible.
    let out = theme_cmd(&db, data.path(), &["activate", "builtin"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
