//! Delivery through any SMTP server (`smtp://host:port` in plain text for a local relay,
//! `smtp://…?tls=required` for STARTTLS, `smtps://…` for TLS from the start, credentials in the
//! URL; see [`crate::smtp_server`]), or, with no server configured, into the log, so a fresh
//! site still shows its sign-in links somewhere.
//!
//! Mail goes two ways, with the same parameters and the same [`Trust`]: transactional mail
//! (sign-in links, test messages) through lettre's connection pool, and every newsletter lane
//! through a [`Session`] on Dateline's own connection ([`crate::smtp_session`]), which can hold
//! a message back from the server until the queue has written down that it is handed over.

use std::sync::Arc;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::Tls;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::smtp_server::{Security, SmtpServer};
use crate::smtp_session::{Connection, Endpoint};
use crate::trust::Trust;

/// One message to one recipient.
#[derive(Debug, Clone)]
pub struct Email {
    pub from_name: Option<String>,
    pub from_address: String,
    pub reply_to: Option<String>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A stable id (`<send.member@host>`), so a receiving server or a person can recognise a
    /// copy they have already seen.
    pub message_id: Option<String>,
    /// Adds `List-Unsubscribe` and one-click `List-Unsubscribe-Post` (RFC 8058).
    pub unsubscribe_url: Option<String>,
}

/// Why a message was not accepted. The queue treats each differently: a temporary refusal is
/// retried for this recipient, a permanent one is final, and an unavailable server makes the
/// whole worker wait.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// A 4xx reply: try this recipient again later.
    #[error("temporary SMTP failure: {0}")]
    Temporary(String),
    /// A 5xx reply: the server will never take this message for this recipient.
    #[error("permanent SMTP failure: {0}")]
    Permanent(String),
    /// No usable connection (refused, timed out, TLS failed): nothing was sent.
    #[error("SMTP server unavailable: {0}")]
    Unavailable(String),
    /// The message itself cannot be built (an address that is not one).
    #[error("cannot build the message: {0}")]
    Invalid(String),
}

/// Where mail goes. Cheap to clone: the SMTP transport is a shared connection pool.
#[derive(Clone)]
pub struct Mailer {
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    /// The same server, for the [`Session`]s of newsletter lanes, which open connections of
    /// their own ([`crate::smtp_session`]).
    endpoint: Option<Arc<Endpoint>>,
}

impl Mailer {
    /// Mail is written to the log instead of being sent.
    pub fn log() -> Mailer {
        Mailer {
            smtp: None,
            endpoint: None,
        }
    }

    /// Mail goes to the SMTP server at `url` (see [`crate::smtp_server`]), over TLS that
    /// trusts `trust`'s authorities.
    pub fn smtp(url: &str, trust: &Trust) -> Result<Mailer, SendError> {
        let (server, hello) = SmtpServer::from_url(url)?;
        Mailer::to(&server, hello, trust)
    }

    /// Mail goes to `server`, as typed into the admin's mail settings (no URL to escape).
    pub fn server(server: &SmtpServer, trust: &Trust) -> Result<Mailer, SendError> {
        let host = server.host.trim();
        if host.is_empty() {
            return Err(SendError::Invalid(
                "the SMTP server needs a host name".to_owned(),
            ));
        }
        let server = SmtpServer {
            host: host.to_owned(),
            ..server.clone()
        };
        Mailer::to(&server, ClientId::default(), trust)
    }

    /// Both ways to `server`, from the same parameters: lettre's pool, as lettre's own
    /// `from_url` would build it (plus `trust`), and the lanes' endpoint.
    fn to(server: &SmtpServer, hello: ClientId, trust: &Trust) -> Result<Mailer, SendError> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host)
            .port(server.port)
            .timeout(Some(server.timeout))
            .hello_name(hello.clone());
        let tls = || trust.lettre_parameters(&server.host);
        builder = match server.effective_security() {
            Security::Tls => builder.tls(Tls::Wrapper(tls()?)),
            Security::StartTls => builder.tls(Tls::Required(tls()?)),
            Security::Opportunistic => builder.tls(Tls::Opportunistic(tls()?)),
            Security::None => builder,
        };
        if server.has_login() {
            builder = builder.credentials(Credentials::new(
                server.user.clone(),
                server.password.clone(),
            ));
        }
        Ok(Mailer {
            smtp: Some(builder.build()),
            endpoint: Some(Arc::new(Endpoint::new(server, hello, trust)?)),
        })
    }

    /// A connection for one sender of many messages (a newsletter delivery lane).
    pub fn session(&self) -> Session {
        Session {
            mailer: self.clone(),
            conn: None,
            last_used: std::time::Instant::now(),
            staged: None,
        }
    }

    /// Sends `email`; on success returns the server's reply (kept with the recipient's row).
    pub async fn send(&self, email: &Email) -> Result<String, SendError> {
        let Some(smtp) = &self.smtp else {
            tracing::info!(
                to = %email.to,
                subject = %email.subject,
                "no SMTP server configured; this email was not sent:\n{}",
                email.text
            );
            return Ok("logged".to_owned());
        };
        let message = build(email)?;
        match smtp.send(message).await {
            Ok(response) => Ok(crate::smtp_session::one_line(&response)),
            Err(err) if err.is_permanent() => Err(SendError::Permanent(err.to_string())),
            Err(err) if err.is_transient() => Err(SendError::Temporary(err.to_string())),
            Err(err) => Err(SendError::Unavailable(err.to_string())),
        }
    }
}

