//! A loaded theme: its templates compiled once, its partials, helpers and assets in memory, so
//! a render does no file I/O and no parsing.

mod assets;
pub(crate) mod dialect;
pub(crate) mod files;
mod hierarchy;
mod layout;
pub(crate) mod package;

pub use assets::Asset;
pub(crate) use assets::embedded_script;

use std::collections::HashMap;
use std::path::Path;

use handlebars::{Context, Handlebars};
use serde_json::Value as Json;

use crate::data_query::{self, DataResults, Rendered};
use crate::error::ThemeError;
use crate::helpers;
use crate::page::{PageView, ThemeGlobals};
use assets::AssetStore;
use files::ThemeFiles;
use package::Package;

/// Layouts may wrap layouts (`post.hbs` → `article.hbs` → `default.hbs`); deeper than this is a
/// loop.
const MAX_LAYOUT_DEPTH: usize = 8;

/// The partials the engine brings, which a theme's own of the same name replaces: Ghost's
/// `{{navigation}}` and `{{pagination}}` markup and the call to action of a closed story.
pub(crate) const DEFAULT_PARTIALS: [&str; 3] = ["navigation", "pagination", "content-cta"];
const DEFAULT_PARTIAL_SOURCES: [&str; 3] = [
    include_str!("engine/defaults/navigation.hbs"),
    include_str!("engine/defaults/pagination.hbs"),
    include_str!("engine/defaults/content-cta.hbs"),
];

/// Name of the engine's own error page, used when a theme has no `error-404.hbs` or
/// `error.hbs`. It starts with `/`, as no theme file's name can, so it cannot clash.
const FALLBACK_ERROR: &str = "/dateline-error";

/// A theme ready to render: Ghost's theme structure (`package.json`, `*.hbs`, `partials/`,
/// `assets/`) compiled once. `Send + Sync`: share one behind an `Arc` and render from any
/// number of threads.
pub struct Theme {
    name: String,
    registry: Handlebars<'static>,
    /// Every template by name (without `.hbs`), with the layout it names, if any.
    templates: HashMap<String, Option<String>>,
    assets: AssetStore,
    custom: Json,
    image_sizes: Json,
    /// `locales/<language>.json` by language: what `{{t}}` translates with.
    locales: HashMap<String, Json>,
    /// Whether templates have Ghost's member forms or Portal links.
    uses_members: bool,
    /// Whether templates have Ghost's search button (see [`crate::site_search`]).
    uses_search: bool,
    posts_per_page: u32,
    /// Ghost helpers the templates call that Dateline does not have yet, with a template that
    /// calls each; they render nothing.
    unsupported: Vec<(String, String)>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("name", &self.name)
            .field("templates", &self.templates.len())
            .finish_non_exhaustive()
    }
}

impl Theme {
    /// Dateline's built-in news theme, embedded in the binary.
    pub fn builtin() -> Result<Theme, ThemeError> {
        Theme::load(ThemeFiles::builtin())
    }

    /// A Ghost-style theme folder, read once. It replaces the built-in theme entirely, as
    /// activating a theme does in Ghost; only the error page falls back to the engine's own.
    pub fn from_dir(path: &Path) -> Result<Theme, ThemeError> {
        Theme::load(ThemeFiles::from_dir(path)?)
    }

    /// A theme from files already read (the install check loads what it checked).
    pub(crate) fn from_files(files: ThemeFiles) -> Result<Theme, ThemeError> {
        Theme::load(files)
    }

    /// The theme's name from `package.json`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Helpers the theme calls that Dateline does not have, each with a template calling it.
    /// They render nothing (and are logged once when first met), so the page still renders.
    pub fn unsupported_helpers(&self) -> &[(String, String)] {
        &self.unsupported
    }

    /// The theme with the site's own values for its custom settings (`@custom`), as an
    /// administrator saved them; keys the theme's `package.json` does not declare are ignored,
    /// as Ghost ignores settings a theme dropped.
    pub fn with_custom(mut self, values: serde_json::Map<String, Json>) -> Theme {
        if let Json::Object(custom) = &mut self.custom {
            for (key, value) in values {
                if let Some(slot) = custom.get_mut(&key) {
                    *slot = value;
                }
            }
        }
        self
    }

    /// How many posts a listing page shows (`config.posts_per_page`, Ghost's 5 if unset).
    pub fn posts_per_page(&self) -> u32 {
        self.posts_per_page
    }

