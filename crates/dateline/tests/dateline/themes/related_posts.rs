//! `{{#get}}` blocks as Edge, Dope and Ease write them: related stories by the story's tags
//! (`filter="tags:[{{post.tags}}]+id:-{{post.id}}"`, a list of tags written into a filter as
//! their slugs), and `{{pagination.total}}` read at the top of the block's context, where
//! Ghost copies `meta.pagination`.

use dateline_testkit::{TestDb, backend_tests};

use super::{paragraph, serve_theme_files};

backend_tests!(
    related_posts_share_a_tag_and_leave_the_story_out,
    get_blocks_see_their_pagination_at_the_top
);

const THEME: &[(&str, &str)] = &[
    (
        "package.json",
        r#"{"name": "related", "version": "1.0.0", "config": {"posts_per_page": 5}}"#,
    ),
    (
        "default.hbs",
        "<!DOCTYPE html><html><body>{{{body}}}</body></html>",
    ),
    (
        "index.hbs",
        "{{!< default}}{{#get \"tags\" limit=\"all\"}}\
         <p class=\"tags\">{{pagination.total}}/{{meta.pagination.total}}</p>{{/get}}",
    ),
    (
        "post.hbs",
        "{{!< default}}\
         {{#get \"posts\" limit=\"all\" filter=\"tags:[{{post.tags}}]+id:-{{post.id}}\" as |related|}}\
         <p class=\"related\">{{#foreach related}}{{slug}} {{/foreach}}</p>\
         {{else}}<p class=\"related\">none</p>{{/get}}",
    ),
];

async fn related_posts_share_a_tag_and_leave_the_story_out(db: TestDb) {
    let server = serve_theme_files(db.app().await, THEME).await;

    // Tagged Economy and News: the other published News stories; the scheduled Economy
    // preview and the story itself are left out.
    let res = server
        .get("/baghdad-and-erbil-agree-on-oil-export-restart/")
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let mut related: Vec<&str> = paragraph(&html, "related").split_whitespace().collect();
    related.sort_unstable();
    assert_eq!(
        related,
        [
            "iraq-names-squad-for-world-cup-qualifiers",
            "kurdistan-region-parliament-sets-date-for-first-session",
            "pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner",
        ],
        "{html}"
    );
}

async fn get_blocks_see_their_pagination_at_the_top(db: TestDb) {
    let server = serve_theme_files(db.app().await, THEME).await;

    let html = server.get("/").await.text().await.unwrap();
    // Seven tags, the internal `#internal` one included, as Ghost's Content API lists them.
    assert_eq!(paragraph(&html, "tags"), "7/7");
}
