//! The moment a newsletter message is handed over: the queue writes down `sending` only when
//! the server has all of the message but its final `.`. A send cancelled before that point
//! sends nothing; a connection that drops before it leaves the row to be sent again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dateline_app::App;
use dateline_testkit::scripted_smtp::{Answer, ScriptedSmtp, Step};
use dateline_testkit::{TestDb, backend_tests};

use super::{SITE, add_readers, app_tuned, published_post, start_worker, wait_until_finished};

backend_tests!(
    a_send_cancelled_mid_message_sends_nothing,
    a_connection_dropped_before_the_dot_is_sent_again
);

/// An app mailing through `server` with a story queued for three subscribers; the send's id.
async fn queued_send(db: &TestDb, server: &ScriptedSmtp) -> (App, String) {
    let app = app_tuned(db, &server.url(), |d| d.concurrency = 1).await;
    let post = published_post(&app).await;
    add_readers(&app, 3).await;
    let send = app
        .send_post_to_newsletter(SITE, &post, "daily-briefing")
        .await
        .unwrap();
    (app, send.to_string())
}

async fn a_send_cancelled_mid_message_sends_nothing(db: TestDb) {
    // The editor cancels while the first message is on its way: the server has its sender and
    // recipient, and answers DATA only once the cancellation is committed.
    let cancel: Arc<Mutex<Option<(App, String)>>> = Arc::default();
    let at_data = cancel.clone();
    let server = ScriptedSmtp::start(Arc::new(move |step, _| {
        let target = match step {
            Step::Data => at_data.lock().unwrap().take(),
            _ => None,
        };
        Box::pin(async move {
            if let Some((app, send)) = target {
                assert!(app.cancel_send(&send).await.unwrap());
            }
            Answer::Accept
        })
    }))
    .await;
    let (app, send) = queued_send(&db, &server).await;
    *cancel.lock().unwrap() = Some((app.clone(), send.clone()));

    app.deliver_batch().await.unwrap();
    let progress = app.send_progress(send.as_str()).await.unwrap();
    assert_eq!(
        (progress.status.as_str(), progress.cancelled, progress.sent),
        ("cancelled", 3, 0),
        "{progress:?}"
    );
    // The lane wrote the whole message, then dropped the connection instead of the `.`.
    assert!(server.taken().is_empty(), "{:?}", server.taken());
    assert_eq!(server.cut_off_once(1).await.len(), 1);
}

async fn a_connection_dropped_before_the_dot_is_sent_again(db: TestDb) {
    // The server hangs up in the middle of the first message, and takes the rest.
    let first = Arc::new(AtomicBool::new(true));
    let server = ScriptedSmtp::start(Arc::new(move |step, _| {
        let hang_up = step == Step::Data && first.swap(false, Ordering::SeqCst);
        Box::pin(async move {
            if hang_up {
                Answer::HangUpAfter("354 go on".into())
            } else {
                Answer::Accept
            }
        })
    }))
    .await;
    let (app, send) = queued_send(&db, &server).await;
    let stop = start_worker(&app);
    let progress = wait_until_finished(&app, send.as_str(), Duration::from_secs(60)).await;
    let _ = stop.send(());
    assert_eq!(
        (progress.status.as_str(), progress.sent, progress.total()),
        ("sent", 3, 3),
        "{progress:?}"
    );
    let cut_off = server.cut_off_once(1).await;
    assert_eq!(cut_off.len(), 1);
    let mut recipients: Vec<_> = server.taken().into_iter().flat_map(|m| m.rcpt_to).collect();
    recipients.sort();
    assert_eq!(
        recipients,
        [
            "reader0@example.com",
            "reader1@example.com",
            "reader2@example.com"
        ],
        "each reader once, the one cut off included"
    );
    assert!(recipients.contains(&cut_off[0][0]));
}
