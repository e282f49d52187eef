use dateline_core::post::PostStatus;
use dateline_testkit::{TestDb, backend_tests, ghost_export};

backend_tests!(a_due_post_is_published_exactly_once_by_racing_nodes);

async fn a_due_post_is_published_exactly_once_by_racing_nodes(db: TestDb) {
    let app = db.app().await;
    app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();
    let slug = "preview-iraqs-2027-budget-debate";
    let scheduled = app.post_by_slug(slug).await.unwrap().unwrap().post;
    assert_eq!(scheduled.status, PostStatus::Scheduled);
    let due_at = scheduled.published_at.unwrap();

    // Not yet due: nothing happens.
    let before = due_at - jiff::SignedDuration::from_secs(1);
    assert!(app.publish_due(before).await.unwrap().is_empty());

    // Two nodes on one database wake at the same moment.
    let other = db.app().await;
    let (a, b) = tokio::join!(app.publish_due(due_at), other.publish_due(due_at));
    let total = a.unwrap().len() + b.unwrap().len();
    assert_eq!(total, 1, "published exactly once");
    let post = app.post_by_slug(slug).await.unwrap().unwrap().post;
    assert_eq!(post.status, PostStatus::Published);
    assert_eq!(
        post.published_at,
        Some(due_at),
        "keeps its scheduled time as publish time"
    );
    assert!(app.publish_due(due_at).await.unwrap().is_empty());
}
