//! Dateline's own SMTP connection for newsletter lanes, written for the one thing lettre's
//! connection cannot do: stop a transaction just before its final `.`.
//!
//! A server keeps a message only once it reads the `.` that ends its data; a connection that
//! drops before it takes the transaction with it. So a lane [`stage`](Connection::stage)s a
//! message (MAIL FROM, RCPT TO, DATA and the whole body), lets the queue write down that the
//! row is being handed over, and only then [`hand_over`](Connection::hand_over)s it by writing
//! the `.`. If the queue says no (the lease was lost, the send cancelled), the lane drops the
//! connection and nothing was delivered. The commands, the reply parser, the server's
//! extensions and the login's wording (AUTH PLAIN or LOGIN, whichever the server offers) are
//! lettre's; the wire and the dot-stuffing (lettre's codec is private) are here.
//!
//! Every newsletter lane uses it, whatever the server asks for: plain TCP (`TCP_NODELAY`), TLS
//! from the first byte, or STARTTLS (EHLO, STARTTLS, the TLS handshake, EHLO again; a server
//! that does not offer it is refused when it is required), and then a login if one is
//! configured. TLS is rustls with the roots of [`crate::trust::Trust`], as for lettre's pool.
//! A password goes out only inside TLS, unless the configuration says plain text on purpose
//! ([`Security::None`]). Anything that goes wrong before the first message (the greeting, TLS,
//! the login, a wrong password) is [`SendError::Unavailable`]: it says nothing about a
//! recipient, so no recipient is failed or marked bounced for it; the queue waits and retries.

mod wire;

use std::fmt::Display;
use std::str::FromStr;
use std::time::Duration;

use lettre::Address;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::commands::{Auth, Data, Ehlo, Mail, Noop, Quit, Rcpt, Starttls};
use lettre::transport::smtp::extension::{
    ClientId, Extension, MailBodyParameter, MailParameter, ServerInfo,
};
use lettre::transport::smtp::response::{Response, Severity};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::smtp_server::{Security, SmtpServer};
use crate::transport::SendError;
use crate::trust::Trust;
use wire::Wire;

/// A reply longer than this is not SMTP (Postfix's own limit on a response).
const MAX_REPLY: usize = 100_000;
/// The login mechanisms offered, in order of preference (lettre's default).
const MECHANISMS: &[Mechanism] = &[Mechanism::Plain, Mechanism::Login];
/// A server asking for more than this many rounds of a login is not logging anyone in.
const MAX_CHALLENGES: usize = 10;

/// Where and how a lane connects: a server's parameters, resolved once per mailer.
pub(crate) struct Endpoint {
    host: String,
    port: u16,
    /// As in force: [`SmtpServer::effective_security`].
    security: Security,
    credentials: Option<Credentials>,
    /// How long one step (connecting, TLS, a command and its reply, the body) may take.
    timeout: Duration,
    hello: ClientId,
    tls: TlsConnector,
}

impl Endpoint {
    pub(crate) fn new(
        server: &SmtpServer,
        hello: ClientId,
        trust: &Trust,
    ) -> Result<Endpoint, SendError> {
        Ok(Endpoint {
            host: server.host.clone(),
            port: server.port,
            security: server.effective_security(),
            credentials: server
                .has_login()
                .then(|| Credentials::new(server.user.clone(), server.password.clone())),
            timeout: server.timeout,
            hello,
            tls: trust.connector()?,
        })
    }

    /// The name the server's certificate must carry.
    fn server_name(&self) -> Result<ServerName<'static>, SendError> {
        ServerName::try_from(self.host.clone())
            .map_err(|e| SendError::Unavailable(format!("{}: {e}", self.host)))
    }

    /// `tcp` wrapped in TLS, the certificate checked against the host.
    async fn wrap(&self, tcp: TcpStream) -> Result<Wire, SendError> {
        let handshake = self.tls.connect(self.server_name()?, tcp);
        match tokio::time::timeout(self.timeout, handshake).await {
            Ok(Ok(tls)) => Ok(Wire::Tls(Box::new(tls))),
            Ok(Err(e)) => Err(SendError::Unavailable(format!("TLS: {e}"))),
            Err(e) => Err(SendError::Unavailable(format!("TLS: {e}"))),
        }
    }
}

