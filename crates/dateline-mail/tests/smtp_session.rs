//! A newsletter lane's SMTP session against a scripted server: a message is the server's only
//! once its `.` is written, and each refusal keeps the meaning the queue gives it. Then against
//! a real server (aiosmtpd) over STARTTLS and TLS, with a login and a private CA.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use dateline_mail::{Email, Mailer, SendError, Trust};
use dateline_testkit::scripted_smtp::{Answer, ScriptedSmtp, Step};
use dateline_testkit::{SinkTls, SmtpSink};

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
    let mut session = Mailer::smtp(&server.url(), &Trust::default())
        .unwrap()
        .session();
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
        let mut session = Mailer::smtp(&server.url(), &Trust::default())
            .unwrap()
            .session();
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
        let mut session = Mailer::smtp(&next.url(), &Trust::default())
            .unwrap()
            .session();
        session.stage(&email("other@example.com")).await.unwrap();
        session.hand_over().await.unwrap();
        assert_eq!(next.taken().len(), 1);
    }
}

#[tokio::test]
async fn an_abandoned_message_is_not_taken() {
    let server = ScriptedSmtp::accepting().await;
    let mut session = Mailer::smtp(&server.url(), &Trust::default())
        .unwrap()
        .session();
    session
        .stage(&email("cancelled@example.com"))
        .await
        .unwrap();
    session.abandon();
    assert_eq!(
        server.cut_off_once(1).await,
        [vec!["cancelled@example.com".to_owned()]]
    );
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
    let mut session = Mailer::smtp(&server.url(), &Trust::default())
        .unwrap()
        .session();
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
    let mut session = Mailer::smtp(&server.url(), &Trust::default())
        .unwrap()
        .session();
    session.stage(&email("reader@example.com")).await.unwrap();
    let reply = session.hand_over().await.unwrap();
    assert!(reply.starts_with("handed over; no reply"), "{reply}");
}

/// Trusts the CA that signed `sink`'s certificate.
fn trusting(sink: &SmtpSink) -> Trust {
    Trust::with_ca_file(&sink.ca_file().unwrap()).unwrap()
}

/// Two messages on one session to `sink`, each staged and handed over.
async fn two_messages(sink: &SmtpSink) {
    let mut session = Mailer::smtp(&sink.url(), &trusting(sink))
        .unwrap()
        .session();
    for to in ["a@example.com", "b@example.com"] {
        session.stage(&email(to)).await.unwrap();
        // Staged is not sent: the server holds the message until its `.`.
        assert!(sink.messages().iter().all(|m| m.rcpt_to != [to]), "{to}");
        let reply = session.hand_over().await.unwrap();
        assert!(reply.starts_with("250 "), "{reply}");
    }
    let mut taken = sink.wait_for(2, Duration::from_secs(5)).await;
    taken.sort_by(|a, b| a.rcpt_to.cmp(&b.rcpt_to));
    assert_eq!(taken.len(), 2);
    for (message, to) in taken.iter().zip(["a@example.com", "b@example.com"]) {
        assert_eq!(message.rcpt_to, [to]);
        assert!(message.tls, "{to} came over TLS");
        assert_eq!(message.login.as_deref(), Some("desk"));
        assert!(
            message.text.contains("\r\n.\r\nA line with only a dot."),
            "{:?}",
            message.text
        );
    }
}

#[tokio::test]
async fn a_lane_hands_over_through_starttls_and_a_login() {
    two_messages(&SmtpSink::start_tls(SinkTls::StartTls, Some(("desk", "s3cret"))).await).await;
}

#[tokio::test]
async fn a_lane_hands_over_through_tls_from_the_first_byte_and_a_login() {
    two_messages(&SmtpSink::start_tls(SinkTls::Implicit, Some(("desk", "s3cret"))).await).await;
}

