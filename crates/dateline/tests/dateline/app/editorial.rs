use dateline_app::AppError;
use dateline_core::post::{Post, PostStatus, PostType};
use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};

use super::owner;

backend_tests!(
    saving_derives_html_plaintext_slug_and_dates,
    contributors_html_is_sanitised_and_they_cannot_publish,
    scheduling_needs_a_future_time,
);

fn draft(title: &str, markdown: &str) -> Post {
    let mut post = Post::draft(PostType::Post, title, "", dateline_core::time::now());
    post.markdown = Some(markdown.to_owned());
    post
}

async fn saving_derives_html_plaintext_slug_and_dates(db: TestDb) {
    let app = db.app().await;
    let desk = owner(&app).await;
    let markdown = "Iraq's cabinet met on **Monday**.\n\n## Oil exports\n\n| port | barrels |\n|---|---|\n| Basra | 3m |\n\nA note.[^1]\n\n[^1]: Ministry figures.\n";
    let saved = app
        .save_post(draft("Cabinet approves budget", markdown), &desk)
        .await
        .unwrap();
    assert_eq!(saved.slug, "cabinet-approves-budget");
    let html = saved.html.as_deref().unwrap();
    assert!(html.contains("<strong>Monday</strong>"), "{html}");
    assert!(html.contains("<h2 id=\"oil-exports\">"), "{html}");
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("Ministry figures."), "{html}");
    let text = saved.plaintext.as_deref().unwrap();
    assert!(text.contains("Iraq's cabinet met on Monday."), "{text}");
    assert_eq!(saved.author_ids, vec![desk.id.clone()]);
    // Ghost rounds a few seconds of reading down to 0 minutes; themes print "1 min read".
    assert_eq!(saved.reading_time(), 0);

    // Same title again: Ghost's suffix.
    let second = app
        .save_post(draft("Cabinet approves budget", "Again."), &desk)
        .await
        .unwrap();
    assert_eq!(second.slug, "cabinet-approves-budget-2");

    // Publishing stamps the publish time; saving again keeps the slug and creation time.
    let mut edit = saved.clone();
    edit.status = PostStatus::Published;
    edit.markdown = Some("Rewritten.".to_owned());
    let published = app.save_post(edit, &desk).await.unwrap();
    assert_eq!(published.slug, "cabinet-approves-budget");
    assert!(published.published_at.is_some());
    assert_eq!(published.created_at, saved.created_at);
    let stored = app
        .post_by_slug("cabinet-approves-budget")
        .await
        .unwrap()
        .unwrap()
        .post;
    assert_eq!(stored.html.as_deref(), Some("<p>Rewritten.</p>\n"));
    assert_eq!(stored.status, PostStatus::Published);
}

async fn contributors_html_is_sanitised_and_they_cannot_publish(db: TestDb) {
    let app = db.app().await;
    let mut stringer = owner(&app).await;
    stringer.role = Role::Contributor;
    let saved = app
        .save_post(
            draft("From the field", "Hello <script>alert(1)</script><a href=\"javascript:alert(1)\" onclick=\"x()\">link</a>"),
            &stringer,
        )
        .await
        .unwrap();
    let html = saved.html.unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    assert!(!html.contains("onclick"), "{html}");

    let mut publish = draft("Straight to the site", "No.");
    publish.status = PostStatus::Published;
    let refused = app.save_post(publish, &stringer).await;
    assert!(
        matches!(refused, Err(AppError::NoPermission { .. })),
        "{refused:?}"
    );
}

async fn scheduling_needs_a_future_time(db: TestDb) {
    let app = db.app().await;
    let desk = owner(&app).await;
    let mut post = draft("Budget vote", "Soon.");
    post.status = PostStatus::Scheduled;
    assert!(matches!(
        app.save_post(post.clone(), &desk).await,
        Err(AppError::Invalid {
            field: "published_at",
            ..
        })
    ));
    post.published_at = Some(dateline_core::time::now() - jiff::SignedDuration::from_secs(5));
    assert!(matches!(
        app.save_post(post.clone(), &desk).await,
        Err(AppError::Invalid {
            field: "published_at",
            ..
        })
    ));
    let at = dateline_core::time::now() + jiff::SignedDuration::from_secs(3600);
    post.published_at = Some(at);
    let saved = app.save_post(post, &desk).await.unwrap();
    assert_eq!(saved.status, PostStatus::Scheduled);
    assert!(
        app.publish_due(dateline_core::time::now())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(app.publish_due(at).await.unwrap(), vec![saved.id]);
}
