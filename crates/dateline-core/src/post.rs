//! Posts and pages. Ghost keeps both in one table told apart by `type`; so do we, because
//! imports, exports and the APIs all treat them as one shape with a flag.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::id::ObjectId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostType {
    Post,
    Page,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostStatus {
    Draft,
    Scheduled,
    Published,
    /// Sent as a newsletter only, never on the site (Ghost's "email only").
    Sent,
}

/// Who may read a post on the site. Ghost's values, kept as text because Ghost also allows a
/// tier filter (`visibility: tiers`) that later issues will model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Public,
    Members,
    Paid,
    Tiers,
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
        }
        impl std::str::FromStr for $ty {
            type Err = $crate::post::UnknownValue;
            fn from_str(text: &str) -> Result<Self, $crate::post::UnknownValue> {
                match text {
                    $($text => Ok($ty::$variant),)+
                    other => Err($crate::post::UnknownValue { kind: stringify!($ty), value: other.to_owned() }),
                }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

/// A stored enum column held a value this version does not know.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown {kind} `{value}`")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

text_enum!(PostType { Post => "post", Page => "page" });
text_enum!(PostStatus { Draft => "draft", Scheduled => "scheduled", Published => "published", Sent => "sent" });
text_enum!(Visibility { Public => "public", Members => "members", Paid => "paid", Tiers => "tiers" });

/// A dated note published with a story after it went out ("An earlier version of this article
/// misstated…"). Newsrooms must show these; Ghost has no place for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub id: ObjectId,
    pub note: String,
    pub created_at: Timestamp,
}

/// The document a client wrote a post in, when it sent one: Ghost's editor and migration tools
/// send Lexical, clients older than Ghost 5 send Mobiledoc. Dateline serves the HTML rendered
/// from it and edits Markdown, but keeps the document as given, so a client that reads the post
/// back gets the same document, until the body is edited in another form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceDocument {
    Lexical(String),
    Mobiledoc(String),
}

/// One post or page with every field Ghost keeps (posts and posts_meta) plus the newsroom
/// fields: `dateline`, `language` and `corrections`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub id: ObjectId,
    pub uuid: String,
    pub post_type: PostType,
    pub title: String,
    pub slug: String,
    /// The editable source. `None` only while a post's body exists as HTML alone.
    pub markdown: Option<String>,
    /// The rendered body as served: kept byte-for-byte from an import, re-rendered on edit.
    pub html: Option<String>,
    /// The Lexical or Mobiledoc document `html` was rendered from, as the client sent it.
    #[serde(default)]
    pub source: Option<SourceDocument>,
    pub plaintext: Option<String>,
    pub feature_image: Option<String>,
    pub feature_image_alt: Option<String>,
    /// HTML; where newsrooms put the photo credit.
    pub feature_image_caption: Option<String>,
    pub featured: bool,
    pub status: PostStatus,
    pub visibility: Visibility,
    /// BCP 47 tag (`en`, `ar`, `ckb`); decides text direction. Ghost calls it `locale`.
    pub language: Option<String>,
    /// Place name that leads the story, e.g. `ERBIL, Kurdistan Region of Iraq`.
    pub dateline: Option<String>,
    pub custom_excerpt: Option<String>,
    pub codeinjection_head: Option<String>,
    pub codeinjection_foot: Option<String>,
    pub custom_template: Option<String>,
    pub canonical_url: Option<String>,
    pub show_title_and_feature_image: bool,
    pub comment_id: Option<String>,
    pub email_recipient_filter: String,
    pub og_image: Option<String>,
    pub og_title: Option<String>,
    pub og_description: Option<String>,
    pub twitter_image: Option<String>,
    pub twitter_title: Option<String>,
    pub twitter_description: Option<String>,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub email_subject: Option<String>,
    pub email_only: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub published_at: Option<Timestamp>,
    /// Tag ids in order; the first public one is the primary tag (the section).
    pub tag_ids: Vec<ObjectId>,
    /// Author ids in order; the first is the primary author.
    pub author_ids: Vec<ObjectId>,
    pub corrections: Vec<Correction>,
}

impl Post {
    /// A new draft with Ghost's defaults, timestamped `now`.
    pub fn draft(post_type: PostType, title: &str, slug: &str, now: Timestamp) -> Self {
        let id = ObjectId::generate();
        Post {
            uuid: crate::id::new_uuid(),
            post_type,
            title: title.to_owned(),
            slug: slug.to_owned(),
            markdown: None,
            html: None,
            source: None,
            plaintext: None,
            feature_image: None,
            feature_image_alt: None,
            feature_image_caption: None,
            featured: false,
            status: PostStatus::Draft,
            visibility: Visibility::Public,
            language: None,
            dateline: None,
            custom_excerpt: None,
            codeinjection_head: None,
            codeinjection_foot: None,
            custom_template: None,
            canonical_url: None,
            show_title_and_feature_image: true,
            comment_id: Some(id.to_string()),
            email_recipient_filter: "all".to_owned(),
            og_image: None,
            og_title: None,
            og_description: None,
            twitter_image: None,
            twitter_title: None,
            twitter_description: None,
            meta_title: None,
            meta_description: None,
            email_subject: None,
            email_only: false,
            created_at: now,
            updated_at: now,
            published_at: None,
            tag_ids: Vec::new(),
            author_ids: Vec::new(),
            corrections: Vec::new(),
            id,
        }
    }

    /// The body as a Lexical document, as Ghost's Admin API and exports give it: the kept one,
    /// else the HTML in one HTML card. `None` for a Mobiledoc post, as Ghost gives a post in
    /// one format or the other, and for a post without a body.
    pub fn lexical(&self) -> Option<String> {
        match &self.source {
            Some(SourceDocument::Lexical(doc)) => Some(doc.clone()),
            Some(SourceDocument::Mobiledoc(_)) => None,
            None => self.html.as_deref().map(crate::lexical::html_card_document),
        }
    }

    /// The kept Mobiledoc document, for posts written in one.
    pub fn mobiledoc(&self) -> Option<&str> {
        match &self.source {
            Some(SourceDocument::Mobiledoc(doc)) => Some(doc),
            _ => None,
        }
    }

    pub fn is_live(&self) -> bool {
        self.status == PostStatus::Published
    }

    /// Ghost's `excerpt`: the custom excerpt, or the start of the plaintext.
    pub fn excerpt(&self) -> String {
        crate::excerpt::excerpt(
            self.custom_excerpt.as_deref(),
            self.plaintext.as_deref().unwrap_or(""),
        )
    }

    /// Minutes to read, as Ghost counts for Latin-script text and sensibly for every other
    /// script (Ghost says 0 for Arabic).
    pub fn reading_time(&self) -> u32 {
        crate::reading_time::reading_time_minutes(
            self.html.as_deref().unwrap_or(""),
            self.feature_image.is_some(),
        )
    }
}
