//! The domain of Dateline, with no I/O: what a post, a tag, a staff user and the site settings
//! are, and the pure rules that derive one field from another (slugs, reading time, Markdown to
//! HTML, plaintext, excerpts, sanitising, Ghost's Lexical and Mobiledoc documents to HTML).
//!
//! Every other crate speaks these types. Keeping them free of I/O lets the store, the importer,
//! the API and the theme agree on one meaning of "a post" and lets the rules be tested alone.

pub mod id;
pub mod post;
pub mod role;
pub mod routes;
pub mod settings;
pub mod tag;
pub mod time;
pub mod user;

// Pure rules that derive one field from another.
pub mod access;
pub mod body;
pub mod excerpt;
pub mod lexical;
pub mod markdown;
pub mod mobiledoc;
pub mod nql;
pub mod outbound_links;
pub mod permalink;
pub mod plaintext;
pub mod reading_time;
pub mod sanitize;
pub mod slug;
