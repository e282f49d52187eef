//! The files of a theme, wherever they come from: embedded in the binary (the built-in theme)
//! or read once from a Ghost-style theme folder. Only what the engine uses is kept:
//! `package.json`, the templates at the top, `partials/**/*.hbs`, `assets/**` and
//! `locales/*.json`.

use std::borrow::Cow;
use std::fs;
use std::path::Path;

use crate::error::ThemeError;

/// Dateline's own theme, compiled into the binary.
#[derive(rust_embed::Embed)]
#[folder = "theme/"]
struct BuiltinTheme;

/// A theme's files as (path with `/` separators, content).
pub(crate) struct ThemeFiles(pub(crate) Vec<(String, Cow<'static, [u8]>)>);

impl ThemeFiles {
    pub(crate) fn builtin() -> Self {
        let files = BuiltinTheme::iter()
            .filter(|path| is_theme_file(path))
            .filter_map(|path| BuiltinTheme::get(&path).map(|file| (path.into_owned(), file.data)))
            .collect();
        ThemeFiles(files)
    }

    pub(crate) fn from_dir(root: &Path) -> Result<Self, ThemeError> {
        let mut files = Vec::new();
        collect(root, "", &mut files)?;
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(ThemeFiles(files))
    }
}

/// Whether the engine needs `path` (relative to the theme folder).
fn is_theme_file(path: &str) -> bool {
    match path.split_once('/') {
        None => path == "package.json" || path.ends_with(".hbs"),
        Some(("partials", rest)) => rest.ends_with(".hbs"),
        Some(("assets", _)) => true,
        Some(("locales", rest)) => rest.ends_with(".json") && !rest.contains('/'),
        Some(_) => false,
    }
}

/// Reads `dir` (at `prefix` inside the theme) recursively. Hidden entries and `node_modules`
/// are skipped, and symbolic links to folders are not followed, so a theme cannot loop.
fn collect(
    dir: &Path,
    prefix: &str,
    files: &mut Vec<(String, Cow<'static, [u8]>)>,
) -> Result<(), ThemeError> {
    let io = |source| ThemeError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        let relative = format!("{prefix}{name}");
        let file_type = entry.file_type().map_err(io)?;
        if file_type.is_dir() {
            if matches!(relative.as_str(), "partials" | "assets" | "locales")
                || relative.starts_with("partials/")
                || relative.starts_with("assets/")
            {
                collect(&entry.path(), &format!("{relative}/"), files)?;
            }
        } else if is_theme_file(&relative) {
            let path = entry.path();
            let bytes = fs::read(&path).map_err(|source| ThemeError::Io { path, source })?;
            files.push((relative, Cow::Owned(bytes)));
        }
    }
    Ok(())
}
