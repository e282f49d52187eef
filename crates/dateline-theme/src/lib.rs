//! The rendering half of Dateline's public site: a Ghost-compatible Handlebars theme engine,
//! the view models templates see, and Dateline's built-in news theme (embedded in the binary;
//! a Ghost theme folder can replace it).
//!
//! How a site renders a page:
//! 1. Once, when settings change: a [`SiteContext`] (settings, public URL, timezone) and a
//!    [`SiteView`] (`@site`).
//! 2. Once, at start: [`Theme::builtin`] or [`Theme::from_dir`], kept in an `Arc` (it is
//!    `Send + Sync` and never changes).
//! 3. Per request: view models from core types ([`PostView::new`], [`TagView::new`],
//!    [`AuthorView::new`], [`PaginationView::new`] with [`Theme::posts_per_page`]), a
//!    [`PageView`] variant, then [`Theme::render`] — or, for themes with `{{#get}}`,
//!    [`Theme::render_with`] until it stops asking for data ([`DataQuery`]). Serve `/assets/…`
//!    with [`Theme::asset`] (its `version` is the `?v=` the theme links with, so those
//!    responses can be cached as immutable).
//!
//! ```
//! use dateline_core::post::{Post, PostType};
//! use dateline_core::settings::Settings;
//! use dateline_theme::{PageView, PostView, SiteContext, SiteView, Theme, detect_dateline};
//!
//! let site = SiteContext::new(Settings::default(), "https://example.com");
//! let theme = Theme::builtin()?;
//!
//! let mut story = Post::draft(PostType::Post, "Talks resume", "talks-resume", jiff::Timestamp::now());
//! story.html = Some("<p>BAGHDAD - Talks resumed on Monday.</p>".to_owned());
//! story.dateline = story.html.as_deref().and_then(detect_dateline);
//!
//! let post = PostView::new(&story, &[], &[], &site);
//! let page = PageView::Post { site: SiteView::new(&site), post, related: Vec::new() };
//! let html = theme.render(&page)?;
//! assert!(html.contains(r#"<p><span class="dateline">BAGHDAD -</span> Talks resumed"#));
//! # Ok::<(), dateline_theme::ThemeError>(())
//! ```
//!
//! Before a Ghost theme is installed, [`check_dir`] checks it as Ghost's `gscan` does and
//! reports each finding with its file and line.
//!
//! Themes follow Ghost's structure and data (`post`, `posts`, `pagination`, `@site`, `@custom`,
//! the template hierarchy, `{{!< default}}` layouts), so unmodified Ghost themes can run here as
//! the Ghost helper set grows. Templates never see database rows: view models decide what is
//! public, make URLs absolute and show dates in the site's timezone. The newsroom additions —
//! datelines, corrections, per-story language and direction, `NewsArticle` JSON-LD — live in
//! the view models and `{{ghost_head}}`, so any theme gets them.

mod check;
mod data_query;
mod dateline;
mod downsize;
mod engine;
mod error;
mod head;
mod helpers;
mod html;
mod json_ld;
mod members;
mod moment;
mod page;
mod site_search;
mod site_url;
mod text_direction;
pub mod view;

pub use check::{Finding, Report, Severity, check_dir};
pub use data_query::{DataQuery, DataResults, Rendered};
pub use dateline::{detect_dateline, mark_dateline};
pub use engine::{Asset, Theme};
pub use error::ThemeError;
pub use helpers::{MEMBER_TOTALS, thousands};
pub use members::{MEMBERS_SCRIPT_PATH, members_script};
pub use page::{PageView, RouteData};
pub use site_search::{SEARCH_SCRIPT_PATH, search_script};
pub use text_direction::TextDirection;
pub use view::{
    AuthorView, CorrectionView, MemberFacts, MemberNewsletterView, MemberView, NavigationItem,
    PaginationView, PostView, SiteContext, SiteView, TagView,
};
