//! Idioms of TryGhost's official themes (Journal, Headline, Dawn) that only show on a
//! rendered page: an inverted helper block with an `{{else}}` (`{{^if @member}}…{{else}}…`),
//! and tags and authors from `{{#get … include="count.posts"}}` carrying `count.posts`.

use dateline_testkit::{TestDb, backend_tests};

use super::{paragraph, serve_theme_files};

backend_tests!(
    inverted_blocks_with_an_else_render_both_branches,
    get_with_count_posts_gives_each_tag_and_author_its_count
);

const THEME: &[(&str, &str)] = &[
    (
        "package.json",
        r#"{"name": "idioms", "version": "1.0.0", "config": {"posts_per_page": 5}}"#,
    ),
    (
        "default.hbs",
        "<!DOCTYPE html><html><body>{{{body}}}</body></html>",
    ),
    (
        "index.hbs",
        "{{!< default}}\
         <p class=\"member\">{{^if @member}}visitor{{else}}member{{/if}}</p>\
         <p class=\"paged\">{{^is \"paged\"}}first{{else}}page {{pagination.page}}{{/is}}</p>\
         <p class=\"tags\">{{#get \"tags\" include=\"count.posts\" filter=\"slug:[politics,culture]\" order=\"slug asc\" as |topics|}}\
         {{#foreach topics}}{{slug}}={{plural count.posts empty=\"none\" singular=\"% issue\" plural=\"% issues\"}};{{/foreach}}{{/get}}</p>\
         <p class=\"authors\">{{#get \"authors\" include=\"count.posts\" filter=\"slug:the-new-region\"}}\
         {{#foreach authors}}{{slug}}={{count.posts}}{{/foreach}}{{/get}}</p>\
         <p class=\"uncounted\">{{#get \"tags\" filter=\"slug:politics\"}}{{#foreach tags}}{{slug}}{{#if count}} counted{{/if}}{{/foreach}}{{/get}}</p>",
    ),
    ("post.hbs", "{{!< default}}{{#post}}{{title}}{{/post}}"),
];

async fn inverted_blocks_with_an_else_render_both_branches(db: TestDb) {
    let server = serve_theme_files(db.app().await, THEME).await;

    let html = server.get("/").await.text().await.unwrap();
    assert_eq!(paragraph(&html, "member"), "visitor");
    assert_eq!(paragraph(&html, "paged"), "first");

    let res = server.get("/page/2/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_eq!(paragraph(&html, "paged"), "page 2");
}

async fn get_with_count_posts_gives_each_tag_and_author_its_count(db: TestDb) {
    let server = serve_theme_files(db.app().await, THEME).await;

    let html = server.get("/").await.text().await.unwrap();
    // Politics has three published stories, Culture the book fair alone.
    assert_eq!(
        paragraph(&html, "tags"),
        "culture=1 issue;politics=3 issues;"
    );
    assert_eq!(paragraph(&html, "authors"), "the-new-region=5");
    // Without `include`, Ghost sends no count.
    assert_eq!(paragraph(&html, "uncounted"), "politics");
}