    /// A file of the theme's `assets/` folder, by its path there (`css/screen.css`) or its URL
    /// path (`/assets/css/screen.css`), with its content type and version hash.
    pub fn asset(&self, path: &str) -> Option<Asset<'_>> {
        self.assets.get(path)
    }

    /// The page as HTML: the most specific template of Ghost's hierarchy the theme has,
    /// wrapped in its layouts.
    pub fn render(&self, page: &PageView) -> Result<String, ThemeError> {
        self.render_page(page, &DataResults::default())
    }

    /// Renders the page with the results of its `{{#get}}` queries so far; when the
    /// templates asked for data `results` lacks, returns those queries instead, for the
    /// caller to fetch and render again (see [`DataQuery`](crate::DataQuery)).
    pub fn render_with(
        &self,
        page: &PageView,
        results: &DataResults,
    ) -> Result<Rendered, ThemeError> {
        let (html, missing) = data_query::collecting(|| self.render_page(page, results));
        let html = html?;
        Ok(if missing.is_empty() {
            Rendered::Page(html)
        } else {
            Rendered::NeedsData(missing)
        })
    }

    fn render_page(&self, page: &PageView, results: &DataResults) -> Result<String, ThemeError> {
        helpers::reset_blocks();
        let globals = ThemeGlobals {
            custom: &self.custom,
            image_sizes: &self.image_sizes,
            uses_members: self.uses_members,
            uses_search: self.uses_search,
            posts_per_page: self.posts_per_page,
        };
        let mut data = page.render_data(&globals).map_err(ThemeError::Data)?;
        if let Json::Object(map) = &mut data {
            map.insert("$get".to_owned(), results.to_json());
            // `{{t}}` speaks the page's language: the story's on an article, else the site's.
            map.insert("$locale".to_owned(), self.locale(page.lang().0));
        }
        let mut context = Context::from(data);
        let mut name = self.template_for(page);
        let mut html = self.render_template(&name, &context)?;
        for _ in 0..MAX_LAYOUT_DEPTH {
            let Some(layout) = self.templates.get(&name).cloned().flatten() else {
                return Ok(html);
            };
            if let Json::Object(data) = context.data_mut() {
                data.insert("body".to_owned(), Json::String(html));
            }
            html = self.render_template(&layout, &context)?;
            name = layout;
        }
        Err(ThemeError::LayoutLoop(name))
    }

    /// The theme's strings for `language` (`ar-IQ` falls back to `ar`, then to `en`, as
    /// Ghost's `{{t}}` does); an empty object when the theme has none.
    fn locale(&self, language: &str) -> Json {
        let base = language.split(['-', '_']).next().unwrap_or(language);
        [language, base, "en"]
            .iter()
            .find_map(|l| self.locales.get(*l))
            .cloned()
            .unwrap_or_else(|| Json::Object(serde_json::Map::new()))
    }

    fn template_for(&self, page: &PageView) -> String {
        hierarchy::candidates(page)
            .into_iter()
            .find(|name| self.templates.contains_key(name))
            .unwrap_or_else(|| match page {
                PageView::NotFound { .. } => FALLBACK_ERROR.to_owned(),
                // `load` made sure `index` exists, and every listing falls back to it.
                _ => "index".to_owned(),
            })
    }

    fn render_template(&self, name: &str, context: &Context) -> Result<String, ThemeError> {
        self.registry
            .render_with_context(&registry_name(name), context)
            .map_err(|source| ThemeError::Render {
                template: name.to_owned(),
                source: Box::new(source),
            })
    }

    fn load(files: ThemeFiles) -> Result<Theme, ThemeError> {
        let package_json = files
            .0
            .iter()
            .find(|(path, _)| path == "package.json")
            .map(|(_, bytes)| bytes.as_ref());
        let package = Package::parse(package_json).map_err(ThemeError::Package)?;

        let mut registry = Handlebars::new();
        // Indenting partial output would shift the lines of `<pre>` blocks in post bodies.
        registry.set_prevent_indent(true);
        registry.register_escape_fn(crate::html::escape);
        for (name, source) in DEFAULT_PARTIALS.iter().zip(DEFAULT_PARTIAL_SOURCES) {
            register(&mut registry, name, source)?;
        }

        let mut templates = HashMap::new();
        let mut assets = AssetStore::default();
        let mut calls = Vec::new();
        // The built-in call to action signs readers up through a Portal link, which the
        // members script opens; a theme with its own decides for itself.
        let mut uses_members = !files
            .0
            .iter()
            .any(|(path, _)| path == "partials/content-cta.hbs");
        let mut uses_search = false;
        let mut locales = HashMap::new();
        for (path, bytes) in files.0 {
            if let Some(language) = path
                .strip_prefix("locales/")
                .and_then(|p| p.strip_suffix(".json"))
            {
                let strings: Json =
                    serde_json::from_slice(&bytes).map_err(|source| ThemeError::Locale {
                        path: path.clone(),
                        source,
                    })?;
                locales.insert(language.to_owned(), strings);
                continue;
            }
            if let Some(asset_path) = path.strip_prefix("assets/") {
                assets.insert(asset_path, bytes);
                continue;
            }
            let Some(stem) = path.strip_suffix(".hbs") else {
                continue;
            };
            let source = std::str::from_utf8(&bytes)
                .map_err(|_| ThemeError::NotUtf8 { path: path.clone() })?;
            uses_members |= crate::members::MARKERS.iter().any(|m| source.contains(m));
            uses_search |= crate::site_search::MARKERS
                .iter()
                .any(|m| source.contains(m));
            calls.extend(
                dialect::helper_calls(source)
                    .into_iter()
                    .map(|(name, _)| (name, path.clone())),
            );
            match stem.strip_prefix("partials/") {
                Some(partial) => register(&mut registry, partial, source)?,
                None => {
                    register(&mut registry, &registry_name(stem), source)?;
                    templates.insert(stem.to_owned(), layout::layout_of(source));
                }
            }
        }
        for required in ["index", "post"] {
            if !templates.contains_key(required) {
                return Err(ThemeError::MissingTemplate(required));
            }
        }
        for (template, layout) in &templates {
            if let Some(layout) = layout.as_ref().filter(|l| !templates.contains_key(*l)) {
                return Err(ThemeError::MissingLayout {
                    template: template.clone(),
                    layout: layout.clone(),
                });
            }
        }
        register(
            &mut registry,
            &registry_name(FALLBACK_ERROR),
            include_str!("engine/defaults/error.hbs"),
        )?;
        helpers::register(&mut registry, assets.versions());
        let mut unsupported: Vec<(String, String)> = calls
            .into_iter()
            .filter(|(name, _)| !helpers::is_known(name))
            .collect();
        unsupported.sort();
        unsupported.dedup_by(|a, b| a.0 == b.0);

        Ok(Theme {
            name: package.name,
            registry,
            templates,
            assets,
            custom: package.custom,
            image_sizes: package.image_sizes,
            locales,
            uses_members,
            uses_search,
            posts_per_page: package.posts_per_page,
            unsupported,
        })
    }
}

