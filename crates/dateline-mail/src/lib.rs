//! Dateline's email: the built-in templates (`templates/<name>/{subject,body.txt,body.html}`,
//! Handlebars) rendered into a subject, a plain-text part and an HTML part whose CSS is inlined
//! (mail clients drop `<style>`), the SMTP transport (or a log when no server is configured),
//! and the keyed tokens that make unsubscribe links unforgeable. It knows nothing of the
//! database: `dateline-app` decides who gets what and records what happened.

pub mod smtp_server;
pub mod smtp_session;
pub mod templates;
pub mod transport;
pub mod trust;
pub mod unsubscribe;

pub use smtp_server::{Security, SmtpServer};
pub use templates::{Rendered, TemplateError, render};
pub use transport::{Email, Mailer, SendError};
pub use trust::Trust;
