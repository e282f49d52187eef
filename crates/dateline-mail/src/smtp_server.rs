//! The SMTP server's parameters, given either way Dateline is told them: field by field (the
//! admin's mail settings, [`SmtpServer`]) or as a URL (`DATELINE_SMTP_URL`, read here the way
//! lettre's `from_url` reads one). Both end up as the same parameters, which lettre's pool
//! (transactional mail) and the newsletter lanes' own connections share.
//!
//! | URL | security | default port |
//! |---|---|---|
//! | `smtp://host:port` | [`Security::None`] | 25 |
//! | `smtp://user:pass@host:port?tls=required` | [`Security::StartTls`] | 587 |
//! | `smtp://…?tls=opportunistic` | [`Security::Opportunistic`] | 587 |
//! | `smtps://user:pass@host:port` | [`Security::Tls`] | 465 |
//!
//! Credentials come from the URL's user and password (percent-decoded) and are used only when
//! a password is given; a path (`smtp://host/name`) is the name said in EHLO.

use std::time::Duration;

use lettre::transport::smtp::extension::ClientId;

use crate::transport::SendError;

/// How the connection to an SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// STARTTLS on a plain port (587), required: a server that does not offer it is refused.
    StartTls,
    /// STARTTLS when the server offers it, plain text otherwise (`?tls=opportunistic`, as
    /// lettre reads it). With a login it is [`Security::StartTls`]: a password never goes out
    /// in plain text because a server (or someone in the middle) left STARTTLS out.
    Opportunistic,
    /// TLS from the first byte (465).
    Tls,
    /// Plain text, for a relay on the same machine or network. A login, if configured, is
    /// sent in plain text too: this is chosen on purpose (as lettre's `builder_dangerous` with
    /// credentials does).
    None,
}

/// An SMTP server given field by field (the admin's mail settings).
#[derive(Debug, Clone)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Empty for a server that takes mail without signing in.
    pub user: String,
    pub password: String,
    /// How long one step (connect, a command's reply) may take.
    pub timeout: Duration,
}

/// How long a step may take when the URL does not say (it cannot).
const URL_TIMEOUT: Duration = Duration::from_secs(30);

impl SmtpServer {
    /// Whether to sign in.
    pub(crate) fn has_login(&self) -> bool {
        !self.user.is_empty()
    }

    /// The security in force: [`Security::Opportunistic`] with a login is required STARTTLS.
    pub(crate) fn effective_security(&self) -> Security {
        match self.security {
            Security::Opportunistic if self.has_login() => Security::StartTls,
            security => security,
        }
    }

    /// Reads a server URL (see the module docs) into its parameters and the EHLO name.
    pub(crate) fn from_url(text: &str) -> Result<(SmtpServer, ClientId), SendError> {
        let invalid = |why: &dyn std::fmt::Display| SendError::Invalid(format!("SMTP URL: {why}"));
        let url = url::Url::parse(text).map_err(|e| invalid(&e))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| invalid(&"no host"))?;
        // `Url` keeps an IPv6 host in brackets; a socket address and a TLS name want it bare.
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::None, 25),
            ("smtp", Some("required")) => (Security::StartTls, 587),
            ("smtp", Some("opportunistic")) => (Security::Opportunistic, 587),
            ("smtps", _) => (Security::Tls, 465),
            (scheme, tls) => {
                return Err(invalid(&format!(
                    "unknown scheme `{scheme}` or tls parameter `{}` (smtp://, \
                     smtp://…?tls=required, smtp://…?tls=opportunistic or smtps://)",
                    tls.unwrap_or_default()
                )));
            }
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|e| invalid(&e))
        };
        let (user, password) = match url.password() {
            Some(password) => (decode(url.username())?, decode(password)?),
            None => (String::new(), String::new()),
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        let server = SmtpServer {
            host,
            port: url.port().unwrap_or(default_port),
            security,
            user,
            password,
            timeout: URL_TIMEOUT,
        };
        Ok((server, hello))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> SmtpServer {
        SmtpServer::from_url(url).unwrap().0
    }

    #[test]
    fn urls_read_as_lettre_reads_them() {
        let plain = parse("smtp://relay.local");
        assert_eq!((plain.port, plain.security), (25, Security::None));
        assert!(!plain.has_login());

        let starttls = parse("smtp://desk%40news.example:p%3Ass@mx.example?tls=required");
        assert_eq!(
            (starttls.port, starttls.security),
            (587, Security::StartTls)
        );
        assert_eq!(
            (starttls.user.as_str(), starttls.password.as_str()),
            ("desk@news.example", "p:ss")
        );

        let tls = parse("smtps://u:p@mx.example:2465");
        assert_eq!((tls.port, tls.security), (2465, Security::Tls));

        let (_, hello) = SmtpServer::from_url("smtp://mx.example/desk.example").unwrap();
        assert_eq!(hello, ClientId::Domain("desk.example".into()));

        // A user without a password is no login, as with lettre.
        assert!(!parse("smtp://someone@mx.example").has_login());
        assert_eq!(parse("smtp://[::1]:2525").host, "::1");

        for bad in [
            "http://mx.example",
            "smtp://mx.example?tls=maybe",
            "smtp://",
        ] {
            assert!(
                matches!(SmtpServer::from_url(bad), Err(SendError::Invalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn opportunistic_with_a_login_requires_starttls() {
        let anonymous = parse("smtp://mx.example?tls=opportunistic");
        assert_eq!(anonymous.effective_security(), Security::Opportunistic);
        let login = parse("smtp://u:p@mx.example?tls=opportunistic");
        assert_eq!(login.effective_security(), Security::StartTls);
        let plain = parse("smtp://u:p@mx.example");
        assert_eq!(plain.effective_security(), Security::None);
    }
}
