//! What can go wrong with a theme. Loading errors name the file so a theme author can fix it;
//! render errors name the template. A theme is checked when it is loaded, so in a running site
//! only a render error (a template reading data the wrong way) can surface, and the HTTP layer
//! answers it with a 500 without showing the reader any detail.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("cannot read theme file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("theme file {path} is not UTF-8")]
    NotUtf8 { path: String },
    #[error("theme file {path} is not valid JSON: {source}")]
    Locale {
        path: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("the theme's package.json is invalid: {0}")]
    Package(#[source] serde_json::Error),
    #[error("template {name} does not compile: {source}")]
    Template {
        name: String,
        #[source]
        source: Box<handlebars::TemplateError>,
    },
    /// Ghost requires `index.hbs` and `post.hbs`; without them most pages have no template.
    #[error("the theme has no {0}.hbs")]
    MissingTemplate(&'static str),
    #[error("{template}.hbs uses the layout {layout}.hbs, which the theme does not have")]
    MissingLayout { template: String, layout: String },
    #[error("layouts of {0}.hbs nest too deeply (is a layout its own layout?)")]
    LayoutLoop(String),
    #[error("rendering {template}.hbs failed: {source}")]
    Render {
        template: String,
        #[source]
        source: Box<handlebars::RenderError>,
    },
    #[error("page data could not be prepared: {0}")]
    Data(#[source] serde_json::Error),
}
