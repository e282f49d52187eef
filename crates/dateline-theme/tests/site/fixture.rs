//! The Ghost 5.130 fixture site as core values, through a small test-only converter of Ghost's
//! export (posts with posts_meta, tags, users, and the order of posts_tags/posts_authors), plus
//! the builders and HTML probes the page tests share.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use dateline_core::id::ObjectId;
use dateline_core::post::{Post, PostStatus, PostType, Visibility};
use dateline_core::role::Role;
use dateline_core::settings::{Setting, Settings};
use dateline_core::tag::{Tag, TagVisibility};
use dateline_core::user::{Social, User};
use dateline_theme::{
    AuthorView, PageView, PaginationView, PostView, SiteContext, SiteView, TagView, Theme,
    detect_dateline,
};
use jiff::Timestamp;
use serde_json::Value;

pub const SITE_URL: &str = "http://localhost:2368";
pub const SEED: &str = "pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner";

pub struct Fixture {
    pub site: SiteContext,
    pub posts: Vec<Post>,
    pub tags: Vec<Tag>,
    pub users: Vec<User>,
}

/// The built-in theme, compiled once for every test.
pub fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| Theme::builtin().expect("the built-in theme loads"))
}

pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(Fixture::load)
}

/// `page` rendered by the built-in theme, with the asset hash (which changes with every CSS
/// edit) redacted so snapshots show only template changes.
pub fn render(page: &PageView) -> String {
    redact(&theme().render(page).expect("the page renders"))
}

fn redact(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("?v=") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let hash_len = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str("[hash]");
        rest = &rest[hash_len..];
    }
    out.push_str(rest);
    out
}

