//! Ghost 6's helpers that reach the site's data, through a small theme on the Ghost fixture
//! site: `{{content_api_key}}` and `{{content_api_url}}` give a theme's scripts a key and an
//! address that open the Content API, and `{{#collection}}` lists the latest posts.

use dateline_testkit::{TestDb, backend_tests};

use super::serve_theme_files;

backend_tests!(
    the_printed_key_and_url_open_the_content_api,
    collection_blocks_list_the_latest_posts
);

const THEME: &[(&str, &str)] = &[
    (
        "package.json",
        r#"{"name": "scripted", "version": "1.0.0", "config": {"posts_per_page": 5}}"#,
    ),
    (
        "default.hbs",
        "<!DOCTYPE html><html><body>{{{body}}}\
         <script data-key=\"{{content_api_key}}\" data-api=\"{{content_api_url}}\"></script>\
         </body></html>",
    ),
    (
        "index.hbs",
        "{{!< default}}<ol>{{#collection \"featured\" limit=\"2\" as |latest|}}\
         {{#foreach latest}}<li>{{slug}}</li>{{/foreach}}{{/collection}}</ol>",
    ),
    (
        "post.hbs",
        "{{!< default}}{{#post}}<h1>{{title}}</h1>{{/post}}",
    ),
];

/// The value of `attribute="…"` in `html`.
fn attribute<'a>(html: &'a str, attribute: &str) -> &'a str {
    let open = format!("{attribute}=\"");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no {open} in {html}"))
        + open.len();
    &html[start..start + html[start..].find('"').unwrap()]
}

async fn the_printed_key_and_url_open_the_content_api(db: TestDb) {
    let server = serve_theme_files(db.app().await, THEME).await;

    let home = server.get("/").await.text().await.unwrap();
    let key = attribute(&home, "data-key").to_owned();
    assert_eq!(key.len(), 26, "{home}");
    assert!(key.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
    let api = attribute(&home, "data-api");
    assert_eq!(api, "http://localhost:2368/ghost/api/content/");

    // The key is the site's, not the page's: every page prints the same one.
    let post = server
        .get("/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(attribute(&post, "data-key"), key);

    // What a theme's search script does with them.
    let path = api.trim_start_matches("http://localhost:2368");
    let res = server
        .get(&format!("{path}posts/?key={key}&limit=1&fields=slug"))
        .await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["posts"].as_array().unwrap().len(), 1, "{body}");
}

async fn collection_blocks_list_the_latest_posts(db: TestDb) {
    let server = serve_theme_files(db.app().await, THEME).await;

    let html = server.get("/").await.text().await.unwrap();
    assert!(
        html.contains(
            "<ol><li>pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner</li>\
             <li>analysis-what-the-nato-mission-means-for-iraqs-army</li></ol>"
        ),
        "{html}"
    );
}
