//! Ghost's JSON export format, read and written. Reading turns a file into core types and checks
//! it whole before anything touches the database; writing produces a file that both Dateline
//! and Ghost's own importer accept.
//!
//! Ghost stores absolute URLs with a `__GHOST_URL__` placeholder for the site's address; we keep
//! the placeholder as Ghost does and put the real address in at output time, so a site that
//! changes its domain needs no rewrite.

pub mod read;
pub mod write;

use dateline_core::id::ObjectId;
use dateline_core::post::Post;
use dateline_core::settings::Setting;
use dateline_core::tag::Tag;
use dateline_core::user::User;
use dateline_store::custom_theme_settings::CustomValue;
use dateline_store::labels::Label;
use dateline_store::members::Member;
use dateline_store::newsletters::Newsletter;
use dateline_store::tiers::Tier;

/// Settings that belong to one install (secrets, keys, caches) and must not travel: an import
/// skips them and an export leaves them out, so an export file never carries a password.
pub(crate) const INSTALL_SETTINGS: &[&str] = &[
    "db_hash",
    "active_theme",
    "admin_session_secret",
    "theme_session_secret",
    "members_public_key",
    "members_private_key",
    "members_email_auth_secret",
    "members_stripe_webhook_id",
    "members_stripe_webhook_secret",
    "ghost_public_key",
    "ghost_private_key",
    "stripe_secret_key",
    "stripe_connect_secret_key",
    "mailgun_api_key",
    // Dateline's own: the SMTP login of the mail settings page.
    "dateline_smtp_password",
];

/// A site as written to a Ghost export. (Reading gives a [`read::Export`], which builds posts
/// one at a time instead of holding them all.)
#[derive(Debug, Default)]
pub struct SiteData {
    pub users: Vec<User>,
    pub tags: Vec<Tag>,
    /// Posts and pages; `tag_ids` and `author_ids` refer to ids in `tags` and `users`.
    pub posts: Vec<Post>,
    pub settings: Vec<Setting>,
    pub membership: Membership,
}

/// The readers' side of a site: newsletters, tiers (Ghost's `products`), the values of themes'
/// custom settings, members and their labels. Small enough to hold whole, unlike posts.
#[derive(Debug, Default)]
pub struct Membership {
    pub newsletters: Vec<Newsletter>,
    pub tiers: Vec<Tier>,
    /// (theme, value) for each `custom_theme_settings` row.
    pub theme_settings: Vec<(String, CustomValue)>,
    pub labels: Vec<Label>,
    pub members: Vec<MemberRecord>,
}

impl Membership {
    pub fn record_count(&self) -> usize {
        self.newsletters.len()
            + self.tiers.len()
            + self.theme_settings.len()
            + self.labels.len()
            + self.members.len()
    }
}

/// A member with the ids (in the file's `newsletters` and `labels`) of what they subscribe to
/// and are labelled with, labels in their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    pub member: Member,
    pub newsletter_ids: Vec<ObjectId>,
    pub label_ids: Vec<ObjectId>,
}

/// A file that cannot be imported, with where in it the problem is.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    #[error("the file is not valid JSON ({0}); is it complete?")]
    Json(String),
    #[error(
        "this is not a Ghost export: expected {{\"db\":[{{\"meta\":…,\"data\":…}}]}} or {{\"meta\":…,\"data\":…}}"
    )]
    NotAnExport,
    #[error("`{table}` must be a list of records")]
    NotATable { table: String },
    #[error("{table}[{index}]{id}: field `{field}` {problem}", id = id.as_deref().map(|i| format!(" (id {i})")).unwrap_or_default())]
    Field {
        table: &'static str,
        index: usize,
        id: Option<String>,
        field: &'static str,
        problem: String,
    },
}
