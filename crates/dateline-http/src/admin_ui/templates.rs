//! The admin's templates and static files, embedded from `crates/dateline-http/admin/`.
//! Templates are compiled once; every page gets the version of the static files, which goes
//! into their URLs so a new build is never served an old script from a browser's cache.

use std::sync::LazyLock;

use axum::response::Html;
use minijinja::{Environment, Value};
use sha2::{Digest, Sha256};

use crate::error::HttpError;

#[derive(rust_embed::Embed)]
#[folder = "admin/"]
struct Files;

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for name in Files::iter().filter_map(|path| path.strip_prefix("templates/").map(str::to_owned))
    {
        let source = Files::get(&format!("templates/{name}"))
            .map(|f| String::from_utf8_lossy(&f.data).into_owned())
            .unwrap_or_default();
        if let Err(err) = env.add_template_owned(name, source) {
            tracing::error!(error = %err, "an admin template does not compile");
        }
    }
    env.add_global("asset_version", VERSION.as_str());
    env
});

/// A short hash of every static file, for their URLs.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut hash = Sha256::new();
    for path in Files::iter().filter(|p| p.starts_with("static/")) {
        if let Some(file) = Files::get(&path) {
            hash.update(file.metadata.sha256_hash());
        }
    }
    hex::encode(hash.finalize())[..12].to_owned()
});

/// Renders the template `name` (`login.html`) with `context`.
pub fn render(name: &str, context: Value) -> Result<Html<String>, HttpError> {
    TEMPLATES
        .get_template(name)
        .and_then(|t| t.render(context))
        .map(Html)
        .map_err(|e| HttpError::internal(&e))
}

/// A static file under `admin/static/` and its content type.
pub fn asset(path: &str) -> Option<(Vec<u8>, &'static str)> {
    let content_type = match path.rsplit_once('.')?.1 {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        _ => return None,
    };
    let file = Files::get(&format!("static/{path}"))?;
    Some((file.data.into_owned(), content_type))
}
