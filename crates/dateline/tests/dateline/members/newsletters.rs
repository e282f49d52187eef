//! Sending a post to a newsletter through the durable queue, delivered to a real SMTP server.

use std::collections::HashSet;
use std::time::Duration;

use dateline_testkit::{SmtpSink, TestDb, TestServer, backend_tests};

use super::{
    SITE, add_readers, app_for, app_tuned, published_post, start_worker, wait_until_finished,
};

backend_tests!(
    a_post_reaches_each_subscriber_exactly_once,
    newsletters_wait_for_a_server_that_is_down,
    a_cancelled_send_sends_nothing,
    the_rate_limit_paces_every_lane
);

async fn a_post_reaches_each_subscriber_exactly_once(db: TestDb) {
    let sink = SmtpSink::start().await;
    let app = app_for(&db, &sink).await;
    let server = TestServer::start(app.clone()).await;
    let post = published_post(&app).await;
    add_readers(&app, 500).await;
    app.add_member("bounce@example.com", None).await.unwrap();

    let send = app
        .send_post_to_newsletter(SITE, &post, "daily-briefing")
        .await
        .unwrap();
    assert_eq!(app.send_progress(send.as_str()).await.unwrap().queued, 501);
    let started = std::time::Instant::now();
    let stop = start_worker(&app);
    let progress = wait_until_finished(&app, send.as_str(), Duration::from_secs(180)).await;
    let _ = stop.send(());
    // The queue's throughput to a local aiosmtpd, for comparing changes to the worker.
    let elapsed = started.elapsed();
    eprintln!(
        "{} messages in {elapsed:.1?}: {:.0} messages/s",
        progress.total(),
        progress.total() as f64 / elapsed.as_secs_f64()
    );
    assert_eq!(progress.status, "sent", "{progress:?}");
    assert_eq!(
        (progress.sent, progress.failed, progress.total()),
        (500, 1, 501)
    );

    let mails = sink.messages();
    assert_eq!(mails.len(), 500, "one message per subscriber");
    let recipients: HashSet<_> = mails.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    assert_eq!(recipients.len(), 500, "nobody got two");

    let mail = &mails[0];
    assert_eq!(mail.header("subject"), Some("Budget passes"));
    assert_eq!(
        mail.header("list-unsubscribe-post"),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(
        mail.html.contains(&format!("{SITE}/budget-passes/")),
        "web version link"
    );
    assert!(
        mail.html.contains(&format!(
            "src=\"{SITE}/content/images/2026/11/chamber.jpg\""
        )),
        "absolute image URLs"
    );
    assert!(mail.html.contains("style=\""), "inlined CSS");
    assert!(
        mail.text
            .contains("Unsubscribe: https://news.example/unsubscribe/?uuid=")
    );

    // The bounce was recorded with the server's reply.
    let replies = app.send_recipients(send.as_str()).await.unwrap();
    let bounce = replies
        .iter()
        .find(|(email, ..)| email == "bounce@example.com")
        .unwrap();
    assert_eq!(bounce.1, "failed");
    assert!(bounce.2.as_deref().unwrap().contains("550"), "{bounce:?}");

    // A post goes to a newsletter once.
    assert!(
        app.send_post_to_newsletter(SITE, &post, "daily-briefing")
            .await
            .is_err()
    );

    // One-click unsubscribe (RFC 8058) through the List-Unsubscribe URL.
    let header = mail.header("list-unsubscribe").unwrap();
    let url = header.trim_start_matches('<').trim_end_matches('>');
    let path = url.strip_prefix(SITE).unwrap();
    let res = server
        .client
        .post(format!("{}{path}", server.url))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let forged = server
        .client
        .post(format!("{}{}", server.url, path.replace("key=", "key=00")))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 404);
    let who = &mail.rcpt_to[0];
    let member = app.add_member(who, None).await.unwrap();
    assert!(app.member_newsletters(&member).await.unwrap().is_empty());
}

async fn newsletters_wait_for_a_server_that_is_down(db: TestDb) {
    let mut sink = SmtpSink::start().await;
    sink.stop();
    let app = app_for(&db, &sink).await;
    let post = published_post(&app).await;
    add_readers(&app, 20).await;
    let send = app
        .send_post_to_newsletter(SITE, &post, "daily-briefing")
        .await
        .unwrap();
    let stop = start_worker(&app);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let waiting = app.send_progress(send.as_str()).await.unwrap();
    assert_eq!(
        (waiting.queued, waiting.sent, waiting.failed),
        (20, 0, 0),
        "{waiting:?}"
    );

    sink.resume().await;
    let progress = wait_until_finished(&app, send.as_str(), Duration::from_secs(60)).await;
    let _ = stop.send(());
    assert_eq!(
        (progress.status.as_str(), progress.sent),
        ("sent", 20),
        "{progress:?}"
    );
    let mails = sink.messages();
    let recipients: HashSet<_> = mails.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    assert_eq!((mails.len(), recipients.len()), (20, 20));
}

async fn a_cancelled_send_sends_nothing(db: TestDb) {
    let sink = SmtpSink::start().await;
    let app = app_for(&db, &sink).await;
    let post = published_post(&app).await;
    add_readers(&app, 10).await;
    let send = app
        .send_post_to_newsletter(SITE, &post, "daily-briefing")
        .await
        .unwrap();
    assert!(app.cancel_send(send.as_str()).await.unwrap());
    assert!(!app.cancel_send(send.as_str()).await.unwrap());
    assert_eq!(
        app.deliver_batch().await.unwrap(),
        dateline_app::mailing::Pass::Idle
    );
    let progress = app.send_progress(send.as_str()).await.unwrap();
    assert_eq!(
        (progress.status.as_str(), progress.cancelled),
        ("cancelled", 10)
    );
    assert!(sink.messages().is_empty());
}

async fn the_rate_limit_paces_every_lane(db: TestDb) {
    let sink = SmtpSink::start().await;
    // Eight lanes could send these 30 in well under a second; 10 a second takes about three.
    let app = app_tuned(&db, &sink.url(), |d| {
        d.concurrency = 8;
        d.rate_per_second = Some(10);
    })
    .await;
    let post = published_post(&app).await;
    add_readers(&app, 30).await;
    let send = app
        .send_post_to_newsletter(SITE, &post, "daily-briefing")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let stop = start_worker(&app);
    let progress = wait_until_finished(&app, send.as_str(), Duration::from_secs(60)).await;
    let elapsed = started.elapsed();
    let _ = stop.send(());
    assert_eq!((progress.status.as_str(), progress.sent), ("sent", 30));
    assert!(
        elapsed >= Duration::from_millis(2800),
        "30 messages at 10/s took only {elapsed:?}"
    );
    assert_eq!(sink.messages().len(), 30);
}