impl Fixture {
    fn load() -> Fixture {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/fixtures/ghost-5.130/ghost-export.json"
        );
        let export: Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("fixture exists"))
                .expect("fixture is JSON");
        let data = &export["db"][0]["data"];
        let rows = |table: &str| data[table].as_array().cloned().unwrap_or_default();

        let mut settings: BTreeMap<String, Setting> = rows("settings")
            .iter()
            .map(|row| {
                let key = text(&row["key"]);
                let setting = Setting {
                    key: key.clone(),
                    value: opt(&row["value"]),
                    group: text(&row["group"]),
                    value_type: text(&row["type"]),
                    flags: opt(&row["flags"]),
                };
                (key, setting)
            })
            .collect();
        for (key, value) in [("title", "The New Region"), ("timezone", "Asia/Baghdad")] {
            if let Some(setting) = settings.get_mut(key) {
                setting.value = Some(value.to_owned());
            }
        }
        // The site's images are the fixture's own files, sized from their headers as the
        // server sizes its image folder.
        let images = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/fixtures/ghost-5.130/images"
        );
        let site = SiteContext::new(Settings(settings), SITE_URL).with_image_sizes(|path| {
            image::image_dimensions(std::path::Path::new(images).join(path)).ok()
        });

        let meta = rows("posts_meta");
        let ordered = |table: &str, post_id: &str, column: &str| -> Vec<ObjectId> {
            let mut links: Vec<Value> = rows(table)
                .into_iter()
                .filter(|link| link["post_id"] == post_id)
                .collect();
            links.sort_by_key(|link| link["sort_order"].as_i64());
            links.iter().map(|link| id(&link[column])).collect()
        };
        let posts = rows("posts")
            .iter()
            .map(|row| {
                let post_id = text(&row["id"]);
                let meta = meta
                    .iter()
                    .find(|m| m["post_id"] == post_id.as_str())
                    .cloned()
                    .unwrap_or(Value::Null);
                let html = opt(&row["html"]);
                Post {
                    id: id(&row["id"]),
                    uuid: text(&row["uuid"]),
                    post_type: text(&row["type"]).parse::<PostType>().unwrap(),
                    title: text(&row["title"]),
                    slug: text(&row["slug"]),
                    markdown: None,
                    source: None,
                    // What the importer fills in: the dateline Ghost kept in the body.
                    dateline: html.as_deref().and_then(detect_dateline),
                    html,
                    plaintext: opt(&row["plaintext"]),
                    feature_image: opt(&row["feature_image"]),
                    feature_image_alt: opt(&meta["feature_image_alt"]),
                    feature_image_caption: opt(&meta["feature_image_caption"]),
                    featured: row["featured"] == 1,
                    status: text(&row["status"]).parse::<PostStatus>().unwrap(),
                    visibility: text(&row["visibility"]).parse::<Visibility>().unwrap(),
                    language: opt(&row["locale"]),
                    custom_excerpt: opt(&row["custom_excerpt"]),
                    codeinjection_head: opt(&row["codeinjection_head"]),
                    codeinjection_foot: opt(&row["codeinjection_foot"]),
                    custom_template: opt(&row["custom_template"]),
                    canonical_url: opt(&row["canonical_url"]),
                    show_title_and_feature_image: row["show_title_and_feature_image"] == 1,
                    comment_id: opt(&row["comment_id"]),
                    email_recipient_filter: text(&row["email_recipient_filter"]),
                    og_image: opt(&meta["og_image"]),
                    og_title: opt(&meta["og_title"]),
                    og_description: opt(&meta["og_description"]),
                    twitter_image: opt(&meta["twitter_image"]),
                    twitter_title: opt(&meta["twitter_title"]),
                    twitter_description: opt(&meta["twitter_description"]),
                    meta_title: opt(&meta["meta_title"]),
                    meta_description: opt(&meta["meta_description"]),
                    email_subject: opt(&meta["email_subject"]),
                    email_only: meta["email_only"] == 1,
                    created_at: time(&row["created_at"]).unwrap(),
                    updated_at: time(&row["updated_at"]).unwrap(),
                    published_at: time(&row["published_at"]),
                    tag_ids: ordered("posts_tags", &post_id, "tag_id"),
                    author_ids: ordered("posts_authors", &post_id, "author_id"),
                    corrections: Vec::new(),
                }
            })
            .collect();
        let tags = rows("tags")
            .iter()
            .map(|row| Tag {
                id: id(&row["id"]),
                name: text(&row["name"]),
                slug: text(&row["slug"]),
                description: opt(&row["description"]),
                feature_image: opt(&row["feature_image"]),
                parent_id: None,
                visibility: text(&row["visibility"]).parse::<TagVisibility>().unwrap(),
                og_image: opt(&row["og_image"]),
                og_title: opt(&row["og_title"]),
                og_description: opt(&row["og_description"]),
                twitter_image: opt(&row["twitter_image"]),
                twitter_title: opt(&row["twitter_title"]),
                twitter_description: opt(&row["twitter_description"]),
                meta_title: opt(&row["meta_title"]),
                meta_description: opt(&row["meta_description"]),
                codeinjection_head: opt(&row["codeinjection_head"]),
                codeinjection_foot: opt(&row["codeinjection_foot"]),
                canonical_url: opt(&row["canonical_url"]),
                accent_color: opt(&row["accent_color"]),
                created_at: time(&row["created_at"]).unwrap(),
                updated_at: time(&row["updated_at"]).unwrap(),
            })
            .collect();
        let users = rows("users")
            .iter()
            .map(|row| User {
                id: id(&row["id"]),
                name: text(&row["name"]),
                slug: text(&row["slug"]),
                email: text(&row["email"]),
                password_hash: text(&row["password"]),
                role: Role::Author,
                profile_image: opt(&row["profile_image"]),
                cover_image: opt(&row["cover_image"]),
                bio: opt(&row["bio"]),
                website: opt(&row["website"]),
                location: opt(&row["location"]),
                facebook: opt(&row["facebook"]),
                twitter: opt(&row["twitter"]),
                social: Social {
                    threads: opt(&row["threads"]),
                    bluesky: opt(&row["bluesky"]),
                    mastodon: opt(&row["mastodon"]),
                    tiktok: opt(&row["tiktok"]),
                    youtube: opt(&row["youtube"]),
                    instagram: opt(&row["instagram"]),
                    linkedin: opt(&row["linkedin"]),
                },
                accessibility: opt(&row["accessibility"]),
                status: text(&row["status"]),
                locale: opt(&row["locale"]),
                visibility: text(&row["visibility"]),
                meta_title: opt(&row["meta_title"]),
                meta_description: opt(&row["meta_description"]),
                tour: opt(&row["tour"]),
                last_seen: time(&row["last_seen"]),
                created_at: time(&row["created_at"]).unwrap(),
                updated_at: time(&row["updated_at"]).unwrap(),
            })
            .collect();
        Fixture {
            site,
            posts,
            tags,
            users,
        }
    }

    pub fn post(&self, slug: &str) -> &Post {
        self.posts
            .iter()
            .find(|p| p.slug == slug)
            .unwrap_or_else(|| panic!("no post {slug}"))
    }

    pub fn tag(&self, slug: &str) -> &Tag {
        self.tags.iter().find(|t| t.slug == slug).unwrap()
    }

    pub fn user(&self, slug: &str) -> &User {
        self.users.iter().find(|u| u.slug == slug).unwrap()
    }

    pub fn site_view(&self) -> SiteView {
        SiteView::new(&self.site)
    }

    pub fn view(&self, post: &Post) -> PostView {
        PostView::new(post, &self.tags, &self.users, &self.site)
    }

    /// Published posts (not pages), newest first, as the front page lists them.
    pub fn published(&self) -> Vec<&Post> {
        let mut posts: Vec<&Post> = self
            .posts
            .iter()
            .filter(|p| p.post_type == PostType::Post && p.status == PostStatus::Published)
            .collect();
        posts.sort_by_key(|p| std::cmp::Reverse(p.published_at));
        posts
    }

    /// Published posts carrying the tag `slug`, newest first.
    pub fn tagged(&self, slug: &str) -> Vec<&Post> {
        let tag = self.tag(slug);
        self.published()
            .into_iter()
            .filter(|p| p.tag_ids.contains(&tag.id))
            .collect()
    }

    pub fn article_page(&self, post: &Post) -> PageView {
        let related = self
            .tagged("news")
            .into_iter()
            .filter(|p| p.id != post.id)
            .take(3)
            .map(|p| self.view(p))
            .collect();
        PageView::Post {
            site: self.site_view(),
            post: self.view(post),
            related,
        }
    }

    pub fn home_page(&self) -> PageView {
        let posts: Vec<PostView> = self.published().into_iter().map(|p| self.view(p)).collect();
        let sections = ["news", "politics", "world"]
            .into_iter()
            .map(|slug| {
                let posts = self
                    .tagged(slug)
                    .into_iter()
                    .map(|p| self.view(p))
                    .collect();
                (TagView::new(self.tag(slug), &self.site), posts)
            })
            .collect();
        PageView::Home {
            site: self.site_view(),
            pagination: PaginationView::new(1, theme().posts_per_page(), posts.len() as u64),
            posts,
            sections,
        }
    }

    /// Page `page` of the News archive, three stories a page so the four News stories span two.
    pub fn tag_page(&self, page: u32) -> PageView {
        let all = self.tagged("news");
        let posts = all
            .iter()
            .skip((page as usize - 1) * 3)
            .take(3)
            .map(|p| self.view(p))
            .collect();
        PageView::Tag {
            site: self.site_view(),
            tag: TagView::new(self.tag("news"), &self.site),
            posts,
            pagination: PaginationView::new(page, 3, all.len() as u64),
        }
    }

    pub fn author_page(&self, slug: &str) -> PageView {
        let user = self.user(slug);
        let posts: Vec<PostView> = self
            .published()
            .into_iter()
            .filter(|p| p.author_ids.contains(&user.id))
            .map(|p| self.view(p))
            .collect();
        PageView::Author {
            site: self.site_view(),
            author: AuthorView::new(user, &self.site),
            pagination: PaginationView::new(1, theme().posts_per_page(), posts.len() as u64),
            posts,
        }
    }
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn opt(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

fn id(value: &Value) -> ObjectId {
    ObjectId::parse(value.as_str().unwrap()).unwrap()
}

/// Ghost's export dates are UTC without a zone: `2025-09-08 10:30:00`.
fn time(value: &Value) -> Option<Timestamp> {
    let text = value.as_str()?;
    let civil: jiff::civil::DateTime = text.replace(' ', "T").parse().unwrap();
    Some(civil.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp())
}

/// The element whose opening tag contains `marker`, from its `<` to its closing tag
/// (elements of the same name must not nest inside it).
pub fn element<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("no element with {marker}"));
    let start = if marker.starts_with('<') {
        at
    } else {
        html[..at].rfind('<').unwrap()
    };
    let name: String = html[start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let close = format!("</{name}>");
    let end = start + html[start..].find(&close).unwrap() + close.len();
    &html[start..end]
}

/// The text of an HTML fragment: tags dropped, whitespace collapsed.
pub fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The parsed JSON-LD of a page.
pub fn json_ld(html: &str) -> Value {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("the page has JSON-LD");
    let body = &html[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    serde_json::from_str(body).expect("JSON-LD is valid JSON")
}

/// Byte offset of `needle`, for checking the order of page elements.
pub fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("page lacks {needle}"))
}
