//! `kill -9` of `dateline serve` in the middle of a newsletter to 5,000 members, then a restart:
//! nobody gets two copies, and everybody gets one except at most the few messages that were
//! being handed over when the kill came (one per lane), which the send reports as `unknown`. A
//! message the kill cut off before it was handed over is discarded by the server and sent again;
//! one being handed over had its `.` written (the kernel sends it after the process is gone),
//! unless the kill fell in the microseconds between writing that down and writing the `.`. The
//! same, to 1,000 members, with a server that wants STARTTLS and a login.

use std::collections::HashSet;
use std::process::Stdio;
use std::time::Duration;

use dateline_testkit::{SinkTls, SmtpSink, TestDb, backend_tests};

use super::{SITE, wait_until_finished};
use crate::support::{Served, dateline, ok, write_file};

backend_tests!(
    a_send_killed_mid_way_resumes_without_duplicates,
    a_send_over_starttls_killed_mid_way_resumes_without_duplicates
);

/// Delivery lanes of each `serve`: as many transactions in flight as the kill can cut.
const LANES: u64 = 8;

async fn a_send_killed_mid_way_resumes_without_duplicates(db: TestDb) {
    killed_mid_way(db, SmtpSink::start().await, 5000).await;
}

async fn a_send_over_starttls_killed_mid_way_resumes_without_duplicates(db: TestDb) {
    let sink = SmtpSink::start_tls(SinkTls::StartTls, Some(("desk", "s3cret"))).await;
    killed_mid_way(db, sink, 1000).await;
}

/// Sends a story to `members` through `sink` with `dateline serve`, kills it a third of the
/// way, restarts it, and counts the copies.
async fn killed_mid_way(db: TestDb, sink: SmtpSink, members: usize) {
    // The CLI queues the send; the `serve` processes deliver it.
    let app = db.app().await;
    stored_post(&app).await;
    let mut csv = String::from("email\n");
    for i in 0..members {
        csv.push_str(&format!("reader{i}@example.com\n"));
    }
    let file = write_file(&db, "members.csv", csv.as_bytes());
    ok(&db, &["members", "import", &file]);
    let send = ok(&db, &["newsletter", "send", "budget-passes", "--url", SITE])
        .trim()
        .to_owned();
    assert!(ok(&db, &["newsletter", "status", &send]).starts_with("sending: 0 sent"));
    let serve = || {
        Served::adopt(
            dateline(&db)
                .env("DATELINE_SMTP_URL", sink.url())
                .envs(sink.ca_file().map(|ca| ("DATELINE_SMTP_CA_FILE", ca)))
                .args(["serve", "--bind", "127.0.0.1:0"])
                .args(["--mail-concurrency", &LANES.to_string()])
                .stdout(Stdio::piped())
                .spawn()
                .expect("dateline serve starts"),
        )
    };

    let started = std::time::Instant::now();
    let first = serve();
    let delivered = sink
        .wait_for(members / 3, Duration::from_secs(120))
        .await
        .len();
    assert!(
        delivered >= members / 3,
        "only {delivered} delivered before the kill"
    );
    drop(first); // SIGKILL: no chance to finish the batch
    let at_kill = sink.messages().len();
    assert!(at_kill < members, "the kill came too late to test anything");

    // The restarted server waits out the dead one's lease, then carries on.
    let second = serve();
    let progress = wait_until_finished(&app, &send, Duration::from_secs(300)).await;
    drop(second);
    eprintln!(
        "{members} members, killed once: delivered in {:.1?}",
        started.elapsed()
    );
    assert_eq!(progress.status, "sent", "{progress:?}");
    assert!(ok(&db, &["newsletter", "status", &send]).starts_with("sent: "));
    assert_eq!(
        (progress.sent + progress.unknown, progress.failed),
        (members as u64, 0),
        "{progress:?}"
    );
    assert!(
        progress.unknown <= LANES,
        "only messages being handed over at the kill are unknown: {progress:?}"
    );

    let mails = sink.messages();
    let recipients: HashSet<_> = mails.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    let ids: HashSet<_> = mails
        .iter()
        .filter_map(|m| m.header("message-id"))
        .collect();
    assert_eq!(
        (recipients.len(), ids.len()),
        (mails.len(), mails.len()),
        "no member got two messages, no two alike ({at_kill} before the kill)"
    );
    // Every `sent` arrived; an `unknown` one arrived or not.
    let missing = members as u64 - mails.len() as u64;
    eprintln!(
        "{} arrived, {} unknown, {missing} missing",
        mails.len(),
        progress.unknown
    );
    assert!(
        mails.len() as u64 >= progress.sent && missing <= progress.unknown,
        "{} arrived for {progress:?}",
        mails.len()
    );
}

/// A published story written straight to the store: this test is about delivery, and a site
/// that was never set up serves with its built-in theme and defaults.
async fn stored_post(app: &dateline_app::App) {
    use dateline_core::post::{Post, PostStatus, PostType};
    let now = dateline_core::time::now();
    let mut post = Post::draft(PostType::Post, "Budget passes", "budget-passes", now);
    post.html = Some("<p>The vote was close.</p>".into());
    post.plaintext = Some("The vote was close.".into());
    post.status = PostStatus::Published;
    post.published_at = Some(now);
    let mut tx = app.store.begin().await.unwrap();
    dateline_store::posts::insert(&mut tx, &post).await.unwrap();
    tx.commit().await.unwrap();
}
