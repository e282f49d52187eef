//! `POST /members/api/send-magic-link/` and `GET /members/?token=…`, against a real SMTP server.

use std::time::Duration;

use dateline_app::mailing::MailSetup;
use dateline_app::newsletters::NewsletterInput;
use dateline_testkit::{SmtpSink, TestDb, TestServer, backend_tests};
use serde_json::json;

backend_tests!(a_sign_up_is_confirmed_by_the_link_in_its_email);

async fn a_sign_up_is_confirmed_by_the_link_in_its_email(db: TestDb) {
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
    let ask = |body: serde_json::Value| {
        client
            .post(format!("{}/members/api/send-magic-link/", server.url))
            .json(&body)
            .send()
    };

    // A site starts with one newsletter; a second one is only for those who ask for it.
    let defaults = app.newsletters().await.unwrap();
    assert_eq!(defaults.len(), 1);
    assert_eq!(defaults[0].name, "Daily Briefing");
    app.create_newsletter(NewsletterInput {
        name: "Weekend Edition".into(),
        sender_reply_to: Some("desk@example.com".into()),
        footer_content: Some("Sent from the newsroom.".into()),
        subscribe_on_signup: false,
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(app.newsletters().await.unwrap().len(), 2);

    let res = ask(json!({
        "email": "Reader@Example.com",
        "name": "Rea Der",
        "emailType": "signup",
        "newsletters": [{"name": "Weekend Edition"}, {"name": "Daily Briefing"}],
    }))
    .await
    .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.text().await.unwrap(), "Created.");
    // Double opt-in: nobody is a member before the link is opened.
    assert_eq!(app.member_count().await.unwrap(), 0);

    let mails = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.rcpt_to, ["reader@example.com"]);
    assert!(
        mail.header("subject")
            .unwrap()
            .starts_with("Confirm your subscription")
    );
    assert!(
        mail.html.contains("style=\""),
        "the HTML part has inlined CSS"
    );
    let link = mail.link_containing("/members/?token=").unwrap();
    assert!(link.starts_with(&server.url), "{link}");

    let res = client.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/?action=signup&success=true");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("ghost-members-ssr="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(app.member_count().await.unwrap(), 1);

    // The session shows who is signed in, with the newsletters asked for.
    let session = cookie.split(';').next().unwrap().to_owned();
    let me: serde_json::Value = client
        .get(format!("{}/members/api/member/", server.url))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "reader@example.com");
    assert_eq!(me["name"], "Rea Der");
    let names: Vec<_> = me["newsletters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Daily Briefing", "Weekend Edition"]);
    let anonymous = client
        .get(format!("{}/members/api/member/", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 204);

    // A link works once.
    let again = client.get(&link).send().await.unwrap();
    assert_eq!(again.headers()["location"], "/?action=signin&success=false");
    assert!(again.headers().get("set-cookie").is_none());

    // Signing up again signs in; it never makes a second member.
    let res = ask(json!({"email": "reader@example.com", "emailType": "signup"}))
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let mails = sink.wait_for(2, Duration::from_secs(10)).await;
    let second = mails
        .iter()
        .find(|m| m.header("subject").unwrap().starts_with("Sign in"))
        .expect("a sign-in email for a member");
    let res = client
        .get(second.link_containing("/members/?token=").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(app.member_count().await.unwrap(), 1);

    // Addresses that are not addresses are refused with a message that says so.
    let res = ask(json!({"email": "not-an-address"})).await.unwrap();
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["type"], "BadRequestError");
    assert_eq!(
        body["errors"][0]["message"],
        "Please enter a valid email address"
    );

    // Five links an hour for one address; the sixth is refused.
    for _ in 0..3 {
        assert_eq!(
            ask(json!({"email": "reader@example.com"}))
                .await
                .unwrap()
                .status(),
            201
        );
    }
    let res = ask(json!({"email": "reader@example.com"})).await.unwrap();
    assert_eq!(res.status(), 429);
    assert_eq!(sink.messages().len(), 5);
}
