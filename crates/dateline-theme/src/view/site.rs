use std::sync::Arc;

use dateline_core::access::Reader;
use dateline_core::nql::PostRecord;
use dateline_core::routes::SiteRoutes;
use dateline_core::settings::Settings;
use dateline_core::settings::public::public;
use dateline_core::slug::slugify;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::MemberView;
use crate::site_url::SiteUrl;
use crate::text_direction::TextDirection;

/// What every view model needs to know about the site: its settings, its public URL, its
/// timezone and, when the caller has an image store, the pixel sizes of its own images.
/// Built once when settings change and shared by every render.
#[derive(Debug, Clone)]
pub struct SiteContext {
    settings: Settings,
    url: SiteUrl,
    timezone: TimeZone,
    images: ImageSizer,
    /// The active `routes.yaml`, which decides every post's and archive's address.
    routes: Arc<SiteRoutes>,
    /// The site's frontend Content API key, for `{{content_api_key}}`.
    content_api_key: Option<String>,
    /// The signed-in member the page is for; `None` for anonymous readers, feeds and APIs.
    member: Option<MemberView>,
    reader: Reader,
}

impl SiteContext {
    /// `url` is the public address readers use (`https://example.com`, or with a subdirectory).
    /// An unknown timezone setting falls back to UTC with a warning: a typo in a setting must
    /// not take the site down.
    pub fn new(settings: Settings, url: &str) -> Self {
        let timezone = TimeZone::get(settings.timezone()).unwrap_or_else(|err| {
            tracing::warn!(timezone = settings.timezone(), %err, "unknown site timezone, using UTC");
            TimeZone::UTC
        });
        SiteContext {
            url: SiteUrl::new(url),
            routes: SiteRoutes::of(&settings),
            settings,
            timezone,
            images: ImageSizer {
                url: SiteUrl::new(url),
                sizes: None,
            },
            content_api_key: None,
            member: None,
            reader: Reader::Anonymous,
        }
    }

    /// Renders for a signed-in member: `@member` is filled and stories the member may read are
    /// served whole (see [`Reader::may_read`]).
    pub fn with_member(mut self, member: MemberView) -> Self {
        self.reader = member.reader();
        self.member = Some(member);
        self
    }

    /// Renders for staff previewing a story: every story is served whole.
    pub fn for_staff(mut self) -> Self {
        self.reader = Reader::Staff;
        self
    }

    /// Who the page is for, which decides each story's `access`.
    pub fn reader(&self) -> Reader {
        self.reader
    }

    /// Gives themes the site's public Content API key (Ghost's frontend key), which
    /// `{{content_api_key}}` prints for the theme's own scripts.
    pub fn with_content_api_key(mut self, key: impl Into<String>) -> Self {
        self.content_api_key = Some(key.into());
        self
    }

    /// Lets view models size the site's own images: `sizes` answers the pixel size of a file
    /// by its path below `/content/images/` (`2026/11/photo.jpg`), and is called while view
    /// models are built, so it should be cheap (a cache in front of reading file headers).
    pub fn with_image_sizes(
        mut self,
        sizes: impl Fn(&str) -> Option<(u32, u32)> + Send + Sync + 'static,
    ) -> Self {
        self.images.sizes = Some(ImageSizes(Arc::new(sizes)));
        self
    }

    /// The width and height of an image on this site, by its absolute URL; `None` for images
    /// elsewhere, resized variants and files that cannot be read.
    pub(crate) fn image_size(&self, url: &str) -> Option<(u32, u32)> {
        self.images.size(url)
    }

