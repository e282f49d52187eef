use dateline_testkit::{TestDb, TestServer, backend_tests, ghost_export};

backend_tests!(
    home_lists_published_stories_newest_first,
    unknown_paths_get_the_themes_404_and_slashes_are_added
);

async fn home_lists_published_stories_newest_first(db: TestDb) {
    let app = db.app().await;
    app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();
    let server = TestServer::start(app).await;
    let res = server.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    let seed = html
        .find("PM Sudani speaks at NATO HQ")
        .expect("seed article listed");
    let older = html
        .find("Kurdistan Region parliament sets date")
        .expect("older story listed");
    assert!(seed < older, "newest first");
    assert!(
        html.contains(
            "href=\"/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/\""
        )
    );
    assert!(
        !html.contains("Notes on the water"),
        "drafts are not listed"
    );
    assert!(
        !html.contains("Preview: Iraq"),
        "scheduled posts are not listed"
    );
}

async fn unknown_paths_get_the_themes_404_and_slashes_are_added(db: TestDb) {
    let server = TestServer::start(db.app().await).await;
    let res = server.get("/no/such/page/").await;
    assert_eq!(res.status(), 404);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("<html"), "{html}");

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .get(format!("{}/some-story?ref=x", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/some-story/?ref=x");
    let res = client
        .get(format!("{}/page/1/", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/");
    // Files keep their names.
    assert_eq!(
        client
            .get(format!("{}/robots.txt.bak", server.url))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // API paths keep Ghost's JSON errors.
    let res = server.get("/ghost/api/content/nothing/").await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["type"], "NotFoundError");
}
