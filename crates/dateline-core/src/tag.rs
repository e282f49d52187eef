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