/// Templates are registered as `post.hbs` and partials as `post-card`: Handlebars keeps both
/// in one namespace, and a theme may have a partial and a template of the same name.
fn registry_name(template: &str) -> String {
    format!("{template}.hbs")
}

fn register(
    registry: &mut Handlebars<'static>,
    name: &str,
    source: &str,
) -> Result<(), ThemeError> {
    registry
        .register_template_string(name, dialect::translate(source))
        .map_err(|source| ThemeError::Template {
            name: name.to_owned(),
            source: Box::new(source),
        })
}

#[cfg(test)]
mod tests {
    use super::Theme;

    /// The HTTP layer shares one theme across request threads.
    #[test]
    fn theme_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Theme>();
    }

    #[test]
    fn a_theme_folder_translates_with_its_locales() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("package.json", r#"{"name": "t", "version": "1.0.0"}"#);
        write("index.hbs", r#"{{t "Latest"}}"#);
        write("post.hbs", "");
        write("locales/en.json", r#"{"Latest": "Latest news"}"#);
        write("locales/ar.json", r#"{"Latest": "آخر الأخبار"}"#);
        let theme = Theme::from_dir(dir.path()).unwrap();
        assert_eq!(theme.locale("ar-IQ")["Latest"], "آخر الأخبار");
        assert_eq!(theme.locale("fr")["Latest"], "Latest news");
    }

    #[test]
    fn builtin_theme_loads_its_templates_and_assets() {
        let theme = Theme::builtin().unwrap();
        for template in [
            "default",
            "home",
            "index",
            "post",
            "page",
            "tag",
            "author",
            "error-404",
        ] {
            assert!(theme.templates.contains_key(template), "{template}");
        }
        assert_eq!(theme.templates["post"].as_deref(), Some("default"));
        assert_eq!(theme.templates["default"], None);
        assert!(theme.asset("css/screen.css").is_some());
    }
}
