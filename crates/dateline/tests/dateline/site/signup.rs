use std::time::Duration;

use dateline_app::mailing::MailSetup;
use dateline_testkit::{SmtpSink, TestDb, TestServer, backend_tests};

backend_tests!(
    the_newsletter_box_sends_a_confirmation_email,
    renamed_stories_redirect_from_their_old_address
);

async fn the_newsletter_box_sends_a_confirmation_email(db: TestDb) {
    let sink = SmtpSink::start().await;
    let app = db
        .app()
        .await
        .with_mail(MailSetup::smtp(&sink.url()).unwrap());
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
    let mails = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mails[0].rcpt_to, ["reader@example.com"]);
    assert!(mails[0].link_containing("/members/?token=").is_some());
    // Double opt-in: a member exists only once the link is opened.
    assert_eq!(app.member_count().await.unwrap(), 0);

    // The same reader again, in other letters: no duplicate.
    let res = post("reader@example.com", format!("{}/", server.url))
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let mails = sink.wait_for(2, Duration::from_secs(10)).await;
    assert!(mails.iter().all(|m| m.rcpt_to == ["reader@example.com"]));
    for mail in &mails {
        let link = mail.link_containing("/members/?token=").unwrap();
        client.get(link).send().await.unwrap();
    }
    assert_eq!(app.member_count().await.unwrap(), 1);

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
    assert_eq!(sink.messages().len(), 3);
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
