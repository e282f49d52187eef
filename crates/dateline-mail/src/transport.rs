//! Delivery through any SMTP server (`smtp://host:port` in plain text for a local relay,
//! `smtp://…?tls=required` for STARTTLS, `smtps://…` for TLS from the start, credentials in the
//! URL), or, with no server configured, into the log, so a fresh site still shows its sign-in
//! links somewhere.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

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
}

impl Mailer {
    /// Mail is written to the log instead of being sent.
    pub fn log() -> Mailer {
        Mailer { smtp: None }
    }

    /// Mail goes to the SMTP server at `url`.
    pub fn smtp(url: &str) -> Result<Mailer, SendError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| SendError::Invalid(format!("SMTP URL: {e}")))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        Ok(Mailer {
            smtp: Some(transport),
        })
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
            Ok(response) => Ok(format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            )),
            Err(err) if err.is_permanent() => Err(SendError::Permanent(err.to_string())),
            Err(err) if err.is_transient() => Err(SendError::Temporary(err.to_string())),
            Err(err) => Err(SendError::Unavailable(err.to_string())),
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
