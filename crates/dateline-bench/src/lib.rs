//! Benchmarks only, never a dependency of the product. It owns the fixture the render benches
//! time: the Ghost 5.130 fixture site imported into a throwaway SQLite database exactly as
//! `dateline import` does it, and the pages the site renders from it. `benches/render.rs`
//! times a page-cache miss in three layers (theme render alone, view models and render, and
//! database reads as well); `scripts/bench` runs it and BENCHMARKS.md quotes it.

use dateline_app::App;
use dateline_app::content::{ListQuery, PostKey};
use dateline_app::site::PostDetail;
use dateline_core::post::PostType;
use dateline_store::Store;
use dateline_theme::{PageView, PaginationView, PostView, SiteContext, SiteView, TagView, Theme};

/// The fixture's seed article: twelve paragraphs, a feature image with alt text and caption, a
/// dateline, one author and the News section.
pub const SEED: &str = "pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner";
pub const SITE_URL: &str = "http://localhost:2368";
/// Stories from the same section under an article, as the built-in theme shows them.
pub const RELATED: u32 = 3;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The imported fixture site and the built-in theme.
pub struct Site {
    pub app: App,
    pub theme: Theme,
    pub runtime: tokio::runtime::Runtime,
    _folder: tempfile::TempDir,
}

/// Everything a cache miss on `/{slug}/` reads from the database.
pub struct ArticleData {
    pub site: SiteContext,
    pub post: PostDetail,
    pub related: Vec<PostDetail>,
}

/// Everything a cache miss on `/` reads from the database.
pub struct HomeData {
    pub site: SiteContext,
    pub posts: Vec<PostDetail>,
    pub total: u64,
}

impl Site {
    pub fn load() -> Result<Site, Error> {
        let folder = tempfile::tempdir()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let export = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/fixtures/ghost-5.130/ghost-export.json"
        ))?;
        let url = format!("sqlite:{}", folder.path().join("dateline.db").display());
        let app = runtime.block_on(async {
            let app = App::new(Store::connect(&url).await?);
            app.import_ghost(&export, &|_, _| {}).await?;
            Ok::<_, Error>(app)
        })?;
        Ok(Site {
            app,
            theme: Theme::builtin()?,
            runtime,
            _folder: folder,
        })
    }

    pub async fn article_data(&self, slug: &str) -> Result<ArticleData, Error> {
        let site = SiteContext::new(self.app.settings().await?, SITE_URL);
        let post = self
            .app
            .read_post(PostType::Post, PostKey::Slug(slug))
            .await?
            .ok_or_else(|| format!("no published post {slug}"))?;
        let related = match post.primary_tag() {
            Some(tag) => {
                let query = ListQuery {
                    filter: Some(format!("tag:{}+id:-{}", tag.slug, post.post.id)),
                    limit: Some(RELATED),
                    page: 1,
                    ..ListQuery::default()
                };
                self.app.list_posts(PostType::Post, &query).await?.items
            }
            None => Vec::new(),
        };
        Ok(ArticleData {
            site,
            post,
            related,
        })
    }

    pub async fn home_data(&self) -> Result<HomeData, Error> {
        let site = SiteContext::new(self.app.settings().await?, SITE_URL);
        let query = ListQuery {
            limit: Some(self.theme.posts_per_page()),
            page: 1,
            ..ListQuery::default()
        };
        let listing = self.app.list_posts(PostType::Post, &query).await?;
        Ok(HomeData {
            site,
            posts: listing.items,
            total: listing.total,
        })
    }

    /// Reads and renders `/{slug}/` as a cache miss does.
    pub async fn article_html(&self, slug: &str) -> Result<String, Error> {
        let data = self.article_data(slug).await?;
        Ok(self.theme.render(&data.page())?)
    }
}

fn view(detail: &PostDetail, site: &SiteContext) -> PostView {
    PostView::new(&detail.post, &detail.tags, &detail.authors, site)
}

impl ArticleData {
    pub fn page(&self) -> PageView {
        PageView::Post {
            site: SiteView::new(&self.site),
            post: view(&self.post, &self.site),
            related: self.related.iter().map(|p| view(p, &self.site)).collect(),
        }
    }
}

impl HomeData {
    pub fn page(&self, posts_per_page: u32) -> PageView {
        let posts: Vec<PostView> = self.posts.iter().map(|p| view(p, &self.site)).collect();
        let sections = self
            .posts
            .iter()
            .filter_map(PostDetail::primary_tag)
            .take(1)
            .map(|tag| (TagView::new(tag, &self.site), posts.clone()))
            .collect();
        PageView::Home {
            site: SiteView::new(&self.site),
            pagination: PaginationView::new(1, posts_per_page, self.total),
            posts,
            sections,
        }
    }
}

/// CPU time this thread has used, in nanoseconds (`/proc/thread-self/schedstat`), so a figure
/// can be quoted as CPU rather than wall-clock time on a machine that is doing other work.
pub fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The benches time real pages: the seed article renders with its body and related stories.
    #[test]
    fn seed_article_renders() {
        let site = Site::load().unwrap();
        let data = site.runtime.block_on(site.article_data(SEED)).unwrap();
        assert_eq!(data.related.len(), RELATED as usize);
        let html = site.theme.render(&data.page()).unwrap();
        assert!(html.contains("NATO"), "{html}");
        assert!(html.len() > 10_000, "{} bytes", html.len());
        let home = site.runtime.block_on(site.home_data()).unwrap();
        let html = site
            .theme
            .render(&home.page(site.theme.posts_per_page()))
            .unwrap();
        assert!(html.contains("Kurdistan Region parliament"));
        assert!(thread_cpu_ns().is_some());
    }
}
