//! Tags. The first public tag of a post is its section; tags whose name starts with `#` are
//! internal (Ghost's rule) and never shown to readers.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::id::ObjectId;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub id: ObjectId,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub feature_image: Option<String>,
    pub parent_id: Option<ObjectId>,
    pub visibility: TagVisibility,
    pub og_image: Option<String>,
    pub og_title: Option<String>,
    pub og_description: Option<String>,
    pub twitter_image: Option<String>,
    pub twitter_title: Option<String>,
    pub twitter_description: Option<String>,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub codeinjection_head: Option<String>,
    pub codeinjection_foot: Option<String>,
    pub canonical_url: Option<String>,
    pub accent_color: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Tag {
    /// A tag with only a name (and perhaps a wanted slug; the store makes it unique), its
    /// visibility following Ghost's `#` rule. What the admin creates when a story names a new
    /// tag, and what tests build.
    pub fn named(name: &str, slug: &str, now: Timestamp) -> Tag {
        Tag {
            id: ObjectId::generate(),
            name: name.to_owned(),
            slug: slug.to_owned(),
            description: None,
            feature_image: None,
            parent_id: None,
            visibility: TagVisibility::for_name(name),
            og_image: None,
            og_title: None,
            og_description: None,
            twitter_image: None,
            twitter_title: None,
            twitter_description: None,
            meta_title: None,
            meta_description: None,
            codeinjection_head: None,
            codeinjection_foot: None,
            canonical_url: None,
            accent_color: None,
            created_at: now,
            updated_at: now,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TagVisibility {
    Public,
    Internal,
}

crate::post::text_enum!(TagVisibility { Public => "public", Internal => "internal" });

impl TagVisibility {
    /// Ghost's rule: a tag named `#something` is internal.
    pub fn for_name(name: &str) -> Self {
        if name.starts_with('#') {
            TagVisibility::Internal
        } else {
            TagVisibility::Public
        }
    }
}
