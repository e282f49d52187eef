//! Dateline's use cases: what the site does, independent of how it is asked (HTTP, CLI, jobs).
//! Each use case owns its transaction boundary: it opens one write transaction, does all of its
//! work in it and commits, so a failure or a crash half-way leaves the database as it was. After
//! a commit it announces what changed as an [`events::ContentChanged`], for the page cache,
//! feeds and search to react to.

pub mod admin;
pub mod api_keys;
pub mod auth;
pub mod brand_images;
pub mod content;
pub mod editorial;
pub mod error;
pub mod events;
pub mod export;
pub mod first_run;
pub mod frontend_key;
pub mod ghost_json;
pub mod images;
pub mod import;
pub mod integration;
pub mod invitations;
pub mod labels;
mod listing_counts;
pub mod login_throttle;
pub mod mail_settings;
pub mod mailing;
pub mod member_csv;
pub mod member_deliveries;
pub mod member_newsletters;
pub mod members;
pub mod newsletter_sends;
pub mod newsletters;
pub mod password;
pub mod password_reset;
pub mod post_rights;
mod public_newsletters;
pub mod relay;
pub mod review;
pub mod revisions;
pub mod routes_yaml;
pub mod scheduler;
pub mod sessions;
pub mod setup;
pub mod site;
pub mod themes;
pub mod tiers;
mod unique_slug;
pub mod webhooks;

use dateline_store::Store;

pub use error::AppError;
pub use events::{ContentChanged, Events};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Everything a use case needs, cheap to clone into handlers and background tasks.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub events: Events,
    /// Where mail goes (logged until an SMTP server is configured) and the send queue's timing.
    pub mail: mailing::MailSetup,
    /// Failed password sign-ins, per account and per address (see [`login_throttle`]).
    pub login_throttle: login_throttle::LoginThrottle,
    /// Password reset requests, per typed address and per client address: the login
    /// limiter's type with a budget of its own (see [`password_reset`]).
    pub reset_throttle: login_throttle::LoginThrottle,
    /// Webhook deliveries: how payloads are shaped and how the queue behaves.
    pub webhooks: webhooks::WebhookSetup,
    /// The frontend Content API key once read (see [`frontend_key`]): it never changes, and
    /// every page render prints it.
    frontend_key: std::sync::Arc<tokio::sync::OnceCell<String>>,
    /// Counts of public post listings for the current content generation.
    listing_counts: std::sync::Arc<listing_counts::ListingCounts>,
}

impl App {
    pub fn new(store: Store) -> Self {
        App {
            login_throttle: login_throttle::LoginThrottle::new(store.clone(), "login"),
            reset_throttle: login_throttle::LoginThrottle::new(store.clone(), "reset"),
            store,
            events: Events::new(),
            mail: mailing::MailSetup::log(),
            webhooks: webhooks::WebhookSetup::default(),
            frontend_key: Default::default(),
            listing_counts: Default::default(),
        }
    }

    /// The same app sending mail through `mail`.
    pub fn with_mail(mut self, mail: mailing::MailSetup) -> Self {
        self.mail = mail;
        self
    }
}
