//! The search buttons of Ghost themes (`data-ghost-search`, `{{search}}`): `{{ghost_head}}`
//! links Dateline's search box, served by the site, with the Content API address and the
//! frontend key it looks stories up with; a theme without a search button gets no script.

use dateline_testkit::{TestDb, backend_tests};

use super::cli::write_theme;
use super::serve_with_theme;

backend_tests!(
    a_search_button_gets_the_search_box_and_its_key,
    the_search_helper_is_a_search_button,
    a_theme_without_search_buttons_loads_no_search_script
);

fn theme(index: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "package.json",
            r#"{"name": "finder", "version": "1.0.0", "config": {"posts_per_page": 5}}"#.into(),
        ),
        (
            "default.hbs",
            "<!DOCTYPE html><html><head>{{ghost_head}}</head><body>{{{body}}}</body></html>".into(),
        ),
        ("index.hbs", format!("{{{{!< default}}}}{index}")),
        (
            "post.hbs",
            "{{!< default}}{{#post}}{{title}}{{/post}}".into(),
        ),
    ]
}

fn write(dir: &std::path::Path, files: &[(&'static str, String)]) {
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    write_theme(dir, &files);
}

/// The value of `attribute="…"` on the search `<script>` tag of `html`.
fn script_attribute<'a>(html: &'a str, attribute: &str) -> &'a str {
    let script = html
        .find("/public/search.js")
        .unwrap_or_else(|| panic!("no search script in {html}"));
    let tag = &html[html[..script].rfind("<script").unwrap()..];
    let tag = &tag[..tag.find('>').unwrap()];
    let start = tag.find(&format!(" {attribute}=\"")).unwrap() + attribute.len() + 3;
    &tag[start..start + tag[start..].find('"').unwrap()]
}

async fn a_search_button_gets_the_search_box_and_its_key(db: TestDb) {
    let source = tempfile::tempdir().unwrap();
    write(
        source.path(),
        &theme("<button data-ghost-search>Search</button>"),
    );
    let server = serve_with_theme(db.app().await, source.path()).await;

    let html = server.get("/").await.text().await.unwrap();
    assert_eq!(
        script_attribute(&html, "data-api"),
        "http://localhost:2368/ghost/api/content/"
    );
    let src = script_attribute(&html, "src");
    let res = server.get(src).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert!(res.text().await.unwrap().contains("data-ghost-search"));

    // The query the script makes answers with the published stories, newest first.
    let key = script_attribute(&html, "data-key");
    let res = server
        .get(&format!(
            "/ghost/api/content/posts/?key={key}&limit=all\
             &fields=title,url,excerpt,published_at&order=published_at%20desc"
        ))
        .await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    let posts = body["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 8, "{body}");
    assert_eq!(
        posts[0]["url"],
        "http://localhost:2368/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/"
    );
    assert!(posts[0]["excerpt"].is_string());
}

async fn the_search_helper_is_a_search_button(db: TestDb) {
    let source = tempfile::tempdir().unwrap();
    write(source.path(), &theme("{{search}}"));
    let server = serve_with_theme(db.app().await, source.path()).await;
    let html = server.get("/").await.text().await.unwrap();
    assert!(html.contains("data-ghost-search"), "{html}");
    assert!(script_attribute(&html, "data-key").len() >= 26, "{html}");
}

async fn a_theme_without_search_buttons_loads_no_search_script(db: TestDb) {
    let source = tempfile::tempdir().unwrap();
    write(source.path(), &theme("<p>No search here</p>"));
    let server = serve_with_theme(db.app().await, source.path()).await;
    let html = server.get("/").await.text().await.unwrap();
    assert!(html.contains("No search here"), "{html}");
    assert!(!html.contains("/public/search.js"), "{html}");
}
