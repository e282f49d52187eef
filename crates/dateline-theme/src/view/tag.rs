use dateline_core::tag::{Tag, TagVisibility};
use serde::Serialize;

use super::SiteContext;

/// Ghost's `tag` object.
#[derive(Debug, Clone, Serialize)]
pub struct TagView {
    pub id: String,
    pub name: String,
    pub slug: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_image: Option<String>,
    /// `public` or `internal`; `foreach` hides internal tags by default, as in Ghost.
    pub visibility: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub og_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub og_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub og_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twitter_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twitter_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twitter_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codeinjection_head: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codeinjection_foot: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accent_color: Option<String>,
    /// `{site}/tag/{slug}/`; internal tags have no archive, so Ghost points them at `/404/`.
    pub url: String,
}

impl TagView {
    pub fn new(tag: &Tag, site: &SiteContext) -> Self {
        let url = match tag.visibility {
            TagVisibility::Public => site.tag_url(&tag.slug),
            TagVisibility::Internal => site.not_found_url(),
        };
        TagView {
            id: tag.id.to_string(),
            name: tag.name.clone(),
            slug: tag.slug.clone(),
            description: tag.description.clone(),
            feature_image: site.absolute(tag.feature_image.as_deref()),
            visibility: tag.visibility.as_str(),
            meta_title: tag.meta_title.clone(),
            meta_description: tag.meta_description.clone(),
            og_image: site.absolute(tag.og_image.as_deref()),
            og_title: tag.og_title.clone(),
            og_description: tag.og_description.clone(),
            twitter_image: site.absolute(tag.twitter_image.as_deref()),
            twitter_title: tag.twitter_title.clone(),
            twitter_description: tag.twitter_description.clone(),
            codeinjection_head: tag.codeinjection_head.clone(),
            codeinjection_foot: tag.codeinjection_foot.clone(),
            canonical_url: site.absolute(tag.canonical_url.as_deref()),
            accent_color: tag.accent_color.clone(),
            url,
        }
    }

    pub fn is_public(&self) -> bool {
        self.visibility == TagVisibility::Public.as_str()
    }
}
