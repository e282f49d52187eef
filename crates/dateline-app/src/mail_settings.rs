//! The SMTP server as administrators set it in the admin: host, port, security, login, the
//! default sender and how fast newsletters go (lanes and rate, which otherwise come from the
//! serve flags), kept in the settings table so every node sharing the database uses the
//! same server. The keys are in Ghost's `core` group, which the Admin API never reads or
//! writes, so the password cannot leave through `GET /settings/`; it is never shown back
//! either (a form leaves it empty to keep it) and never logged.
//!
//! Saved settings are put in use at once on this node ([`crate::mailing::MailSetup`] swaps its
//! mailers) and, through the change relay, on the others. A server given at start
//! (`DATELINE_SMTP_URL` and friends) is pinned and wins: the settings are then only shown.

use std::time::Duration;

use dateline_core::role::Role;
use dateline_core::settings::{Setting, Settings};
/// How the form names the connection's security; callers build [`MailSettingsInput`] with it.
pub use dateline_mail::Security;
use dateline_mail::{Mailer, SendError, SmtpServer};

use crate::admin::Actor;
use crate::mailing::{Pace, Stored};
use crate::{App, AppError, ContentChanged, Result};

const HOST: &str = "dateline_smtp_host";
const PORT: &str = "dateline_smtp_port";
const SECURITY: &str = "dateline_smtp_security";
const USER: &str = "dateline_smtp_user";
const PASSWORD: &str = "dateline_smtp_password";
const SENDER: &str = "dateline_mail_from";
const CONCURRENCY: &str = "dateline_mail_concurrency";
const RATE: &str = "dateline_mail_rate";

/// The most newsletter lanes a page may ask for: each is an SMTP connection.
pub const MAX_CONCURRENCY: usize = 64;

/// How long a connection step may take: short enough that a test message to a wrong host
/// answers the person waiting at the form well within a request's time.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The stored SMTP settings as the admin shows them: no password, only whether one is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// Empty when no server is set (mail is logged).
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: String,
    pub has_password: bool,
    pub default_sender: Option<String>,
    /// Newsletter messages in flight at once, and at most this many a second (`None`: no
    /// limit); what is in use, from the page or else from the serve flags.
    pub concurrency: usize,
    pub rate_per_second: Option<u32>,
}

/// What an administrator saves. `password: None` keeps the stored one.
#[derive(Debug, Clone)]
pub struct MailSettingsInput {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: String,
    pub password: Option<String>,
    pub default_sender: Option<String>,
    pub concurrency: usize,
    pub rate_per_second: Option<u32>,
}

/// `starttls`, `opportunistic`, `tls` or `none`, as stored and as the form sends it.
pub fn security_name(security: Security) -> &'static str {
    match security {
        Security::StartTls => "starttls",
        Security::Opportunistic => "opportunistic",
        Security::Tls => "tls",
        Security::None => "none",
    }
}

pub fn parse_security(name: &str) -> Option<Security> {
    match name {
        "starttls" => Some(Security::StartTls),
        "opportunistic" => Some(Security::Opportunistic),
        "tls" => Some(Security::Tls),
        "none" => Some(Security::None),
        _ => None,
    }
}

/// The stored settings and the password (never leaves this module but into a mailer), with
/// the pace they set, if they set one; `defaults` fill a pace never saved.
fn read(settings: &Settings, defaults: Pace) -> (MailSettings, String, Option<Pace>) {
    let text = |key: &str| settings.get(key).unwrap_or("").trim().to_owned();
    let security = parse_security(&text(SECURITY)).unwrap_or(Security::StartTls);
    let port = text(PORT).parse().unwrap_or(match security {
        Security::Tls => 465,
        Security::StartTls | Security::Opportunistic => 587,
        Security::None => 25,
    });
    let password = settings.get(PASSWORD).unwrap_or("").to_owned();
    let pace = text(CONCURRENCY)
        .parse::<usize>()
        .ok()
        .map(|concurrency| Pace {
            concurrency: concurrency.clamp(1, MAX_CONCURRENCY),
            rate_per_second: text(RATE).parse().ok().filter(|r| *r > 0),
        });
    let shown = pace.unwrap_or(defaults);
    let view = MailSettings {
        host: text(HOST),
        port,
        security,
        user: text(USER),
        has_password: !password.is_empty(),
        default_sender: Some(text(SENDER)).filter(|s| !s.is_empty()),
        concurrency: shown.concurrency,
        rate_per_second: shown.rate_per_second,
    };
    (view, password, pace)
}

impl App {
    /// The stored SMTP settings, for administrators.
    pub async fn mail_settings(&self, actor: &Actor) -> Result<MailSettings> {
        actor.require(Role::Administrator)?;
        Ok(read(&self.settings().await?, self.flag_pace()).0)
    }

    /// The pace the server was started with (`--mail-concurrency`, `--mail-rate`).
    fn flag_pace(&self) -> Pace {
        Pace {
            concurrency: self.mail.delivery.concurrency,
            rate_per_second: self.mail.delivery.rate_per_second,
        }
    }