    /// The path below `/content/images/` of an original on this site.
    pub(crate) fn image_path<'a>(&self, url: &'a str) -> Option<&'a str> {
        image_path(&self.url, url)
    }

    /// Ghost's `outbound_link_tagging`: links leaving the site in a story's body carry
    /// `ref=<site host>`.
    pub(crate) fn tags_outbound_links(&self) -> bool {
        dateline_core::outbound_links::enabled(&self.settings)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The site URL without a trailing slash.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    pub fn timezone(&self) -> &TimeZone {
        &self.timezone
    }

    pub fn routes(&self) -> &SiteRoutes {
        &self.routes
    }

    /// A post's or page's URL under the active routes (`{site}/{slug}/` by default), or
    /// Ghost's `{site}/404/` for a post no collection takes.
    pub fn post_url(&self, post: &PostRecord<'_>) -> String {
        match self.routes.post_path(post) {
            Some(path) => self.url.join(&path),
            None => self.not_found_url(),
        }
    }

    /// Where Ghost points things that have no address of their own.
    pub fn not_found_url(&self) -> String {
        self.url.join("/404/")
    }

    /// A tag archive's URL (`{site}/tag/{slug}/` by default).
    pub fn tag_url(&self, slug: &str) -> String {
        match self.routes.tag_path(slug) {
            Some(path) => self.url.join(&path),
            None => self.not_found_url(),
        }
    }

    /// An author archive's URL (`{site}/author/{slug}/` by default).
    pub fn author_url(&self, slug: &str) -> String {
        match self.routes.author_path(slug) {
            Some(path) => self.url.join(&path),
            None => self.not_found_url(),
        }
    }

    pub(crate) fn site_url(&self) -> &SiteUrl {
        &self.url
    }

    /// A stored URL (placeholder, root-relative or absolute) made absolute; empty means unset.
    pub(crate) fn absolute(&self, stored: Option<&str>) -> Option<String> {
        stored
            .filter(|url| !url.trim().is_empty())
            .map(|url| self.url.absolute(url))
    }

    /// ISO 8601 in the site's timezone, to the second (`2025-09-08T13:30:00+03:00`): what
    /// `<time datetime>`, JSON-LD and the `date` helper read.
    pub(crate) fn iso(&self, time: Timestamp) -> String {
        time.to_zoned(self.timezone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }

    fn setting(&self, key: &str) -> Option<String> {
        self.settings
            .get(key)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }
}

/// Pixel width and height of an image by its path below `/content/images/`.
type SizeLookup = dyn Fn(&str) -> Option<(u32, u32)> + Send + Sync;

/// The path below `/content/images/` of an original on the site at `site`.
fn image_path<'a>(site: &SiteUrl, url: &'a str) -> Option<&'a str> {
    url.strip_prefix(site.as_str())?
        .strip_prefix("/content/images/")
        .filter(|path| !path.starts_with("size/") && !path.contains(['?', '#']))
}

/// Sizes the site's own images by absolute URL (see [`SiteContext::with_image_sizes`]).
#[derive(Debug, Clone)]
pub(crate) struct ImageSizer {
    url: SiteUrl,
    sizes: Option<ImageSizes>,
}

impl ImageSizer {
    pub(crate) fn size(&self, url: &str) -> Option<(u32, u32)> {
        let path = image_path(&self.url, url)?;
        self.sizes.as_ref().and_then(|sizes| (sizes.0)(path))
    }
}

/// The caller's image-size lookup; opaque to `Debug`.
#[derive(Clone)]
struct ImageSizes(Arc<SizeLookup>);

impl std::fmt::Debug for ImageSizes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ImageSizes")
    }
}

/// One link of the site's navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavigationItem {
    pub label: String,
    /// Absolute.
    pub url: String,
    /// The label as a slug, for Ghost's `nav-{slug}` classes; worked out once here rather than
    /// on every render.
    pub slug: String,
}

/// A navigation link as Ghost stores it in the `navigation` setting.
#[derive(Deserialize)]
struct StoredNavigationItem {
    label: String,
    url: String,
}

/// Ghost's `@site`: the public settings, with absolute URLs.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    /// Without a trailing slash, as Ghost's `@site.url`.
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// The logo's pixel size when it is one of the site's own images, so the header does not
    /// shift while it loads (not in Ghost's `@site`; other themes ignore it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_height: Option<u32>,
    /// Sizes the site's images for the head's `og:image:width` (not part of `@site`).
    #[serde(skip)]
    pub(crate) images: ImageSizer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cover_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accent_color: Option<String>,
    pub locale: String,
    /// Ghost's older name for `locale`, which themes still print in `<html lang>`.
    pub lang: String,
    pub dir: TextDirection,
    pub timezone: String,
    pub navigation: Vec<NavigationItem>,
    pub secondary_navigation: Vec<NavigationItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facebook: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twitter: Option<String>,
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
    pub members_enabled: bool,
    pub members_invite_only: bool,
    pub allow_self_signup: bool,
    pub paid_members_enabled: bool,
    pub comments_enabled: bool,
    /// The site feed, for themes that link it.
    pub rss_url: String,
    /// Site-wide code injection; trusted staff HTML, printed by `ghost_head`/`ghost_foot` only.
    #[serde(skip)]
    pub codeinjection_head: Option<String>,
    #[serde(skip)]
    pub codeinjection_foot: Option<String>,
    /// The frontend Content API key; not in Ghost's `@site`, printed only by
    /// `{{content_api_key}}`.
    #[serde(skip)]
    pub content_api_key: Option<String>,
    /// The member the page is for, which the page data gives themes as `@member`, not as
    /// part of `@site`.
    #[serde(skip)]
    pub member: Option<MemberView>,
    /// The rest of Ghost's public settings as stored or defaulted (`portal_*`,
    /// `members_support_address`, `recommendations_enabled`, `version`, …), for themes that
    /// read them; the fields above, typed and made absolute, take precedence.
    #[serde(flatten)]
    pub ghost: serde_json::Map<String, serde_json::Value>,
}

