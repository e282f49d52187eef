//! A loaded theme: its templates compiled once, its partials, helpers and assets in memory, so
//! a render does no file I/O and no parsing.

mod assets;
pub(crate) mod dialect;
mod files;
mod hierarchy;
mod layout;
mod package;

pub use assets::Asset;

use std::collections::HashMap;
use std::path::Path;

use handlebars::{Context, Handlebars};
use serde_json::Value as Json;

use crate::error::ThemeError;
use crate::helpers;
use crate::page::{PageView, ThemeGlobals};
use assets::AssetStore;
use files::ThemeFiles;
use package::Package;

/// Layouts may wrap layouts (`post.hbs` → `article.hbs` → `default.hbs`); deeper than this is a
/// loop.
const MAX_LAYOUT_DEPTH: usize = 8;

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
    posts_per_page: u32,
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

    /// The theme's name from `package.json`.
    pub fn name(&self) -> &str {
        &self.name
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
        let globals = ThemeGlobals {
            custom: &self.custom,
            posts_per_page: self.posts_per_page,
        };
        let data = page.render_data(&globals).map_err(ThemeError::Data)?;
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
        let defaults = [
            ("navigation", include_str!("engine/defaults/navigation.hbs")),
            ("pagination", include_str!("engine/defaults/pagination.hbs")),
        ];
        for (name, source) in defaults {
            register(&mut registry, name, source)?;
        }

        let mut templates = HashMap::new();
        let mut assets = AssetStore::default();
        for (path, bytes) in files.0 {
            if let Some(asset_path) = path.strip_prefix("assets/") {
                assets.insert(asset_path, bytes);
                continue;
            }
            let Some(stem) = path.strip_suffix(".hbs") else {
                continue;
            };
            let source = std::str::from_utf8(&bytes)
                .map_err(|_| ThemeError::NotUtf8 { path: path.clone() })?;
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

        Ok(Theme {
            name: package.name,
            registry,
            templates,
            assets,
            custom: package.custom,
            posts_per_page: package.posts_per_page,
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
