//! Ghost's JSON export format, read and written. Reading turns a file into core types and checks
//! it whole before anything touches the database; writing produces a file that both Dateline
//! and Ghost's own importer accept.
//!
//! Ghost stores absolute URLs with a `__GHOST_URL__` placeholder for the site's address; we keep
//! the placeholder as Ghost does and put the real address in at output time, so a site that
//! changes its domain needs no rewrite.

pub mod read;
pub mod write;

use dateline_core::post::Post;
use dateline_core::settings::Setting;
use dateline_core::tag::Tag;
use dateline_core::user::User;

/// A site as read from (or written to) a Ghost export.
#[derive(Debug, Default)]
pub struct SiteData {
    /// Ghost version that wrote the file, from `meta.version`.
    pub version: Option<String>,
    pub users: Vec<User>,
    pub tags: Vec<Tag>,
    /// Posts and pages; `tag_ids` and `author_ids` refer to ids in `tags` and `users`.
    pub posts: Vec<Post>,
    pub settings: Vec<Setting>,
    /// What was left out and why (links to records the file does not contain).
    pub warnings: Vec<String>,
}

impl SiteData {
    /// Records to write, for progress bars.
    pub fn record_count(&self) -> u64 {
        (self.users.len() + self.tags.len() + self.posts.len() + self.settings.len()) as u64
    }
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
