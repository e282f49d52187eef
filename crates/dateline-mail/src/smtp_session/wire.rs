//! The bytes under an SMTP connection: a TCP stream, in plain text or wrapped in TLS (from the
//! first byte, or after STARTTLS), and the one question the queue asks of it without reading:
//! has the server said something, or hung up, while nothing was asked of it?

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// A connection's stream, plain or TLS.
pub(super) enum Wire {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Wire {
    /// Whether the server has sent anything (a reply out of turn, a TLS alert, the end of the
    /// stream) that nobody has read, or the socket failed. Never waits and consumes nothing:
    /// it peeks at the socket, and under TLS first lets rustls look at what it already holds.
    pub(super) fn has_unread(&mut self) -> bool {
        let tcp = match self {
            Wire::Plain(tcp) => &*tcp,
            Wire::Tls(tls) => {
                let (tcp, session) = tls.get_mut();
                match session.process_new_packets() {
                    Ok(state) if state.plaintext_bytes_to_read() > 0 || state.peer_has_closed() => {
                        return true;
                    }
                    Ok(_) => &*tcp,
                    Err(_) => return true,
                }
            }
        };
        let mut byte = [0u8; 1];
        let mut buf = ReadBuf::new(&mut byte);
        // A waker that does nothing: this is a look, not a wait; the next real read registers
        // its own.
        let mut cx = Context::from_waker(Waker::noop());
        // A byte, the end of the stream and an error all mean the server is not waiting for
        // the rest of the message.
        tcp.poll_peek(&mut cx, &mut buf).is_ready()
    }
}

impl AsyncRead for Wire {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Wire::Plain(tcp) => Pin::new(tcp).poll_read(cx, buf),
            Wire::Tls(tls) => Pin::new(tls.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Wire {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Wire::Plain(tcp) => Pin::new(tcp).poll_write(cx, buf),
            Wire::Tls(tls) => Pin::new(tls.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Wire::Plain(tcp) => Pin::new(tcp).poll_flush(cx),
            Wire::Tls(tls) => Pin::new(tls.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Wire::Plain(tcp) => Pin::new(tcp).poll_shutdown(cx),
            Wire::Tls(tls) => Pin::new(tls.as_mut()).poll_shutdown(cx),
        }
    }
}
