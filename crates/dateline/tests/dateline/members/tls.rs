//! A newsletter to a server that wants STARTTLS and a login, with a certificate from a private
//! CA (`--smtp-ca-file`): every lane goes through the staged connection, encrypted and signed
//! in, and a wrong password holds the send back without bouncing anyone.

use std::time::Duration;

use dateline_app::App;
use dateline_app::mailing::{MailSetup, Pass, Trust};
use dateline_store::members;
use dateline_testkit::{SinkTls, SmtpSink, TestDb, backend_tests};

use super::{SITE, add_readers, published_post, start_worker, wait_until_finished};

backend_tests!(
    a_newsletter_goes_out_over_starttls_with_a_login,
    a_wrong_password_holds_the_send_back_without_bouncing_anyone
);

const READERS: usize = 6;

/// An app mailing to the server at `url`, trusting `sink`'s CA, with a story queued for
/// [`READERS`] subscribers; the send's id.
async fn queued_send(db: &TestDb, sink: &SmtpSink, url: &str) -> (App, String) {
    let trust = Trust::with_ca_file(&sink.ca_file().unwrap()).unwrap();
    let mut mail = MailSetup::configured(Some(url), trust).unwrap();
    mail.delivery.concurrency = 3;
    mail.delivery.retry_base = jiff::SignedDuration::from_secs(1);
    mail.delivery.idle_poll = Duration::from_millis(100);
    let app = db.app().await.with_mail(mail);
    let post = published_post(&app).await;
    add_readers(&app, READERS).await;
    let send = app
        .send_post_to_newsletter(SITE, &post, "daily-briefing")
        .await
        .unwrap();
    (app, send.to_string())
}

async fn a_newsletter_goes_out_over_starttls_with_a_login(db: TestDb) {
    let sink = SmtpSink::start_tls(SinkTls::StartTls, Some(("desk", "s3cret"))).await;
    let (app, send) = queued_send(&db, &sink, &sink.url()).await;
    let stop = start_worker(&app);
    let progress = wait_until_finished(&app, &send, Duration::from_secs(60)).await;
    let _ = stop.send(());
    assert_eq!(
        (progress.status.as_str(), progress.sent, progress.failed),
        ("sent", READERS as u64, 0),
        "{progress:?}"
    );
    let mails = sink.messages();
    assert_eq!(mails.len(), READERS);
    for mail in &mails {
        assert!(mail.tls, "{:?} came in plain text", mail.rcpt_to);
        assert_eq!(mail.login.as_deref(), Some("desk"));
    }
    let mut recipients: Vec<_> = mails.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), READERS, "one copy each");
}

async fn a_wrong_password_holds_the_send_back_without_bouncing_anyone(db: TestDb) {
    let sink = SmtpSink::start_tls(SinkTls::StartTls, Some(("desk", "s3cret"))).await;
    let url = sink.url().replace(":s3cret@", ":wrong@");
    let (app, send) = queued_send(&db, &sink, &url).await;
    assert_eq!(app.deliver_batch().await.unwrap(), Pass::Unavailable);
    let progress = app.send_progress(&send).await.unwrap();
    assert_eq!(
        (progress.status.as_str(), progress.queued, progress.failed),
        ("sending", READERS as u64, 0),
        "{progress:?}"
    );
    assert!(sink.messages().is_empty());
    // Nobody was marked as bounced: a later send still goes to every reader.
    let mut db_conn = app.store.reader().await.unwrap();
    for i in 0..READERS {
        let email = format!("reader{i}@example.com");
        let member = members::by_email(&mut db_conn, &email)
            .await
            .unwrap()
            .unwrap();
        assert!(!member.email_disabled, "a login refused bounced {email}");
    }
}
