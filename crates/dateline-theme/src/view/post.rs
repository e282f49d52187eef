use dateline_core::id::ObjectId;
use dateline_core::nql::PostRecord;
use dateline_core::post::{Correction, Post, PostType};
use dateline_core::tag::Tag;
use dateline_core::user::User;
use serde::Serialize;

use super::{AuthorView, SiteContext, TagView};
use crate::dateline::mark_dateline;
use crate::text_direction::TextDirection;

/// Ghost's `post` object (also used for pages), plus the newsroom fields: `dateline`,
/// `language` with its `lang`/`dir`, and `corrections`.
#[derive(Debug, Clone, Serialize)]
pub struct PostView {
    pub id: String,
    pub uuid: String,
    pub title: String,
    pub slug: String,
    /// The body as served: absolute URLs, and the dateline marked up at the start of the first
    /// paragraph (see [`crate::dateline::mark_dateline`]).
    pub html: String,
    /// Ghost's excerpt: the custom excerpt, or the start of the plaintext.
    pub excerpt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_excerpt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_image: Option<String>,
    /// The feature image's pixel size and `srcset`, when it is one of the site's own images
    /// (see [`SiteContext::with_image_sizes`]); images elsewhere have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_image_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_image_height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_image_srcset: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_image_alt: Option<String>,
    /// HTML, kept as written: it carries links and the photo credit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_image_caption: Option<String>,
    pub featured: bool,
    pub visibility: &'static str,
    /// Ghost's `access`: whether the current reader (see [`SiteContext::reader`]) may read the
    /// body. When not, `html` and `excerpt` are only the public preview (see
    /// [`dateline_core::access::served`]) and `{{content}}` shows the theme's `content-cta`.
    pub access: bool,
    /// `post` or `page`.
    #[serde(rename = "type")]
    pub post_type: &'static str,
    /// Ghost's legacy flag for pages, still read by older themes.
    pub page: bool,
    pub url: String,
    pub reading_time: u32,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    pub tags: Vec<TagView>,
    pub authors: Vec<AuthorView>,
    /// The section: the first tag, unless it is internal (Ghost's rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_tag: Option<TagView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_author: Option<AuthorView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_template: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codeinjection_head: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codeinjection_foot: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<String>,
    pub show_title_and_feature_image: bool,
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
    pub meta_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    /// The post's own BCP 47 language, when it differs from the site's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The language the post is written in: its own, or the site's.
    pub lang: String,
    pub dir: TextDirection,
    pub corrections: Vec<CorrectionView>,
}

/// A dated correction note, shown with the story.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    pub id: String,
    /// Plain text.
    pub note: String,
    /// ISO 8601 in the site's timezone.
    pub created_at: String,
}

