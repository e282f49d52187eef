use dateline_app::setup::OwnerInput;
use dateline_core::post::{Post, PostStatus, PostType};
use dateline_testkit::{TestDb, TestServer, backend_tests, ghost_export};

backend_tests!(
    pages_carry_validators_and_answer_304,
    a_publish_shows_on_the_very_next_request
);

async fn pages_carry_validators_and_answer_304(db: TestDb) {
    let app = db.app().await;
    app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();
    let server = TestServer::start(app).await;
    let first = server.get("/").await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert!(first.headers().contains_key("last-modified"));
    assert_eq!(
        first.headers()["cache-control"],
        "public, max-age=60, stale-while-revalidate=600"
    );
    let body = first.text().await.unwrap();

    let again = server
        .client
        .get(format!("{}/", server.url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.text().await.unwrap().is_empty());

    let other = server
        .client
        .get(format!("{}/", server.url))
        .header("if-none-match", "W/\"something-else\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    assert_eq!(
        other.text().await.unwrap(),
        body,
        "served from the cache, same bytes"
    );

    let head = server
        .client
        .head(format!("{}/", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(
        head.headers()["content-length"],
        body.len().to_string().as_str()
    );
    assert!(head.text().await.unwrap().is_empty());

    // Sitemaps keep their own, longer policy through the cache.
    let sitemap = server.get("/sitemap.xml").await;
    assert_eq!(sitemap.headers()["cache-control"], "public, max-age=3600");
}

async fn a_publish_shows_on_the_very_next_request(db: TestDb) {
    let app = db.app().await;
    let owner = app
        .create_owner(OwnerInput {
            site_title: "Desk",
            name: "Editor",
            email: "e@example.com",
            password: "long enough password",
        })
        .await
        .unwrap();
    let server = TestServer::start(app.clone()).await;
    assert!(
        !server
            .get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("Ceasefire agreed")
    );
    assert!(
        !server
            .get("/rss/")
            .await
            .text()
            .await
            .unwrap()
            .contains("Ceasefire agreed")
    );

    let mut post = Post::draft(
        PostType::Post,
        "Ceasefire agreed",
        "",
        dateline_core::time::now(),
    );
    post.markdown = Some("Both sides signed.".into());
    post.status = PostStatus::Published;
    app.save_post(post, &owner).await.unwrap();

    assert!(
        server
            .get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("Ceasefire agreed")
    );
    assert!(
        server
            .get("/rss/")
            .await
            .text()
            .await
            .unwrap()
            .contains("Ceasefire agreed")
    );
}
