//! A newsletter lane's SMTP session against a scripted server: a message is the server's only
//! once its `.` is written, and each refusal keeps the meaning the queue gives it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use dateline_mail::{Email, Mailer, SendError};
use dateline_testkit::scripted_smtp::{Answer, ScriptedSmtp, Step};

fn email(to: &str) -> Email {
    Email {
        from_name: Some("The Desk".into()),
        from_address: "desk@news.example".into(),
        reply_to: None,
        to: to.into(),
        subject: "Budget passes".into(),
        text: "The vote was close.\n.\nA line with only a dot.".into(),
        html: "<p>The vote was close.</p>".into(),
        message_id: Some(format!("<send.{to}>")),
        unsubscribe_url: None,
    }
}

/// A server that answers `reply` at `at` and takes everything else.
async fn refusing(at: Step, reply: &str) -> ScriptedSmtp {
    let reply = reply.to_owned();
    ScriptedSmtp::start(Arc::new(move |step, _| {
        let answer = if step == at {
            Answer::Reply(reply.clone())
        } else {
            Answer::Accept
        };
        Box::pin(async move { answer })
    }))
    .await
}

#[tokio::test]
async fn a_handed_over_message_arrives_whole() {
    let server = ScriptedSmtp::accepting().await;
    let mut session = Mailer::smtp(&server.url()).unwrap().session();
    for to in ["a@example.com", "b@example.com"] {
        session.stage(&email(to)).await.unwrap();
        let reply = session.hand_over().await.unwrap();
        assert!(reply.starts_with("250 "), "{reply}");
    }
    let taken = server.taken();
    assert_eq!(taken.len(), 2);
    assert_eq!(taken[1].rcpt_to, ["b@example.com"]);
    assert_eq!(taken[1].message_id(), Some("<send.b@example.com>"));
    assert!(
        taken[0].data.contains("\r\n.\r\nA line with only a dot."),
        "dot-stuffing undone by the server: {}",
        taken[0].data
    );
}

#[tokio::test]
async fn refusals_are_temporary_or_permanent_at_every_step() {
    let rcpt = || Step::Rcpt("reader@example.com".into());
    let cases = [
        (Step::Mail, "451 4.3.0 try later", true),
        (Step::Mail, "550 5.7.1 sender refused", false),
        (rcpt(), "450 4.2.0 mailbox busy", true),
        (rcpt(), "550 5.1.1 no such user", false),
        (Step::Data, "451 4.3.0 not now", true),
        (Step::Data, "554 5.3.4 no", false),
        (Step::EndOfData, "452 4.3.1 out of space", true),
        (Step::EndOfData, "554 5.6.0 message refused", false),
    ];
    for (at, reply, temporary) in cases {
        let server = refusing(at.clone(), reply).await;
        let mut session = Mailer::smtp(&server.url()).unwrap().session();
        let result = match session.stage(&email("reader@example.com")).await {
            Ok(()) => {
                assert_eq!(
                    at,
                    Step::EndOfData,
                    "only the end of data is refused after staging"
                );
                session.hand_over().await
            }
            Err(err) => Err(err),
        };
        let (code, text) = reply.split_once(' ').unwrap();
        match result {
            Err(SendError::Temporary(r)) if temporary => {
                assert_eq!(r, format!("transient error ({code}): {text}"));
            }
            Err(SendError::Permanent(r)) if !temporary => {
                assert_eq!(r, format!("permanent error ({code}): {text}"));
            }
            other => panic!("{at:?} {reply}: {other:?}"),
        }
        assert!(server.taken().is_empty(), "{at:?} {reply}");
        // The next message goes through on a fresh connection.
        let next = refusing(Step::Mail, "250 OK").await;
        let mut session = Mailer::smtp(&next.url()).unwrap().session();
        session.stage(&email("other@example.com")).await.unwrap();
        session.hand_over().await.unwrap();
        assert_eq!(next.taken().len(), 1);
    }
}

#[tokio::test]
async fn an_abandoned_message_is_not_taken() {
    let server = ScriptedSmtp::accepting().await;
    let mut session = Mailer::smtp(&server.url()).unwrap().session();
    session
        .stage(&email("cancelled@example.com"))
        .await
        .unwrap();
    session.abandon();
    wait_until(|| !server.cut_off().is_empty()).await;
    assert_eq!(server.cut_off(), [vec!["cancelled@example.com".to_owned()]]);
    assert!(server.taken().is_empty());
    // The session opens a new connection for the next message.
    session.stage(&email("next@example.com")).await.unwrap();
    session.hand_over().await.unwrap();
    assert_eq!(server.taken().len(), 1);
}

#[tokio::test]
async fn a_server_gone_before_the_dot_leaves_the_message_unsent() {
    let server = ScriptedSmtp::start(Arc::new(|step, _| {
        Box::pin(async move {
            match step {
                Step::Data => Answer::HangUpAfter("354 go on".into()),
                _ => Answer::Accept,
            }
        })
    }))
    .await;
    let mut session = Mailer::smtp(&server.url()).unwrap().session();
    let result = match session.stage(&email("reader@example.com")).await {
        Ok(()) => {
            // The queue's commit takes about this long; the server has hung up meanwhile.
            tokio::time::sleep(Duration::from_millis(50)).await;
            session.hand_over().await
        }
        Err(err) => Err(err),
    };
    assert!(
        matches!(result, Err(SendError::Unavailable(_))),
        "{result:?}"
    );
    assert!(server.taken().is_empty());
}

#[tokio::test]
async fn a_reply_lost_after_the_dot_still_counts_as_handed_over() {
    let server = ScriptedSmtp::start(Arc::new(|step, _| {
        Box::pin(async move {
            match step {
                Step::EndOfData => Answer::HangUp,
                _ => Answer::Accept,
            }
        })
    }))
    .await;
    let mut session = Mailer::smtp(&server.url()).unwrap().session();
    session.stage(&email("reader@example.com")).await.unwrap();
    let reply = session.hand_over().await.unwrap();
    assert!(reply.starts_with("handed over; no reply"), "{reply}");
}

async fn wait_until(done: impl Fn() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out");
}