/// One SMTP connection kept open from one message to the next (a newsletter lane's), on which
/// a message is sent in two steps: [`Session::stage`] writes all of it but the final `.`, and
/// [`Session::hand_over`] writes the `.`. Between the two the caller writes down that the
/// message is being handed over; if it cannot, [`Session::abandon`] drops the connection and
/// the server discards the message. The connection is Dateline's own ([`crate::smtp_session`]),
/// whatever TLS or login the server asks for; with no server (the log) the whole message is
/// logged at the hand-over.
pub struct Session {
    mailer: Mailer,
    conn: Option<Connection>,
    /// When the connection last carried a message: one idle for long may have been closed by
    /// the server, and is checked (NOOP) before it carries another.
    last_used: std::time::Instant,
    staged: Option<Staged>,
}

/// A message between [`Session::stage`] and [`Session::hand_over`].
enum Staged {
    /// Written to the connection, all but its `.`.
    OnTheWire,
    /// Logged whole at the hand-over: no server is configured.
    Logged(Box<Email>),
}

/// Idle longer than this, a connection is checked before use.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(5);

impl Session {
    /// Starts `email`'s SMTP transaction and writes the message, all but the `.` that would
    /// end it. An error means the server has nothing of this message: a refusal of the sender,
    /// the recipient or DATA ([`SendError::Temporary`], [`SendError::Permanent`]), or a
    /// connection that failed ([`SendError::Unavailable`]).
    pub async fn stage(&mut self, email: &Email) -> Result<(), SendError> {
        self.abandon();
        let Some(endpoint) = self.mailer.endpoint.clone() else {
            build(email)?;
            self.staged = Some(Staged::Logged(Box::new(email.clone())));
            return Ok(());
        };
        let message = build(email)?;
        if let Some(conn) = &mut self.conn
            && self.last_used.elapsed() > IDLE_CHECK
            && !conn.answers().await
        {
            self.conn = None;
        }
        self.last_used = std::time::Instant::now();
        let conn = match &mut self.conn {
            Some(conn) => conn,
            None => self.conn.insert(Connection::open(&endpoint).await?),
        };
        match conn.stage(message.envelope(), &message.formatted()).await {
            Ok(()) => {
                self.staged = Some(Staged::OnTheWire);
                Ok(())
            }
            Err(err) => {
                // After a refusal the server expects a new transaction; start one on a fresh
                // connection rather than trust this one's state.
                if let Some(conn) = self.conn.take() {
                    conn.quit().await;
                }
                Err(err)
            }
        }
    }

    /// Ends the staged message: from here on it is the server's. Returns the server's reply,
    /// or, when the `.` went out and no reply came back, a note that says so: the server may
    /// well have kept the message, so it counts as sent and must not be sent again.
    pub async fn hand_over(&mut self) -> Result<String, SendError> {
        match self.staged.take() {
            Some(Staged::Logged(email)) => self.mailer.send(&email).await,
            Some(Staged::OnTheWire) => {
                let Some(conn) = &mut self.conn else {
                    return Err(SendError::Unavailable("the connection is gone".to_owned()));
                };
                let reply = conn.hand_over().await;
                self.last_used = std::time::Instant::now();
                if (reply.is_err() || conn.is_broken())
                    && let Some(conn) = self.conn.take()
                {
                    conn.quit().await;
                }
                reply
            }
            None => Err(SendError::Invalid("no message was staged".to_owned())),
        }
    }

    /// Gives up the staged message, if any: its connection is dropped without the `.`, so the
    /// server discards what it has of it.
    pub fn abandon(&mut self) {
        if let Some(Staged::OnTheWire) = self.staged.take() {
            self.conn = None;
        }
    }
}

fn build(email: &Email) -> Result<Message, SendError> {
    let invalid =
        |what: &str, e: &dyn std::fmt::Display| SendError::Invalid(format!("{what}: {e}"));
    let from = Mailbox::new(
        email.from_name.clone(),
        email
            .from_address
            .parse()
            .map_err(|e| invalid("sender", &e))?,
    );
    let to: Mailbox = email.to.parse().map_err(|e| invalid("recipient", &e))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone())
        .message_id(email.message_id.clone());
    if let Some(reply_to) = &email.reply_to {
        builder = builder.reply_to(reply_to.parse().map_err(|e| invalid("reply-to", &e))?);
    }
    let mut message = builder
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| invalid("message", &e))?;
    if let Some(url) = &email.unsubscribe_url {
        let headers = message.headers_mut();
        headers.insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{url}>"),
        ));
        headers.insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_owned(),
        ));
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsletters_carry_one_click_unsubscribe() {
        let email = Email {
            from_name: Some("The Desk".into()),
            from_address: "noreply@example.com".into(),
            reply_to: None,
            to: "reader@example.com".into(),
            subject: "Today".into(),
            text: "text".into(),
            html: "<p>html</p>".into(),
            message_id: Some("<a.b@example.com>".into()),
            unsubscribe_url: Some("https://example.com/unsubscribe/?uuid=1&key=2".into()),
        };
        let raw = String::from_utf8(build(&email).unwrap().formatted()).unwrap();
        assert!(raw.contains("List-Unsubscribe: <https://example.com/unsubscribe/?uuid=1&key=2>"));
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(raw.contains("Message-ID: <a.b@example.com>"));
    }

    #[test]
    fn bad_addresses_are_refused_before_sending() {
        let email = Email {
            from_name: None,
            from_address: "noreply@example.com".into(),
            reply_to: None,
            to: "not an address".into(),
            subject: String::new(),
            text: String::new(),
            html: String::new(),
            message_id: None,
            unsubscribe_url: None,
        };
        assert!(matches!(build(&email), Err(SendError::Invalid(_))));
    }
}
