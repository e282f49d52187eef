//! Ghost helpers that need the site's data, rendered through a small theme on the Ghost
//! fixture site: `{{#next_post}}` and `{{#prev_post}}` (with `in="primary_tag"`), and
//! `{{total_members}}` / `{{total_paid_members}}`.

use dateline_testkit::{TestDb, backend_tests};

use super::{paragraph, serve_theme_files};

backend_tests!(
    next_and_previous_posts_follow_publication_order,
    member_counts_are_rounded_as_ghost_shows_them
);

const THEME: &[(&str, &str)] = &[
    (
        "package.json",
        r#"{"name": "neighbours", "version": "1.0.0", "config": {"posts_per_page": 5}}"#,
    ),
    (
        "default.hbs",
        "<!DOCTYPE html><html><body>{{{body}}}</body></html>",
    ),
    (
        "index.hbs",
        "{{!< default}}<p class=\"members\">{{total_members}}</p>\
         <p class=\"paid\">{{total_paid_members}}</p>",
    ),
    (
        "post.hbs",
        "{{!< default}}{{#post}}\
         <p class=\"next\">{{#next_post}}<a href=\"{{url}}\">{{title}}</a>{{else}}none{{/next_post}}</p>\
         <p class=\"prev\">{{#prev_post}}<a href=\"{{url}}\">{{title}}</a>{{else}}none{{/prev_post}}</p>\
         <p class=\"prev-in-section\">{{#prev_post in=\"primary_tag\"}}{{slug}}{{else}}none{{/prev_post}}</p>\
         <p class=\"next-in-section\">{{#next_post in=\"primary_tag\"}}{{slug}} by {{primary_author.name}}{{else}}none{{/next_post}}</p>\
         {{/post}}",
    ),
];

async fn next_and_previous_posts_follow_publication_order(db: TestDb) {
    let server = serve_theme_files(db.app().await, THEME).await;

    // Published 3 September (section World), between the book fair (4th) and the oil deal (2nd).
    let res = server
        .get("/heatwave-strains-iraqs-electricity-grid/")
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_eq!(
        paragraph(&html, "next"),
        "<a href=\"/erbil-book-fair-opens-with-record-number-of-publishers/\">\
         Erbil book fair opens with record number of publishers</a>"
    );
    assert!(
        paragraph(&html, "prev").contains("\"/baghdad-and-erbil-agree-on-oil-export-restart/"),
        "{html}"
    );
    // Within World, the next story is the two-author analysis of the 7th; nothing older.
    assert_eq!(
        paragraph(&html, "next-in-section"),
        "analysis-what-the-nato-mission-means-for-iraqs-army by The New Region"
    );
    assert_eq!(paragraph(&html, "prev-in-section"), "none");

    // The newest story has no next; drafts and scheduled stories never count.
    let html = server
        .get("/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(paragraph(&html, "next"), "none");
    assert!(
        paragraph(&html, "prev").contains("analysis-what-the-nato-mission-means-for-iraqs-army"),
        "{html}"
    );
}

async fn member_counts_are_rounded_as_ghost_shows_them(db: TestDb) {
    let app = db.app().await;
    for n in 0..57 {
        app.add_member(&format!("reader{n}@example.com"), None)
            .await
            .unwrap();
    }
    let mut tx = app.store.begin().await.unwrap();
    let mut paying = dateline_store::members::by_email(&mut tx, "reader7@example.com")
        .await
        .unwrap()
        .unwrap();
    paying.status = "paid".to_owned();
    assert!(
        dateline_store::members::update(&mut tx, &paying)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();

    let server = serve_theme_files(app, THEME).await;
    let html = server.get("/").await.text().await.unwrap();
    assert_eq!(paragraph(&html, "members"), "50+", "{html}");
    assert_eq!(paragraph(&html, "paid"), "1", "{html}");
}
