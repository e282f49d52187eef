use dateline_testkit::{TestDb, TestServer, backend_tests};

backend_tests!(
    the_newsletter_box_records_sign_ups_once,
    renamed_stories_redirect_from_their_old_address
);

async fn signups(server_app: &dateline_app::App) -> u64 {
    let mut db = server_app.store.reader().await.unwrap();
    dateline_store::signups::count(&mut db).await.unwrap()
}

async fn the_newsletter_box_records_sign_ups_once(db: TestDb) {
    let app = db.app().await;
    let server = TestServer::start(app.clone()).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |email: &'static str, referer: String| {
        client
            .post(format!("{}/members/api/subscribe/", server.url))
            .header("referer", referer)
            .form(&[("email", email)])
            .send()
    };
    let res = post("Reader@Example.com", format!("{}/some-story/", server.url))
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/some-story/?subscribed=1#newsletter"
    );
    assert_eq!(signups(&app).await, 1);

    // The same reader again, in other letters: no duplicate.
    let res = post("reader@example.com", format!("{}/", server.url))
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(signups(&app).await, 1);

    // A form posted from elsewhere cannot send readers elsewhere.
    let res = post("other@example.com", "https://evil.example/".to_owned())
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/?subscribed=1#newsletter");

    let res = post("not-an-address", format!("{}/", server.url))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("is not an email address")
    );
    assert_eq!(signups(&app).await, 2);
}

async fn renamed_stories_redirect_from_their_old_address(db: TestDb) {
    use dateline_app::setup::OwnerInput;
    use dateline_core::post::{Post, PostStatus, PostType};
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
    let mut post = Post::draft(
        PostType::Post,
        "Budget passes",
        "",
        dateline_core::time::now(),
    );
    post.markdown = Some("The vote was close.".into());
    post.status = PostStatus::Published;
    let mut saved = app.save_post(post, &owner).await.unwrap();
    assert_eq!(saved.slug, "budget-passes");
    saved.slug = "parliament-passes-2027-budget".into();
    app.save_post(saved, &owner).await.unwrap();

    let server = TestServer::start(app).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .get(format!("{}/budget-passes/", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/parliament-passes-2027-budget/");
    assert_eq!(
        server.get("/parliament-passes-2027-budget/").await.status(),
        200
    );
}
