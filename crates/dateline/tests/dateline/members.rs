//! Members, newsletters and the send queue, delivered to a real SMTP server
//! (`dateline_testkit::SmtpSink`).

mod crash;
mod csv;
mod gating;
mod handover;
mod json_batches;
mod newsletters;
mod reimport;
mod signup;
mod tls;

use std::time::Duration;

use dateline_app::App;
use dateline_app::mailing::{DeliveryOptions, MailSetup, SendProgress};
use dateline_testkit::{SmtpSink, TestDb};
use tokio::sync::oneshot;

/// The public address newsletters link to.
const SITE: &str = "https://news.example";

/// Creates the owner and publishes a story with an image; returns its id.
pub(crate) async fn published_post(app: &App) -> String {
    use dateline_app::setup::OwnerInput;
    use dateline_core::post::{Post, PostStatus, PostType};
    let owner = app
        .create_owner(OwnerInput {
            site_title: "The Desk",
            name: "Editor",
            email: "editor@example.com",
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
    post.markdown =
        Some("The vote was close.\n\n![Chamber](/content/images/2026/11/chamber.jpg)".into());
    post.status = PostStatus::Published;
    app.save_post(post, &owner).await.unwrap().id.to_string()
}

/// Polls a send until it is no longer `sending` (or `timeout` passes).
pub(crate) async fn wait_until_finished(app: &App, send: &str, timeout: Duration) -> SendProgress {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let progress = app.send_progress(send).await.unwrap();
        if progress.status != "sending" || tokio::time::Instant::now() >= deadline {
            return progress;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// An app mailing through `sink`, with retries quick enough for a test.
pub(crate) async fn app_for(db: &TestDb, sink: &SmtpSink) -> App {
    app_tuned(db, &sink.url(), |_| {}).await
}

/// An app mailing through the SMTP server at `smtp_url`, with quick retries and the delivery
/// options changed by `tune`.
pub(crate) async fn app_tuned(
    db: &TestDb,
    smtp_url: &str,
    tune: impl FnOnce(&mut DeliveryOptions),
) -> App {
    let mut mail = MailSetup::smtp(smtp_url).unwrap();
    mail.delivery.retry_base = jiff::SignedDuration::from_secs(1);
    mail.delivery.retry_max = jiff::SignedDuration::from_secs(2);
    mail.delivery.idle_poll = Duration::from_millis(100);
    tune(&mut mail.delivery);
    db.app().await.with_mail(mail)
}

/// Adds `n` members, `reader0@example.com` on, each subscribed to the default newsletters.
pub(crate) async fn add_readers(app: &App, n: usize) {
    for i in 0..n {
        app.add_member(&format!("reader{i}@example.com"), None)
            .await
            .unwrap();
    }
}

pub(crate) fn start_worker(app: &App) -> oneshot::Sender<()> {
    let (stop, stopped) = oneshot::channel::<()>();
    let app = app.clone();
    tokio::spawn(async move {
        app.run_mail_worker(async move {
            let _ = stopped.await;
        })
        .await;
    });
    stop
}
