use dateline_core::user::User;
use serde::Serialize;

use super::SiteContext;

/// Ghost's `author` object: a staff user's public profile. Email, role, password hash and
/// sign-in data stay out on purpose.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorView {
    pub id: String,
    pub name: String,
    pub slug: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cover_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facebook: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twitter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bluesky: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mastodon: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tiktok: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub youtube: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instagram: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linkedin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta_description: Option<String>,
    /// `{site}/author/{slug}/`.
    pub url: String,
}

impl AuthorView {
    pub fn new(user: &User, site: &SiteContext) -> Self {
        AuthorView {
            id: user.id.to_string(),
            name: user.name.clone(),
            slug: user.slug.clone(),
            profile_image: site.absolute(user.profile_image.as_deref()),
            cover_image: site.absolute(user.cover_image.as_deref()),
            bio: user.bio.clone(),
            website: user.website.clone(),
            location: user.location.clone(),
            facebook: user.facebook.clone(),
            twitter: user.twitter.clone(),
            threads: user.social.threads.clone(),
            bluesky: user.social.bluesky.clone(),
            mastodon: user.social.mastodon.clone(),
            tiktok: user.social.tiktok.clone(),
            youtube: user.social.youtube.clone(),
            instagram: user.social.instagram.clone(),
            linkedin: user.social.linkedin.clone(),
            meta_title: user.meta_title.clone(),
            meta_description: user.meta_description.clone(),
            url: site.author_url(&user.slug),
        }
    }
}
