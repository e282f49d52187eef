use std::time::Duration;

use dateline_core::post::{Post, PostStatus, PostType};
use dateline_testkit::{Backend, TestDb, backend_tests};

use super::owner;

backend_tests!(a_change_on_one_node_makes_the_others_pages_stale);

async fn a_change_on_one_node_makes_the_others_pages_stale(db: TestDb) {
    let writer = db.app().await;
    let reader = db.app().await;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let relay = {
        let reader = reader.clone();
        tokio::spawn(async move {
            reader
                .run_change_relay(async move {
                    let _ = stop_rx.await;
                })
                .await;
        })
    };
    let writer_relay = {
        let writer = writer.clone();
        tokio::spawn(async move { writer.run_change_relay(std::future::pending()).await })
    };
    if db.backend == Backend::Sqlite {
        // One node: nothing to relay, and the relay says so by returning at once.
        tokio::time::timeout(Duration::from_secs(5), relay)
            .await
            .unwrap()
            .unwrap();
        writer_relay.abort();
        return;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = reader.events.generation();
    let owner = owner(&writer).await;
    let mut post = Post::draft(PostType::Post, "Breaking", "", dateline_core::time::now());
    post.markdown = Some("News.".into());
    post.status = PostStatus::Published;
    writer.save_post(post, &owner).await.unwrap();
    let mut waited = 0;
    while reader.events.generation() == before && waited < 50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    assert!(
        reader.events.generation() > before,
        "the other node heard about the change"
    );
    let _ = stop_tx.send(());
    relay.await.unwrap();
    writer_relay.abort();
}
