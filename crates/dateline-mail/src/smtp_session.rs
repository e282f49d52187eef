//! Dateline's own SMTP connection for newsletter lanes, written for the one thing lettre's
//! connection cannot do: stop a transaction just before its final `.`.
//!
//! A server keeps a message only once it reads the `.` that ends its data; a connection that
//! drops before it takes the transaction with it. So a lane [`stage`](Connection::stage)s a
//! message (MAIL FROM, RCPT TO, DATA and the whole body), lets the queue write down that the
//! row is being handed over, and only then [`hand_over`](Connection::hand_over)s it by writing
//! the `.`. If the queue says no (the lease was lost, the send cancelled), the lane drops the
//! connection and nothing was delivered. The commands, the reply parser and the server's
//! extensions are lettre's; the wire and the dot-stuffing (lettre's codec is private) are here.
//! Plain TCP only, with `TCP_NODELAY`: this is the path to a local relay; servers that need TLS
//! or a login go through lettre's pool (see [`crate::transport::Session`]).

use std::fmt::Display;
use std::str::FromStr;
use std::time::Duration;

use lettre::Address;
use lettre::address::Envelope;
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Noop, Quit, Rcpt};
use lettre::transport::smtp::extension::{
    ClientId, Extension, MailBodyParameter, MailParameter, ServerInfo,
};
use lettre::transport::smtp::response::{Response, Severity};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::transport::SendError;

/// How long one step (connecting, a command and its reply, the body) may take.
const STEP: Duration = Duration::from_secs(30);
/// A reply longer than this is not SMTP (Postfix's own limit on a response).
const MAX_REPLY: usize = 100_000;

/// An open connection to a plain SMTP server, greeted and introduced (EHLO).
pub(crate) struct Connection {
    stream: BufReader<TcpStream>,
    server: ServerInfo,
    /// A write or a read failed: the connection cannot carry another message.
    broken: bool,
}

impl Connection {
    /// Connects to `addr` (`host:port`); any failure is [`SendError::Unavailable`].
    pub(crate) async fn open(addr: &str) -> Result<Connection, SendError> {
        let unavailable = |e: &dyn Display| SendError::Unavailable(format!("{addr}: {e}"));
        let stream = tokio::time::timeout(STEP, TcpStream::connect(addr))
            .await
            .map_err(|e| unavailable(&e))?
            .map_err(|e| unavailable(&e))?;
        // The `.` goes out in a write of its own; without NODELAY it waits for the server's
        // delayed ACK of the body, about 40 ms a message.
        stream.set_nodelay(true).map_err(|e| unavailable(&e))?;
        let mut conn = Connection {
            stream: BufReader::new(stream),
            server: ServerInfo::default(),
            broken: false,
        };
        conn.reply().await?;
        let hello = conn.command(Ehlo::new(ClientId::default())).await?;
        conn.server = ServerInfo::from_response(&hello).map_err(|e| unavailable(&e))?;
        Ok(conn)
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
        if !self.stream.buffer().is_empty() {
            return true;
        }
        let mut byte = [0u8; 1];
        match self.stream.get_ref().try_read(&mut byte) {
            Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
            Ok(_) => true,
        }
    }

    async fn command(&mut self, command: impl Display) -> Result<Response, SendError> {
        self.write(command.to_string().as_bytes()).await?;
        self.reply().await
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), SendError> {
        let stream = self.stream.get_mut();
        let written = match tokio::time::timeout(STEP, stream.write_all(bytes)).await {
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
            let read = tokio::time::timeout(STEP, self.stream.read_line(&mut text))
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