/// An open connection to an SMTP server, greeted, introduced (EHLO), encrypted as configured
/// and signed in.
pub(crate) struct Connection {
    stream: BufReader<Wire>,
    server: ServerInfo,
    timeout: Duration,
    /// A write or a read failed: the connection cannot carry another message.
    broken: bool,
}

impl Connection {
    /// Connects to `endpoint` and gets it ready for a message; any failure, a refusal
    /// included, is [`SendError::Unavailable`] (see the module docs).
    pub(crate) async fn open(endpoint: &Endpoint) -> Result<Connection, SendError> {
        let addr = format!("{}:{}", endpoint.host, endpoint.port);
        Connection::establish(endpoint)
            .await
            .map_err(|err| match err {
                SendError::Unavailable(why)
                | SendError::Temporary(why)
                | SendError::Permanent(why)
                | SendError::Invalid(why) => SendError::Unavailable(format!("{addr}: {why}")),
            })
    }

    async fn establish(endpoint: &Endpoint) -> Result<Connection, SendError> {
        let unavailable = |e: &dyn Display| SendError::Unavailable(e.to_string());
        let addr = (endpoint.host.as_str(), endpoint.port);
        let tcp = tokio::time::timeout(endpoint.timeout, TcpStream::connect(addr))
            .await
            .map_err(|e| unavailable(&e))?
            .map_err(|e| unavailable(&e))?;
        // The `.` goes out in a write of its own; without NODELAY it waits for the server's
        // delayed ACK of the body, about 40 ms a message.
        tcp.set_nodelay(true).map_err(|e| unavailable(&e))?;
        let wire = match endpoint.security {
            Security::Tls => endpoint.wrap(tcp).await?,
            Security::StartTls | Security::Opportunistic | Security::None => Wire::Plain(tcp),
        };
        let mut conn = Connection::greeted(wire, endpoint).await?;
        let offers_starttls = conn.server.supports_feature(Extension::StartTls);
        match endpoint.security {
            Security::StartTls if !offers_starttls => {
                return Err(unavailable(
                    &"the server does not offer STARTTLS, which the configuration requires",
                ));
            }
            Security::StartTls | Security::Opportunistic if offers_starttls => {
                conn.command(Starttls).await?;
                // Anything after the server's go-ahead was sent in plain text and could have
                // been put there by someone in the middle (CVE-2011-0411): refuse it.
                if !conn.stream.buffer().is_empty() {
                    return Err(unavailable(&"the server spoke out of turn after STARTTLS"));
                }
                let Wire::Plain(tcp) = conn.stream.into_inner() else {
                    return Err(unavailable(&"STARTTLS on a connection already encrypted"));
                };
                let wire = endpoint.wrap(tcp).await?;
                // No second greeting after STARTTLS: straight to EHLO.
                conn = Connection::new(wire, endpoint);
                conn.introduce(endpoint).await?;
            }
            _ => {}
        }
        if let Some(credentials) = &endpoint.credentials {
            conn.log_in(credentials).await?;
        }
        Ok(conn)
    }

    fn new(wire: Wire, endpoint: &Endpoint) -> Connection {
        Connection {
            stream: BufReader::new(wire),
            server: ServerInfo::default(),
            timeout: endpoint.timeout,
            broken: false,
        }
    }

    /// Reads the server's greeting and introduces this client.
    async fn greeted(wire: Wire, endpoint: &Endpoint) -> Result<Connection, SendError> {
        let mut conn = Connection::new(wire, endpoint);
        conn.reply().await?;
        conn.introduce(endpoint).await?;
        Ok(conn)
    }