#[tokio::test]
async fn transactional_mail_trusts_the_same_private_ca() {
    let sink = SmtpSink::start_tls(SinkTls::StartTls, Some(("desk", "s3cret"))).await;
    let mailer = Mailer::smtp(&sink.url(), &trusting(&sink)).unwrap();
    let reply = mailer.send(&email("reader@example.com")).await.unwrap();
    assert!(reply.starts_with("250 "), "{reply}");
    let taken = sink.wait_for(1, Duration::from_secs(5)).await;
    assert!(taken[0].tls);
    // Without the CA, neither way trusts the server's certificate.
    let untrusting = Mailer::smtp(&sink.url(), &Trust::default()).unwrap();
    let sent = untrusting.send(&email("reader@example.com")).await;
    assert!(matches!(sent, Err(SendError::Unavailable(_))), "{sent:?}");
    let staged = untrusting
        .session()
        .stage(&email("reader@example.com"))
        .await;
    match staged {
        Err(SendError::Unavailable(why)) => assert!(why.contains("TLS"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_wrong_password_makes_the_server_unavailable_not_the_reader_bounce() {
    for tls in [SinkTls::StartTls, SinkTls::Implicit] {
        let sink = SmtpSink::start_tls(tls, Some(("desk", "s3cret"))).await;
        let url = sink.url().replace(":s3cret@", ":wrong@");
        let mut session = Mailer::smtp(&url, &trusting(&sink)).unwrap().session();
        match session.stage(&email("reader@example.com")).await {
            Err(SendError::Unavailable(why)) => {
                assert!(why.contains("login refused"), "{why}");
                assert!(why.contains("535"), "{why}");
                assert!(
                    !why.contains("wrong"),
                    "the password is not in the error: {why}"
                );
            }
            other => panic!("{tls:?}: {other:?}"),
        }
        assert!(sink.messages().is_empty());
    }
}

#[tokio::test]
async fn a_server_without_starttls_is_refused_when_it_is_required() {
    let sink = SmtpSink::start_plain_login("desk", "s3cret").await;
    let url = format!("smtp://desk:s3cret@127.0.0.1:{}?tls=required", sink.port);
    let mut session = Mailer::smtp(&url, &Trust::default()).unwrap().session();
    match session.stage(&email("reader@example.com")).await {
        Err(SendError::Unavailable(why)) => assert!(why.contains("STARTTLS"), "{why}"),
        other => panic!("{other:?}"),
    }
    // Opportunistic STARTTLS with a login is required STARTTLS: no password in plain text.
    let url = url.replace("tls=required", "tls=opportunistic");
    let mut session = Mailer::smtp(&url, &Trust::default()).unwrap().session();
    match session.stage(&email("reader@example.com")).await {
        Err(SendError::Unavailable(why)) => assert!(why.contains("STARTTLS"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn a_plain_server_gets_the_login_in_plain_text_only_when_configured_so() {
    let sink = SmtpSink::start_plain_login("desk", "s3cret").await;
    let mut session = Mailer::smtp(&sink.url(), &Trust::default())
        .unwrap()
        .session();
    session.stage(&email("reader@example.com")).await.unwrap();
    session.hand_over().await.unwrap();
    let taken = sink.wait_for(1, Duration::from_secs(5)).await;
    assert!(!taken[0].tls);
    assert_eq!(taken[0].login.as_deref(), Some("desk"));
}

#[tokio::test]
async fn a_tls_server_gone_before_the_dot_leaves_the_message_unsent() {
    let sink = SmtpSink::start_tls(SinkTls::StartTls, Some(("desk", "s3cret"))).await;
    let mut session = Mailer::smtp(&sink.url(), &trusting(&sink))
        .unwrap()
        .session();
    // The sink hangs up a moment after taking this recipient.
    session.stage(&email("vanish@example.com")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let result = session.hand_over().await;
    assert!(
        matches!(result, Err(SendError::Unavailable(_))),
        "{result:?}"
    );
    // The next message goes on a new connection.
    session.stage(&email("reader@example.com")).await.unwrap();
    session.hand_over().await.unwrap();
    let taken = sink.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].rcpt_to, ["reader@example.com"]);
}

#[tokio::test]
async fn a_ca_file_without_a_certificate_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ca.pem");
    std::fs::write(&path, "not a certificate\n").unwrap();
    assert!(matches!(
        Trust::with_ca_file(&path),
        Err(SendError::Invalid(_))
    ));
    assert!(matches!(
        Trust::with_ca_file(&dir.path().join("missing.pem")),
        Err(SendError::Invalid(_))
    ));
}
