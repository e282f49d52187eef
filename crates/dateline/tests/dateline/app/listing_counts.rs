//! A listing's count is kept for its filter until content changes: shared by every page of
//! the filter, and counted again once the content generation moves (a change here, a change
//! another node relays, the scheduler).

use dateline_app::App;
use dateline_app::content::ListQuery;
use dateline_core::post::{Post, PostStatus, PostType};
use dateline_core::user::User;
use dateline_testkit::{TestDb, backend_tests};

use super::owner;

backend_tests!(a_filters_count_is_kept_until_content_changes);

async fn publish_featured(app: &App, owner: &User, title: &str) {
    let mut post = Post::draft(PostType::Post, title, "", dateline_core::time::now());
    post.markdown = Some("News.".into());
    post.featured = true;
    post.status = PostStatus::Published;
    app.save_post(post, owner).await.unwrap();
}

async fn featured(app: &App, page: u32) -> (usize, u64) {
    let listing = app
        .list_posts(
            PostType::Post,
            &ListQuery {
                filter: Some("featured:true".into()),
                order: None,
                limit: Some(2),
                page,
            },
        )
        .await
        .unwrap();
    (listing.items.len(), listing.total)
}

async fn a_filters_count_is_kept_until_content_changes(db: TestDb) {
    let node = db.app().await;
    // A second node on the same database whose changes nobody relays to `node`.
    let other = db.app().await;
    let owner = owner(&node).await;
    for title in ["One", "Two", "Three"] {
        publish_featured(&node, &owner, title).await;
    }
    assert_eq!(featured(&node, 1).await, (2, 3));

    publish_featured(&other, &owner, "Four").await;
    // Page 2 uses the count page 1 made; its rows are read afresh.
    assert_eq!(
        featured(&node, 2).await,
        (2, 3),
        "the kept count, with the fourth story's row"
    );
    // The relay's notice moves the generation: counted again.
    node.events.note_remote_change();
    assert_eq!(featured(&node, 2).await, (2, 4));

    // A change made here moves it too.
    publish_featured(&node, &owner, "Five").await;
    assert_eq!(featured(&node, 3).await, (1, 5));
    // Another filter has a count of its own.
    let all = node
        .list_posts(
            PostType::Post,
            &ListQuery {
                limit: Some(2),
                page: 1,
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(all.total, 5);
}