    /// EHLO, and what the server says it can do.
    async fn introduce(&mut self, endpoint: &Endpoint) -> Result<(), SendError> {
        let hello = self.command(Ehlo::new(endpoint.hello.clone())).await?;
        self.server = ServerInfo::from_response(&hello)
            .map_err(|e| SendError::Unavailable(format!("EHLO: {e}")))?;
        Ok(())
    }

    /// AUTH with the first of PLAIN and LOGIN the server offers, answering its challenges.
    async fn log_in(&mut self, credentials: &Credentials) -> Result<(), SendError> {
        let refused = |why: &dyn Display| SendError::Unavailable(format!("login refused: {why}"));
        let Some(mechanism) = self.server.get_auth_mechanism(MECHANISMS) else {
            return Err(refused(&format!(
                "the server offers no login this client speaks (PLAIN, LOGIN): {}",
                self.server
            )));
        };
        let first = Auth::new(mechanism, credentials.clone(), None).map_err(|e| refused(&e))?;
        let mut reply = self.command(first).await.map_err(|e| refused(&e))?;
        for _ in 0..MAX_CHALLENGES {
            if !reply.has_code(334) {
                return Ok(());
            }
            let next = Auth::new_from_response(mechanism, credentials.clone(), &reply)
                .map_err(|e| refused(&e))?;
            reply = self.command(next).await.map_err(|e| refused(&e))?;
        }
        Err(refused(&"too many challenges"))
    }

    /// Whether the server still answers (NOOP), for a connection that sat idle.
    pub(crate) async fn answers(&mut self) -> bool {
        self.command(Noop).await.is_ok()
    }

    /// Whether a write or a read failed (a refusal does not break a connection).
    pub(crate) fn is_broken(&self) -> bool {
        self.broken
    }

    /// Says goodbye; the reply does not matter.
    pub(crate) async fn quit(mut self) {
        if !self.broken {
            let _ = self.command(Quit).await;
        }
    }