/// The public settings [`SiteView`] has fields for (or keeps out of `@site`, as the code
/// injection `ghost_head` prints), so they are not repeated in [`SiteView::ghost`].
const TYPED: &[&str] = &[
    "title",
    "description",
    "url",
    "logo",
    "icon",
    "cover_image",
    "accent_color",
    "locale",
    "lang",
    "timezone",
    "navigation",
    "secondary_navigation",
    "facebook",
    "twitter",
    "meta_title",
    "meta_description",
    "og_image",
    "og_title",
    "og_description",
    "twitter_image",
    "twitter_title",
    "twitter_description",
    "members_enabled",
    "members_invite_only",
    "allow_self_signup",
    "paid_members_enabled",
    "comments_enabled",
    "codeinjection_head",
    "codeinjection_foot",
];

impl SiteView {
    pub fn new(site: &SiteContext) -> Self {
        let settings = site.settings();
        let locale = settings.locale().to_owned();
        let signup_access = settings.get("members_signup_access").unwrap_or("all");
        let navigation = |key: &str| -> Vec<NavigationItem> {
            let items: Vec<StoredNavigationItem> = settings
                .get(key)
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default();
            items
                .into_iter()
                .map(|item| NavigationItem {
                    url: site.site_url().absolute(&item.url),
                    slug: slugify(&item.label),
                    label: item.label,
                })
                .collect()
        };
        let logo = site.absolute(settings.get("logo"));
        let logo_size = logo.as_deref().and_then(|url| site.image_size(url));
        SiteView {
            title: settings.title().to_owned(),
            description: settings.description().to_owned(),
            url: site.url().to_owned(),
            logo,
            logo_width: logo_size.map(|(w, _)| w),
            logo_height: logo_size.map(|(_, h)| h),
            images: site.images.clone(),
            icon: site.absolute(settings.get("icon")),
            cover_image: site.absolute(settings.get("cover_image")),
            accent_color: site.setting("accent_color").filter(|c| is_hex_color(c)),
            dir: TextDirection::of(&locale),
            lang: locale.clone(),
            locale,
            timezone: settings.timezone().to_owned(),
            navigation: navigation("navigation"),
            secondary_navigation: navigation("secondary_navigation"),
            facebook: site.setting("facebook"),
            twitter: site.setting("twitter"),
            meta_title: site.setting("meta_title"),
            meta_description: site.setting("meta_description"),
            og_image: site.absolute(settings.get("og_image")),
            og_title: site.setting("og_title"),
            og_description: site.setting("og_description"),
            twitter_image: site.absolute(settings.get("twitter_image")),
            twitter_title: site.setting("twitter_title"),
            twitter_description: site.setting("twitter_description"),
            members_enabled: signup_access != "none",
            members_invite_only: signup_access == "invite",
            allow_self_signup: signup_access == "all",
            paid_members_enabled: false,
            comments_enabled: settings.get("comments_enabled").is_some_and(|v| v != "off"),
            rss_url: site.site_url().join("/rss/"),
            codeinjection_head: site.setting("codeinjection_head"),
            codeinjection_foot: site.setting("codeinjection_foot"),
            content_api_key: site.content_api_key.clone(),
            member: site.member.clone(),
            ghost: public(settings, site.url())
                .into_iter()
                .filter(|(key, _)| !TYPED.contains(&key.as_str()))
                .collect(),
        }
    }
}

/// `#rgb`, `#rrggbb` or with alpha: the only accent colours let into the theme's CSS, so a
/// setting cannot smuggle in other style rules.
fn is_hex_color(color: &str) -> bool {
    color.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use dateline_core::settings::Settings;
    use dateline_core::settings::public::public;

    use super::{SiteContext, SiteView, TYPED};

    /// `@site` carries every public setting: the typed fields (left out when empty), then the
    /// rest as stored or defaulted; never the code injection. `TYPED` names only public
    /// settings, so it cannot keep a stale name.
    #[test]
    fn site_has_every_public_setting_once() {
        let site = SiteContext::new(Settings::default(), "https://example.com/news");
        let view = serde_json::to_value(SiteView::new(&site)).unwrap();
        let public = public(&Settings::default(), "https://example.com/news");
        for key in TYPED {
            assert!(public.contains_key(*key), "{key} is not a public setting");
        }
        for key in public.keys().filter(|k| !TYPED.contains(&k.as_str())) {
            assert!(view.get(key).is_some(), "{key} is missing from @site");
        }
        assert!(view.get("codeinjection_head").is_none());
        assert_eq!(view["url"], "https://example.com/news", "typed fields win");
        assert_eq!(view["version"], "5.130");
        assert_eq!(view["portal_button"], true);
        assert_eq!(view["members_support_address"], "noreply");
        assert_eq!(view["recommendations_enabled"], false);
    }
}
