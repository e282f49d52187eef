//! Sending a post as a newsletter through the Admin API, as Ghost does it (`PUT
//! /posts/{id}/?newsletter=…&email_segment=…`), delivered to a real SMTP server, with the
//! email's progress at `/emails/{id}/` and Dateline's cancel.

use std::collections::HashSet;
use std::time::Duration;

use dateline_testkit::{SmtpSink, TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::members::encode;
use super::{Site, error, send};
use crate::members::{app_for, start_worker, wait_until_finished};

backend_tests!(
    publishing_with_a_newsletter_mails_the_segment_once,
    an_email_can_be_cancelled,
    a_scheduled_post_goes_out_when_it_is_published,
    an_email_only_post_is_sent_and_stays_off_the_site
);

/// Adds members through the API: `n` readers, every third labelled `vip`.
async fn readers(site: &Site, n: usize) {
    for i in 0..n {
        let labels = if i % 3 == 0 {
            json!(["vip"])
        } else {
            json!([])
        };
        let (status, body) = send(site.key(Method::POST, "/members/").json(&json!({
            "members": [{ "email": format!("reader{i}@example.com"), "labels": labels }]
        })))
        .await;
        assert_eq!(status, 201, "{body}");
    }
}

/// A draft made through the API; returns its JSON.
async fn draft(site: &Site, title: &str) -> Value {
    let (status, body) = send(
        site.key(Method::POST, "/posts/?source=html")
            .json(&json!({ "posts": [{ "title": title, "html": "<p>The vote was close.</p>" }] })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["posts"][0].clone()
}

async fn publish(site: &Site, post: &Value, query: &str) -> (u16, Value) {
    send(
        site.key(
            Method::PUT,
            &format!("/posts/{}/?{query}", post["id"].as_str().unwrap()),
        )
        .json(&json!({ "posts": [{
                "status": "published",
                "updated_at": post["updated_at"],
            }] })),
    )
    .await
}

async fn publishing_with_a_newsletter_mails_the_segment_once(db: TestDb) {
    let sink = SmtpSink::start().await;
    let site = Site::on(app_for(&db, &sink).await).await;
    readers(&site, 30).await;
    let post = draft(&site, "Budget passes").await;
    assert_eq!(post["email"], Value::Null);
    assert_eq!(post["newsletter"], Value::Null);

    // An unknown newsletter or a bad segment is refused, and the post stays a draft.
    let (status, body) = publish(&site, &post, "newsletter=weekly").await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = publish(
        &site,
        &post,
        &format!(
            "newsletter=daily-briefing&email_segment={}",
            encode("shoe_size:9")
        ),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        error(&body)["message"]
            .as_str()
            .unwrap()
            .contains("shoe_size"),
        "{body}"
    );
    let (_, body) = send(site.key(
        Method::GET,
        &format!("/posts/{}/", post["id"].as_str().unwrap()),
    ))
    .await;
    assert_eq!(body["posts"][0]["status"], "draft");

    // The newsletter's header image heads the email, with an absolute URL.
    let (_, body) = send(site.key(Method::GET, "/newsletters/")).await;
    let newsletter = body["newsletters"][0]["id"].as_str().unwrap().to_owned();
    let (status, body) = send(
        site.key(Method::PUT, &format!("/newsletters/{newsletter}/"))
            .json(&json!({ "newsletters": [{ "header_image": "/content/images/masthead.png" }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = publish(
        &site,
        &post,
        &format!(
            "newsletter=daily-briefing&email_segment={}",
            encode("label:vip")
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let published = &body["posts"][0];
    assert_eq!(published["status"], "published");
    assert_eq!(published["newsletter"]["slug"], "daily-briefing");
    let email = &published["email"];
    assert_eq!(email["recipient_filter"], "label:vip");
    assert_eq!(email["email_count"], 10);
    assert_eq!(email["status"], "submitting");
    assert_eq!(email["subject"], "Budget passes");
    let email_id = email["id"].as_str().unwrap().to_owned();

    let stop = start_worker(&site.app);
    let progress = wait_until_finished(&site.app, &email_id, Duration::from_secs(60)).await;
    let _ = stop.send(());
    assert_eq!(progress.status, "sent", "{progress:?}");

    let (status, body) = send(site.key(Method::GET, &format!("/emails/{email_id}/"))).await;
    assert_eq!(status, 200, "{body}");
    let email = &body["emails"][0];
    assert_eq!(
        (
            &email["status"],
            &email["email_count"],
            &email["delivered_count"],
            &email["failed_count"]
        ),
        (&json!("submitted"), &json!(10), &json!(10), &json!(0))
    );

    // Exactly the vip readers got it, one copy each.
    let mails = sink.messages();
    assert_eq!(mails.len(), 10);
    let to: HashSet<String> = mails.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    let vip: HashSet<String> = (0..30)
        .step_by(3)
        .map(|i| format!("reader{i}@example.com"))
        .collect();
    assert_eq!(to, vip);
    assert!(
        mails[0].html.contains(&format!(
            "src=\"{}/content/images/masthead.png\"",
            site.server.url
        )),
        "header image"
    );

    // Publishing again (an edit of a published post) does not send again.
    let (_, body) = send(site.key(
        Method::GET,
        &format!("/posts/{}/", post["id"].as_str().unwrap()),
    ))
    .await;
    let current = body["posts"][0].clone();
    assert_eq!(current["email"]["id"], email_id.as_str());
    let (status, body) = publish(&site, &current, "newsletter=daily-briefing").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["posts"][0]["email"]["id"], email_id.as_str());
    let stop = start_worker(&site.app);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = stop.send(());
    assert_eq!(sink.messages().len(), 10, "nothing sent twice");

    let (status, _) = send(site.key(Method::GET, "/emails/000000000000000000000000/")).await;
    assert_eq!(status, 404);
}

async fn an_email_can_be_cancelled(db: TestDb) {
    let sink = SmtpSink::start().await;
    let site = Site::on(app_for(&db, &sink).await).await;
    readers(&site, 6).await;
    let post = draft(&site, "Breaking").await;
    // No worker runs yet: the whole send is still queued when it is cancelled.
    let (status, body) = publish(&site, &post, "newsletter=daily-briefing").await;
    assert_eq!(status, 200, "{body}");
    let email_id = body["posts"][0]["email"]["id"].as_str().unwrap().to_owned();
    assert_eq!(body["posts"][0]["email"]["email_count"], 6);

    let (status, body) = send(site.key(Method::POST, &format!("/emails/{email_id}/cancel/"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["emails"][0]["status"], "cancelled");
    assert_eq!(body["emails"][0]["delivered_count"], 0);

    let stop = start_worker(&site.app);
    tokio::time::sleep(Duration::from_millis(700)).await;
    let _ = stop.send(());
    assert!(sink.messages().is_empty(), "a cancelled send sends nothing");
    let progress = site.app.send_progress(&email_id).await.unwrap();
    assert_eq!((progress.cancelled, progress.sent), (6, 0));
}

async fn a_scheduled_post_goes_out_when_it_is_published(db: TestDb) {
    let sink = SmtpSink::start().await;
    let site = Site::on(app_for(&db, &sink).await).await;
    readers(&site, 4).await;
    let post = draft(&site, "Tomorrow's budget").await;
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    let (status, body) = send(
        site.key(
            Method::PUT,
            &format!(
                "/posts/{}/?newsletter=daily-briefing&email_segment={}",
                post["id"].as_str().unwrap(),
                encode("status:free+label:vip")
            ),
        )
        .json(&json!({ "posts": [{
            "status": "scheduled",
            "published_at": at.to_string(),
            "updated_at": post["updated_at"],
        }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["posts"][0]["status"], "scheduled");
    assert_eq!(
        body["posts"][0]["email"],
        Value::Null,
        "not sent before it is published"
    );

    // Nothing goes while the post waits.
    let stop = start_worker(&site.app);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(sink.messages().is_empty());
    // The scheduler publishes it (as if the hour had passed); the worker then sends it.
    let published = site
        .app
        .publish_due(at + jiff::SignedDuration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(published.len(), 1);
    let mails = sink.wait_for(2, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = stop.send(());
    assert_eq!(mails.len(), 2, "the two vip readers");
    assert_eq!(sink.messages().len(), 2);
    let (_, body) = send(site.key(
        Method::GET,
        &format!("/posts/{}/", post["id"].as_str().unwrap()),
    ))
    .await;
    assert_eq!(
        body["posts"][0]["email"]["recipient_filter"],
        "status:free+label:vip"
    );
    assert_eq!(body["posts"][0]["email"]["email_count"], 2);
}

async fn an_email_only_post_is_sent_and_stays_off_the_site(db: TestDb) {
    let sink = SmtpSink::start().await;
    let site = Site::on(app_for(&db, &sink).await).await;
    readers(&site, 3).await;
    let (status, body) = send(site.key(Method::POST, "/posts/?source=html").json(
        &json!({ "posts": [{
            "title": "Members only briefing",
            "html": "<p>For subscribers.</p>",
            "email_only": true,
        }] }),
    ))
    .await;
    assert_eq!(status, 201, "{body}");
    let post = body["posts"][0].clone();
    let (status, body) = publish(&site, &post, "newsletter=daily-briefing").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["posts"][0]["status"], "sent");
    assert_eq!(body["posts"][0]["email"]["email_count"], 3);
    let res = site.server.get("/members-only-briefing/").await;
    assert_eq!(res.status(), 404, "an email-only post is not on the site");

    let stop = start_worker(&site.app);
    let mails = sink.wait_for(3, Duration::from_secs(30)).await;
    let _ = stop.send(());
    assert_eq!(mails.len(), 3);
}