    /// Opens a transaction and writes the whole message, all but the `.` that would end it.
    /// A refusal is [`SendError::Temporary`] or [`SendError::Permanent`]; either way nothing
    /// was delivered, and the connection should not carry another message.
    pub(crate) async fn stage(
        &mut self,
        envelope: &Envelope,
        body: &[u8],
    ) -> Result<(), SendError> {
        let mut options = Vec::new();
        let addresses = envelope.from().into_iter().chain(envelope.to());
        if addresses.map(AsRef::<str>::as_ref).any(|a| !a.is_ascii()) {
            if !self.server.supports_feature(Extension::SmtpUtfEight) {
                return Err(SendError::Invalid(
                    "an address is not ASCII and the server does not take SMTPUTF8".to_owned(),
                ));
            }
            options.push(MailParameter::SmtpUtfEight);
        }
        if !body.is_ascii() {
            if !self.server.supports_feature(Extension::EightBitMime) {
                return Err(SendError::Invalid(
                    "the message is not ASCII and the server does not take 8BITMIME".to_owned(),
                ));
            }
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        self.command(Mail::new(envelope.from().cloned(), options))
            .await?;
        for to in envelope.to() {
            self.command(Rcpt::new(Address::clone(to), Vec::new()))
                .await?;
        }
        self.command(Data).await?;
        self.write(&dot_stuffed(body)).await
    }

    /// Ends the staged transaction with its `.` and returns the server's reply. After the `.`
    /// is written the message is the server's: a reply that never comes (the connection
    /// drops, the server is slow) is a note in place of the reply, never a reason to send the
    /// message again.
    pub(crate) async fn hand_over(&mut self) -> Result<String, SendError> {
        if self.peer_left() {
            self.broken = true;
            return Err(SendError::Unavailable(
                "the server closed the connection before the end of the message".to_owned(),
            ));
        }
        self.write(b"\r\n.\r\n").await?;
        match self.reply().await {
            Ok(reply) => Ok(one_line(&reply)),
            Err(SendError::Unavailable(why)) => Ok(format!("handed over; no reply: {why}")),
            Err(refused) => Err(refused),
        }
    }

    /// Whether the server hung up (or spoke out of turn, as a `421` before closing) while the
    /// message waited for its `.`: the `.` would then go nowhere, and the row can be resent.
    fn peer_left(&mut self) -> bool {
        !self.stream.buffer().is_empty() || self.stream.get_mut().has_unread()
    }

    async fn command(&mut self, command: impl Display) -> Result<Response, SendError> {
        self.write(command.to_string().as_bytes()).await?;
        self.reply().await
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), SendError> {
        let stream = self.stream.get_mut();
        let written = match tokio::time::timeout(self.timeout, write_all(stream, bytes)).await {
            Ok(written) => written.map_err(|e| e.to_string()),
            Err(elapsed) => Err(elapsed.to_string()),
        };
        written.map_err(|why| {
            self.broken = true;
            SendError::Unavailable(why)
        })
    }

    /// Reads one reply, all its lines; a negative one becomes the error it means.
    async fn reply(&mut self) -> Result<Response, SendError> {
        let reply = self.read_reply().await;
        self.broken |= reply.is_err();
        let reply = reply?;
        // Worded as lettre words a refusal, so rows refused here and by lettre's pool read alike.
        let refusal = |kind: &str| {
            let text = reply.message().collect::<Vec<_>>().join(" ");
            format!("{kind} error ({}): {text}", reply.code())
        };
        match reply.code().severity {
            Severity::TransientNegativeCompletion => {
                Err(SendError::Temporary(refusal("transient")))
            }
            Severity::PermanentNegativeCompletion => {
                Err(SendError::Permanent(refusal("permanent")))
            }
            _ => Ok(reply),
        }
    }

    /// Reads one reply, all its lines; an error means no reply came.
    async fn read_reply(&mut self) -> Result<Response, SendError> {
        let unavailable = |e: &dyn Display| SendError::Unavailable(e.to_string());
        let mut text = String::new();
        loop {
            let read = tokio::time::timeout(self.timeout, self.stream.read_line(&mut text))
                .await
                .map_err(|e| unavailable(&e))?
                .map_err(|e| unavailable(&e))?;
            if read == 0 {
                return Err(unavailable(&"the server closed the connection"));
            }
            if text.len() > MAX_REPLY {
                return Err(unavailable(&"the server's reply is too long"));
            }
            // The last line of a reply has a space (or nothing) after its code, not a `-`.
            let line = text.lines().last().unwrap_or_default();
            if line.as_bytes().get(3) != Some(&b'-') {
                break;
            }
        }
        Response::from_str(&text).map_err(|e| unavailable(&format!("{e}: {}", text.trim_end())))
    }
}

/// Writes all of `bytes` and flushes them to the socket: under TLS a record can wait in
/// rustls's buffer, and a `.` that waits there was not handed over.
async fn write_all(stream: &mut Wire, bytes: &[u8]) -> std::io::Result<()> {
    stream.write_all(bytes).await?;
    stream.flush().await
}

/// A reply as kept with a recipient's row: `250 2.0.0 Ok: queued as …`.
pub(crate) fn one_line(reply: &Response) -> String {
    format!(
        "{} {}",
        reply.code(),
        reply.message().collect::<Vec<_>>().join(" ")
    )
}

/// The message as it travels in DATA: a line that starts with `.` gets another in front
/// (RFC 5321 §4.5.2), so no line of the message can end it early.
fn dot_stuffed(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 64);
    let mut line_start = true;
    for &b in body {
        if line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        line_start = b == b'\n';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::dot_stuffed;

    #[test]
    fn lines_that_start_with_a_dot_get_another() {
        assert_eq!(
            dot_stuffed(b".first\r\nmid.dle\r\n.\r\n..two\r\n"),
            b"..first\r\nmid.dle\r\n..\r\n...two\r\n"
        );
    }
}