impl PostView {
    /// `tags` and `authors` may be the post's own or any superset (every tag on a listing
    /// page); they are picked and ordered by `post.tag_ids` and `post.author_ids`, so the
    /// primary tag and author are always the post's first.
    pub fn new(post: &Post, tags: &[Tag], authors: &[User], site: &SiteContext) -> Self {
        // The address may depend on the post's own tags and authors in order; the default
        // routes need neither, so nothing is copied for them.
        let (post_tags, post_authors): (Vec<Tag>, Vec<User>) = if site.routes().slug_only() {
            (Vec::new(), Vec::new())
        } else {
            (
                pick(&post.tag_ids, tags, |t| &t.id).cloned().collect(),
                pick(&post.author_ids, authors, |u| &u.id)
                    .cloned()
                    .collect(),
            )
        };
        let url = site.post_url(&PostRecord {
            post,
            tags: &post_tags,
            authors: &post_authors,
        });
        let tags: Vec<TagView> = pick(&post.tag_ids, tags, |t| &t.id)
            .map(|tag| TagView::new(tag, site))
            .collect();
        let authors: Vec<AuthorView> = pick(&post.author_ids, authors, |u| &u.id)
            .map(|user| AuthorView::new(user, site))
            .collect();
        let primary_tag = tags.first().filter(|tag| tag.is_public()).cloned();
        let language = post
            .language
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned);
        let lang = language
            .clone()
            .unwrap_or_else(|| site.settings().locale().to_owned());
        let dateline = post
            .dateline
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned);
        let served = dateline_core::access::served(post, site.reader());
        let html = site
            .site_url()
            .resolve_placeholders(served.html.as_deref().unwrap_or(""));
        // Ghost tags outbound links in every body it serves, its pages included.
        let html = if site.tags_outbound_links() {
            dateline_core::outbound_links::tag(&html, site.url()).into_owned()
        } else {
            html
        };
        let html = match &dateline {
            Some(dateline) => mark_dateline(&html, dateline),
            None => html,
        };
        let html = site.size_body_images(html);
        let feature_image = site.absolute(post.feature_image.as_deref());
        let sized = feature_image
            .as_deref()
            .and_then(|url| site.sized_image(url));
        let resolve_html = |html: &Option<String>| {
            html.as_deref()
                .filter(|h| !h.trim().is_empty())
                .map(|h| site.site_url().resolve_placeholders(h))
        };
        PostView {
            id: post.id.to_string(),
            uuid: post.uuid.clone(),
            title: post.title.clone(),
            slug: post.slug.clone(),
            html,
            excerpt: served.excerpt,
            custom_excerpt: post.custom_excerpt.clone().filter(|e| !e.is_empty()),
            feature_image,
            feature_image_width: sized.as_ref().map(|s| s.width),
            feature_image_height: sized.as_ref().map(|s| s.height),
            feature_image_srcset: sized.map(|s| s.srcset),
            feature_image_alt: post.feature_image_alt.clone(),
            feature_image_caption: resolve_html(&post.feature_image_caption),
            featured: post.featured,
            visibility: post.visibility.as_str(),
            access: served.access,
            post_type: post.post_type.as_str(),
            page: post.post_type == PostType::Page,
            url,
            // The whole story's, even when only the preview is served, as in Ghost.
            reading_time: post.reading_time(),
            created_at: site.iso(post.created_at),
            updated_at: site.iso(post.updated_at),
            published_at: post.published_at.map(|t| site.iso(t)),
            primary_author: authors.first().cloned(),
            primary_tag,
            tags,
            authors,
            canonical_url: site.absolute(post.canonical_url.as_deref()),
            custom_template: post.custom_template.clone(),
            codeinjection_head: post.codeinjection_head.clone(),
            codeinjection_foot: post.codeinjection_foot.clone(),
            comment_id: post.comment_id.clone(),
            show_title_and_feature_image: post.show_title_and_feature_image,
            og_image: site.absolute(post.og_image.as_deref()),
            og_title: post.og_title.clone(),
            og_description: post.og_description.clone(),
            twitter_image: site.absolute(post.twitter_image.as_deref()),
            twitter_title: post.twitter_title.clone(),
            twitter_description: post.twitter_description.clone(),
            meta_title: post.meta_title.clone(),
            meta_description: post.meta_description.clone(),
            email_subject: post.email_subject.clone(),
            dateline,
            dir: TextDirection::of(&lang),
            language,
            lang,
            corrections: post
                .corrections
                .iter()
                .map(|c| CorrectionView::new(c, site))
                .collect(),
        }
    }
}

impl CorrectionView {
    pub fn new(correction: &Correction, site: &SiteContext) -> Self {
        CorrectionView {
            id: correction.id.to_string(),
            note: correction.note.clone(),
            created_at: site.iso(correction.created_at),
        }
    }
}

/// The items whose ids are in `ids`, in the order of `ids`.
fn pick<'a, T>(
    ids: &'a [ObjectId],
    items: &'a [T],
    id_of: impl Fn(&T) -> &ObjectId + 'a,
) -> impl Iterator<Item = &'a T> + 'a {
    ids.iter()
        .filter_map(move |id| items.iter().find(|item| id_of(item) == id))
}
