//! Newsletters, the mail server and sends in the admin: `/admin/newsletters/`,
//! `/admin/settings/mail/` (with a test message to a real SMTP server), sending a story from the
//! editor to a segment, its progress and cancelling it.

use std::time::Duration;

use dateline_app::admin::Actor;
use dateline_app::mailing::MailSetup;
use dateline_app::members::admin::{LabelRef, MemberInput};
use dateline_app::members::{EmailType, MagicLinkRequest};
use dateline_core::role::Role;
use dateline_testkit::{Backend, SmtpSink, TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::tags::{post_form, text};
use super::{Admin, Browser, OWNER_EMAIL, PASSWORD, location};
use crate::admin_api::send;

backend_tests!(
    administrators_add_edit_archive_and_reorder_newsletters,
    saved_smtp_settings_carry_the_test_email,
    a_server_given_at_start_wins_over_the_page,
    mail_settings_saved_on_one_node_reach_the_others,
    the_editor_sends_a_story_to_its_segment_exactly_once,
    a_send_is_followed_and_cancelled_from_its_page,
);

/// Mail through `sink` with quick retries, as the members tests have it.
fn quick(sink: &SmtpSink) -> MailSetup {
    let mut mail = MailSetup::smtp(&sink.url()).unwrap();
    mail.delivery.retry_base = jiff::SignedDuration::from_secs(1);
    mail.delivery.idle_poll = Duration::from_millis(100);
    mail
}

async fn page(admin: &Admin, browser: &Browser, path: &str) -> (u16, String) {
    let res = admin.get(path, Some(&browser.cookie)).await;
    let status = res.status().as_u16();
    (status, text(res).await)
}

/// Waits until `check` holds for the sink's messages (or fails after ten seconds).
async fn wait_for_mail(sink: &SmtpSink, check: impl Fn(usize) -> bool) {
    for _ in 0..100 {
        if check(sink.messages().len()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the mail did not arrive: {:?}", sink.messages().len());
}

async fn administrators_add_edit_archive_and_reorder_newsletters(db: TestDb) {
    let admin = Admin::new(&db).await;
    let sam = admin.sign_in_staff("Sam Editor", Role::Editor).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    admin
        .app
        .add_member("reader@example.com", None)
        .await
        .unwrap();

    // Editors send, but only administrators manage newsletters.
    assert_eq!(page(&admin, &sam, "/admin/newsletters/").await.0, 403);
    let fields = [("csrf", sam.csrf.as_str()), ("name", "Sneaky")];
    let res = post_form(&admin, &sam, "/admin/newsletters/", &fields).await;
    assert_eq!(res.status(), 403);

    // The default newsletter, with its subscriber.
    let (status, html) = page(&admin, &owner, "/admin/newsletters/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Daily Briefing"), "{html}");
    assert!(html.contains("1 subscriber<"), "{html}");

    // A bad sender address is refused in words, and the form keeps what was typed.
    let fields = [
        ("csrf", owner.csrf.as_str()),
        ("name", "Weekend Edition"),
        ("sender_email", "not an address"),
    ];
    let res = post_form(&admin, &owner, "/admin/newsletters/", &fields).await;
    assert_eq!(res.status(), 422);
    let html = text(res).await;
    assert!(html.contains(r#"class="error""#), "{html}");
    assert!(html.contains("Weekend Edition"), "{html}");

    let fields = [
        ("csrf", owner.csrf.as_str()),
        ("name", "Weekend Edition"),
        ("description", "The week, on Saturday."),
        ("sender_name", "The Weekend Desk"),
        ("sender_email", "weekend@example.com"),
        ("sender_reply_to", "letters@example.com"),
        ("header_image", "/content/images/weekend.png"),
        ("footer_content", "Written in Erbil."),
        ("show_feature_image", "on"),
    ];
    let res = post_form(&admin, &owner, "/admin/newsletters/", &fields).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        location(&res),
        "/admin/newsletters/?saved=Weekend%20Edition"
    );
    let list = admin
        .app
        .all_newsletters(&Actor::Staff(Box::new(admin_owner(&admin).await)), &all())
        .await
        .unwrap()
        .items;
    let weekend = list
        .iter()
        .find(|(n, _)| n.slug == "weekend-edition")
        .map(|(n, _)| n.clone())
        .unwrap();
    assert_eq!(
        weekend.sender_reply_to.as_deref(),
        Some("letters@example.com")
    );
    assert_eq!(weekend.footer_content.as_deref(), Some("Written in Erbil."));
    assert!(!weekend.subscribe_on_signup, "unticked");
    let id = weekend.id.to_string();

    // Every field shows on the edit form; an edit changes and clears them.
    let (status, html) = page(&admin, &owner, &format!("/admin/newsletters/{id}/")).await;
    assert_eq!(status, 200);
    for value in [
        "The Weekend Desk",
        "letters@example.com",
        "/content/images/weekend.png",
    ] {
        assert!(html.contains(value), "{value} in {html}");
    }
    let fields = [
        ("csrf", owner.csrf.as_str()),
        ("name", "Weekend Review"),
        ("slug", "weekend-edition"),
        ("sender_name", ""),
        ("sender_email", "weekend@example.com"),
        ("subscribe_on_signup", "on"),
    ];
    let res = post_form(
        &admin,
        &owner,
        &format!("/admin/newsletters/{id}/"),
        &fields,
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&admin, &owner, &format!("/admin/newsletters/{id}/?saved=1")).await;
    assert!(html.contains("Saved."), "{html}");
    assert!(html.contains("Weekend Review"), "{html}");
    assert!(
        !html.contains("The Weekend Desk"),
        "sender name cleared: {html}"
    );

    // Moved up, it comes first; archived, it leaves the active ones; reactivated, it is back.
    let change =
        |action: &'static str| [("csrf", owner.csrf.clone()), ("action", action.to_owned())];
    let path = format!("/admin/newsletters/{id}/change/");
    let fields = change("up");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        post_form(&admin, &owner, &path, &fields).await.status(),
        303
    );
    let names: Vec<String> = admin
        .app
        .newsletters()
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect();
    assert_eq!(names, ["Weekend Review", "Daily Briefing"]);
    let fields = change("archive");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        post_form(&admin, &owner, &path, &fields).await.status(),
        303
    );
    assert_eq!(admin.app.newsletters().await.unwrap().len(), 1);
    let (_, html) = page(&admin, &owner, "/admin/newsletters/").await;
    assert!(html.contains("Archived"), "{html}");
    assert!(html.contains(r#"value="reactivate""#), "{html}");
    let fields = change("reactivate");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        post_form(&admin, &owner, &path, &fields).await.status(),
        303
    );
    assert_eq!(admin.app.newsletters().await.unwrap().len(), 2);
}

fn all() -> dateline_app::content::ListQuery {
    dateline_app::content::ListQuery {
        page: 1,
        ..Default::default()
    }
}

async fn admin_owner(admin: &Admin) -> dateline_core::user::User {
    let mut db = admin.app.store.reader().await.unwrap();
    dateline_store::users::by_email(&mut db, OWNER_EMAIL)
        .await
        .unwrap()
        .unwrap()
}

async fn saved_smtp_settings_carry_the_test_email(db: TestDb) {
    let sink = SmtpSink::start().await;
    // No server given at start: the page decides.
    let admin = Admin::with_mail(&db, MailSetup::log()).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let (status, html) = page(&admin, &owner, "/admin/settings/mail/").await;
    assert_eq!(status, 200);
    assert!(!html.contains("mail-pinned"), "{html}");
    assert!(
        html.contains(&format!(r#"value="{OWNER_EMAIL}""#)),
        "test goes to me: {html}"
    );

    // A port that is not one is refused in words.
    let form = |port: String, user: &'static str, password: &'static str| {
        vec![
            ("csrf", owner.csrf.clone()),
            ("host", "127.0.0.1".to_owned()),
            ("port", port),
            ("security", "none".to_owned()),
            ("user", user.to_owned()),
            ("password", password.to_owned()),
            ("default_sender", "desk@example.com".to_owned()),
            ("concurrency", "3".to_owned()),
            ("rate", "".to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let admin = &admin;
        let owner = &owner;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(admin, owner, "/admin/settings/mail/", &fields).await
        }
    };
    let res = post(form("mail".to_owned(), "", "")).await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("is not a port"));

    // A password is stored but never shown back; an empty field keeps it.
    let res = post(form("2525".to_owned(), "desk", "s3cret-passphrase")).await;
    assert_eq!(res.status(), 303);
    let (_, html) = page(&admin, &owner, "/admin/settings/mail/?saved=1").await;
    assert!(!html.contains("s3cret-passphrase"), "{html}");
    assert!(html.contains("A password is stored"), "{html}");
    let staff_settings = admin
        .app
        .staff_settings(&Actor::Staff(Box::new(admin_owner(&admin).await)))
        .await
        .unwrap();
    assert!(
        staff_settings
            .iter()
            .all(|s| !s.key.starts_with("dateline_smtp")),
        "the Admin API never lists the mail server"
    );

    // Newsletter lanes and rate are settings too, put in use at once.
    assert_eq!(admin.app.mail.concurrency(), 3);
    assert_eq!(admin.app.mail.rate(), None);
    let mut paced = form("2525".to_owned(), "", "");
    paced.retain(|(k, _)| *k != "rate");
    paced.push(("rate", "40".to_owned()));
    assert_eq!(post(paced).await.status(), 303);
    assert_eq!(admin.app.mail.rate(), Some(40));
    let mut bad = form("2525".to_owned(), "", "");
    bad.retain(|(k, _)| *k != "concurrency");
    bad.push(("concurrency", "500".to_owned()));
    let res = post(bad).await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("from 1 to 64"));

    // The sink's port, no login: the test message arrives, with the default sender.
    let res = post(form(sink.port.to_string(), "", "")).await;
    assert_eq!(res.status(), 303);
    let fields = [("csrf", owner.csrf.as_str()), ("to", "check@example.com")];
    let res = post_form(&admin, &owner, "/admin/settings/mail/test/", &fields).await;
    assert_eq!(res.status(), 200);
    let html = text(res).await;
    assert!(
        html.contains("Sent. The mail server answered: 250"),
        "{html}"
    );
    wait_for_mail(&sink, |n| n == 1).await;
    let mail = &sink.messages()[0];
    assert_eq!(mail.rcpt_to, ["check@example.com"]);
    assert!(mail.header("from").unwrap().contains("desk@example.com"));

    // Sign-in mail follows the saved server too, without a restart.
    let request = MagicLinkRequest {
        email: "reader@example.com".to_owned(),
        name: None,
        email_type: EmailType::Signup,
        newsletters: None,
    };
    admin
        .app
        .send_magic_link("http://site.example", request)
        .await
        .unwrap();
    wait_for_mail(&sink, |n| n == 2).await;

    // STARTTLS when offered: the page keeps the choice, and a server that does not offer it
    // (the sink) still takes the mail in plain text.
    let mut opportunistic = form(sink.port.to_string(), "", "");
    opportunistic.retain(|(k, _)| *k != "security");
    opportunistic.push(("security", "opportunistic".to_owned()));
    assert_eq!(post(opportunistic).await.status(), 303);
    let (_, html) = page(&admin, &owner, "/admin/settings/mail/").await;
    assert!(
        html.contains(r#"<option value="opportunistic" selected>"#),
        "{html}"
    );
    let fields = [("csrf", owner.csrf.as_str()), ("to", "check@example.com")];
    let res = post_form(&admin, &owner, "/admin/settings/mail/test/", &fields).await;
    assert!(text(res).await.contains("Sent."));
    wait_for_mail(&sink, |n| n == 3).await;

    // A server that is not there: the error says so in words, on the page.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let res = post(form(closed.to_string(), "", "")).await;
    assert_eq!(res.status(), 303);
    let fields = [("csrf", owner.csrf.as_str()), ("to", "check@example.com")];
    let res = post_form(&admin, &owner, "/admin/settings/mail/test/", &fields).await;
    let html = text(res).await;
    assert!(
        html.contains("The mail server could not be reached: check the host, the port"),
        "{html}"
    );
    assert!(
        html.contains(r#"id="mail-test-result" class="error""#),
        "{html}"
    );
    assert_eq!(sink.messages().len(), 3);
}

async fn a_server_given_at_start_wins_over_the_page(db: TestDb) {
    let sink = SmtpSink::start().await;
    let admin = Admin::with_mail(&db, MailSetup::smtp(&sink.url()).unwrap()).await;
    let sam = admin.sign_in_staff("Sam Editor", Role::Editor).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    assert_eq!(page(&admin, &sam, "/admin/settings/mail/").await.0, 403);
    let (_, html) = page(&admin, &owner, "/admin/settings/mail/").await;
    assert!(html.contains("mail-pinned"), "{html}");
    assert!(html.contains("fieldset disabled"), "{html}");
    let fields = [
        ("csrf", owner.csrf.as_str()),
        ("host", "smtp.example.com"),
        ("port", "587"),
        ("security", "starttls"),
        ("concurrency", "8"),
    ];
    let res = post_form(&admin, &owner, "/admin/settings/mail/", &fields).await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("DATELINE_SMTP_URL"));
    // The test message goes through the configured server.
    let fields = [("csrf", owner.csrf.as_str()), ("to", "check@example.com")];
    let res = post_form(&admin, &owner, "/admin/settings/mail/test/", &fields).await;
    assert!(text(res).await.contains("Sent."));
    wait_for_mail(&sink, |n| n == 1).await;
}

async fn mail_settings_saved_on_one_node_reach_the_others(db: TestDb) {
    let sink = SmtpSink::start().await;
    let admin = Admin::new(&db).await;
    let other = db.app().await;
    let relays: Vec<_> = [admin.app.clone(), other.clone()]
        .into_iter()
        .map(|app| tokio::spawn(async move { app.run_change_relay(std::future::pending()).await }))
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let port = sink.port.to_string();
    let fields = [
        ("csrf", owner.csrf.as_str()),
        ("host", "127.0.0.1"),
        ("port", port.as_str()),
        ("security", "none"),
        ("concurrency", "5"),
        ("rate", ""),
    ];
    let res = post_form(&admin, &owner, "/admin/settings/mail/", &fields).await;
    assert_eq!(res.status(), 303);
    if db.backend == Backend::Sqlite {
        // One node: another process on the file reads the settings when it starts.
        other.load_mail_settings().await.unwrap();
    }
    for _ in 0..50 {
        if other.mail.concurrency() == 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        other.mail.concurrency(),
        5,
        "the other node took the settings"
    );
    let desk = Actor::Staff(Box::new(admin_owner(&admin).await));
    let sent = other
        .send_test_email(&desk, "http://site.example", "check@example.com")
        .await
        .unwrap();
    assert!(sent.is_ok(), "{sent:?}");
    wait_for_mail(&sink, |n| n == 1).await;
    for relay in relays {
        relay.abort();
    }
}

/// Members: three labelled `vip`, two not, all subscribed to the default newsletter.
async fn members(admin: &Admin) {
    let owner = Actor::Staff(Box::new(admin_owner(admin).await));
    for (email, vip) in [
        ("amal@example.com", true),
        ("bashir@example.com", true),
        ("carla@example.com", true),
        ("dara@example.com", false),
        ("evin@example.com", false),
    ] {
        let labels = vip.then(|| {
            vec![LabelRef {
                id: None,
                name: Some("vip".to_owned()),
                slug: None,
            }]
        });
        admin
            .app
            .create_member(
                &owner,
                MemberInput {
                    email: Some(email.to_owned()),
                    name: None,
                    note: None,
                    labels,
                    newsletters: None,
                    subscribed: None,
                },
            )
            .await
            .unwrap();
    }
}

/// A draft saved through the editor; returns its id and `updated_at`.
async fn draft(admin: &Admin, browser: &Browser, title: &str) -> (String, String) {
    let (status, body) = send(
        admin
            .call(Method::POST, "/admin/api/posts/", browser)
            .json(&json!({ "posts": [{ "title": title, "markdown": "The vote was close." }] })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let post = &body["posts"][0];
    (
        post["id"].as_str().unwrap().to_owned(),
        post["updated_at"].as_str().unwrap().to_owned(),
    )
}

/// The editor's publish with the dialog's send choice.
async fn publish(
    admin: &Admin,
    browser: &Browser,
    id: &str,
    updated_at: &str,
    query: &str,
) -> (u16, Value) {
    send(
        admin
            .call(
                Method::PUT,
                &format!("/admin/api/posts/{id}/?{query}"),
                browser,
            )
            .json(&json!({ "posts": [{ "status": "published", "updated_at": updated_at }] })),
    )
    .await
}

async fn progress(admin: &Admin, browser: &Browser, send_id: &str) -> Value {
    let (status, body) = send(admin.call(
        Method::GET,
        &format!("/admin/api/emails/{send_id}/"),
        browser,
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    body["email"].clone()
}

async fn the_editor_sends_a_story_to_its_segment_exactly_once(db: TestDb) {
    let sink = SmtpSink::start().await;
    let admin = Admin::with_mail(&db, quick(&sink)).await;
    members(&admin).await;
    let stop = crate::members::start_worker(&admin.app);
    let sam = admin.sign_in_staff("Sam Editor", Role::Editor).await;
    let lana = admin.sign_in_staff("Lana Author", Role::Author).await;

    // The dialog's count, before anyone confirms.
    let (status, body) = send(admin.call(
        Method::GET,
        "/admin/api/recipients/?newsletter=daily-briefing&segment=label%3Avip",
        &sam,
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["count"], 3);
    assert_eq!(
        body["text"],
        "Send to 3 members labelled vip of Daily Briefing"
    );
    let (_, body) = send(admin.call(
        Method::GET,
        "/admin/api/recipients/?newsletter=daily-briefing&segment=all",
        &sam,
    ))
    .await;
    assert_eq!(body["text"], "Send to 5 subscribers of Daily Briefing");

    // The editor offers the choice to editors, not to authors.
    let (id, updated_at) = draft(&admin, &sam, "Budget passes").await;
    let (_, html) = page(&admin, &sam, &format!("/admin/posts/{id}/")).await;
    assert!(html.contains(r#"id="confirm-send""#), "{html}");
    assert!(html.contains("Members labelled vip"), "{html}");
    let (lana_id, lana_updated) = draft(&admin, &lana, "Author's scoop").await;
    let (_, html) = page(&admin, &lana, &format!("/admin/posts/{lana_id}/")).await;
    assert!(!html.contains(r#"id="confirm-send""#), "{html}");

    // An author publishes but cannot send: the publish is refused before anything is saved.
    let (status, body) = publish(
        &admin,
        &lana,
        &lana_id,
        &lana_updated,
        "newsletter=daily-briefing&email_segment=all",
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = send(admin.call(
        Method::GET,
        "/admin/api/recipients/?newsletter=daily-briefing",
        &lana,
    ))
    .await;
    assert_eq!(status, 403);

    // The preview is the email through the mail template; a test copy goes to one address.
    let (status, html) = page(
        &admin,
        &sam,
        &format!("/admin/posts/{id}/email/?newsletter=daily-briefing"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("Budget passes") && html.contains("The vote was close."));
    assert!(!html.contains("%%{uuid}%%"), "{html}");
    let (status, body) = send(
        admin
            .call(
                Method::POST,
                &format!("/admin/api/posts/{id}/test-email/"),
                &sam,
            )
            .json(&json!({ "newsletter": "daily-briefing", "to": "sam@example.com" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["message"].as_str().unwrap().contains("250"), "{body}");
    wait_for_mail(&sink, |n| n == 1).await;
    assert_eq!(
        sink.messages()[0].header("subject"),
        Some("[Test] Budget passes")
    );

    // Publish and send to the vip segment: exactly its three members get it.
    let (status, body) = publish(
        &admin,
        &sam,
        &id,
        &updated_at,
        "newsletter=daily-briefing&email_segment=label%3Avip",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let post = &body["posts"][0];
    assert_eq!(post["status"], "published");
    let send_id = post["email"]["id"].as_str().unwrap().to_owned();
    let mut email = progress(&admin, &sam, &send_id).await;
    for _ in 0..100 {
        if email["sending"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        email = progress(&admin, &sam, &send_id).await;
    }
    assert_eq!(email["status"], "sent", "{email}");
    assert_eq!(
        (
            &email["total"],
            &email["sent"],
            &email["failed"],
            &email["percent"]
        ),
        (&json!(3), &json!(3), &json!(0), &json!(100))
    );
    let newsletter: Vec<Vec<String>> = sink
        .messages()
        .into_iter()
        .filter(|m| m.header("subject") == Some("Budget passes"))
        .map(|m| m.rcpt_to)
        .collect();
    let mut to: Vec<String> = newsletter.into_iter().flatten().collect();
    to.sort();
    assert_eq!(
        to,
        [
            "amal@example.com",
            "bashir@example.com",
            "carla@example.com"
        ]
    );

    // Unpublished and published again with a newsletter: it does not go out twice.
    let updated = post["updated_at"].as_str().unwrap();
    let (status, body) = send(
        admin
            .call(Method::PUT, &format!("/admin/api/posts/{id}/"), &sam)
            .json(&json!({ "posts": [{ "status": "draft", "updated_at": updated }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let updated = body["posts"][0]["updated_at"].as_str().unwrap().to_owned();
    let (status, body) = publish(
        &admin,
        &sam,
        &id,
        &updated,
        "newsletter=daily-briefing&email_segment=all",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 4, "the test copy and three, no more");

    // The editor shows the send's progress.
    let (_, html) = page(&admin, &sam, &format!("/admin/posts/{id}/")).await;
    assert!(
        html.contains(&format!(r#"data-email-id="{send_id}""#)),
        "{html}"
    );
    assert!(!html.contains(r#"id="confirm-send""#), "sent once: {html}");
    let _ = stop.send(());
}

async fn a_send_is_followed_and_cancelled_from_its_page(db: TestDb) {
    let sink = SmtpSink::start().await;
    // No worker: the send stays queued until it is cancelled.
    let admin = Admin::with_mail(&db, quick(&sink)).await;
    members(&admin).await;
    let sam = admin.sign_in_staff("Sam Editor", Role::Editor).await;
    let lana = admin.sign_in_staff("Lana Author", Role::Author).await;
    let (id, updated_at) = draft(&admin, &sam, "Night session").await;
    let (status, body) = publish(
        &admin,
        &sam,
        &id,
        &updated_at,
        "newsletter=daily-briefing&email_segment=status%3Afree",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let send_id = body["posts"][0]["email"]["id"].as_str().unwrap().to_owned();

    let email = progress(&admin, &sam, &send_id).await;
    assert_eq!(email["status"], "sending");
    assert_eq!((&email["total"], &email["queued"]), (&json!(5), &json!(5)));
    assert_eq!(email["segment"], "free members");

    // The page without a script: counts, a refresh link and Cancel.
    let path = format!("/admin/emails/{send_id}/");
    let (status, html) = page(&admin, &sam, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<dd data-field="queued">5</dd>"#), "{html}");
    assert!(html.contains(&format!(r#"href="{path}""#)), "{html}");
    assert!(html.contains("Cancel sending"), "{html}");
    let (status, html) = page(&admin, &sam, "/admin/emails/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Night session"), "{html}");
    assert_eq!(page(&admin, &lana, "/admin/emails/").await.0, 403);
    let api = format!("/admin/api/emails/{send_id}/");
    let (status, _) = send(admin.call(Method::GET, &api, &lana)).await;
    assert_eq!(status, 403, "authors do not follow sends");

    // Cancel: an author cannot, an editor can; nobody gets it.
    let cancel = format!("{path}cancel/");
    let res = post_form(&admin, &lana, &cancel, &[("csrf", lana.csrf.as_str())]).await;
    assert_eq!(res.status(), 403);
    let res = post_form(&admin, &sam, &cancel, &[("csrf", sam.csrf.as_str())]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), path);
    let email = progress(&admin, &sam, &send_id).await;
    assert_eq!(email["status"], "cancelled");
    assert_eq!(
        (&email["cancelled"], &email["sent"]),
        (&json!(5), &json!(0))
    );
    let (_, html) = page(&admin, &sam, &path).await;
    assert!(!html.contains("Cancel sending"), "{html}");
    let stop = crate::members::start_worker(&admin.app);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = stop.send(());
    assert!(sink.messages().is_empty());
}