    /// Stores the SMTP settings and puts them in use here and (through the change relay) on
    /// every node. An empty host removes the server: mail is logged again.
    pub async fn save_mail_settings(
        &self,
        actor: &Actor,
        input: MailSettingsInput,
    ) -> Result<MailSettings> {
        actor.require(Role::Administrator)?;
        if self.mail.pinned().is_some() {
            return Err(AppError::Conflict {
                record: "mail settings".to_owned(),
                reason: "the server's configuration (DATELINE_SMTP_URL) sets the SMTP server"
                    .to_owned(),
            });
        }
        let host = input.host.trim();
        if host.contains(['/', ' ', '@', ':']) {
            return Err(AppError::invalid(
                "host",
                format!("“{host}” is not a host name; type only the name, like smtp.example.com"),
            ));
        }
        if input.port == 0 {
            return Err(AppError::invalid(
                "port",
                "the port must be between 1 and 65535",
            ));
        }
        let sender = match input.default_sender.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => Some(crate::setup::validate_email(s)?),
            _ => None,
        };
        if !(1..=MAX_CONCURRENCY).contains(&input.concurrency) {
            return Err(AppError::invalid(
                "concurrency",
                format!("the messages in flight must be between 1 and {MAX_CONCURRENCY}"),
            ));
        }
        let mut changes = vec![
            (HOST, host.to_owned()),
            (PORT, input.port.to_string()),
            (SECURITY, security_name(input.security).to_owned()),
            (USER, input.user.trim().to_owned()),
            (SENDER, sender.unwrap_or_default()),
            (CONCURRENCY, input.concurrency.to_string()),
            (
                RATE,
                input
                    .rate_per_second
                    .filter(|r| *r > 0)
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
            ),
        ];
        if let Some(password) = input.password.filter(|p| !p.is_empty()) {
            changes.push((PASSWORD, password));
        }
        if input.user.trim().is_empty() {
            // No login, no password to keep.
            changes.push((PASSWORD, String::new()));
        }
        let now = dateline_core::time::now();
        let mut tx = self.store.begin().await?;
        for (key, value) in changes {
            let setting = Setting {
                key: key.to_owned(),
                value: Some(value),
                group: "core".to_owned(),
                value_type: "string".to_owned(),
                flags: None,
            };
            dateline_store::settings::upsert(&mut tx, &setting, now).await?;
        }
        tx.commit().await?;
        self.load_mail_settings().await?;
        // Other nodes hear of it through the change relay and reload theirs.
        self.events.emit(ContentChanged::Everything);
        self.mail_settings(actor).await
    }

    /// Puts the stored SMTP settings in use (at start, after a save, and when another node
    /// announces a change). Settings that did not change keep the open connections.
    pub async fn load_mail_settings(&self) -> Result<()> {
        let (view, password, pace) = read(&self.settings().await?, self.flag_pace());
        let fingerprint = format!(
            "{}\n{}\n{}\n{}\n{}",
            view.host,
            view.port,
            security_name(view.security),
            view.user,
            crate::sessions::token_hash(&password),
        );
        let server = if view.host.is_empty() {
            None
        } else {
            let server = SmtpServer {
                host: view.host.clone(),
                port: view.port,
                security: view.security,
                user: view.user.clone(),
                password,
                timeout: TIMEOUT,
            };
            let trust = self.mail.trust();
            match (
                Mailer::server(&server, trust),
                Mailer::server(&server, trust),
            ) {
                (Ok(transactional), Ok(newsletters)) => Some((transactional, newsletters)),
                (Err(err), _) | (_, Err(err)) => {
                    tracing::error!(host = %view.host, error = %err, "the stored SMTP settings are not usable; mail is logged");
                    None
                }
            }
        };
        self.mail.replace(Stored {
            server,
            default_sender: view.default_sender,
            pace,
            fingerprint,
        });
        Ok(())
    }

    /// Sends a short test message to `to` through the server in use. `Ok(Ok(reply))` is the
    /// server's acceptance; `Ok(Err(why))` says in plain words why it failed.
    pub async fn send_test_email(
        &self,
        actor: &Actor,
        site_url: &str,
        to: &str,
    ) -> Result<std::result::Result<String, String>> {
        actor.require(Role::Administrator)?;
        let to = crate::setup::validate_email(to)?;
        let site = self.settings().await?;
        let mail = dateline_mail::Email {
            from_name: Some(site.title().to_owned()),
            from_address: self.mail.sender_address(site_url),
            reply_to: None,
            to,
            subject: format!("Test message from {}", site.title()),
            text: format!(
                "This is a test message from {} ({site_url}). If you can read it, the mail \
                 settings work.",
                site.title()
            ),
            html: format!(
                "<p>This is a test message from <a href=\"{site_url}\">{site_url}</a>. If you \
                 can read it, the mail settings work.</p>"
            ),
            message_id: None,
            unsubscribe_url: None,
        };
        Ok(self.send_now(&mail).await)
    }

    /// Sends `mail` at once through the transactional server (not the newsletter queue), as
    /// the tests from the admin do: the server's acceptance, or why it refused in plain words.
    pub(crate) async fn send_now(
        &self,
        mail: &dateline_mail::Email,
    ) -> std::result::Result<String, String> {
        self.mail
            .transactional()
            .send(mail)
            .await
            .map_err(|e| explain(&e))
    }
}

/// An SMTP failure in words for the person at the form, with the server's own reply.
pub fn explain(err: &SendError) -> String {
    match err {
        SendError::Unavailable(reply) => format!(
            "The mail server could not be reached: check the host, the port and the \
             security setting. The connection said: {reply}"
        ),
        SendError::Permanent(reply) => format!(
            "The mail server refused the message (check the user name, the password and \
             the sender address). It said: {reply}"
        ),
        SendError::Temporary(reply) => {
            format!("The mail server asked to try again later. It said: {reply}")
        }
        SendError::Invalid(reply) => format!("The message could not be built: {reply}"),
    }
}
