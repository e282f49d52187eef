//! A theme checked before it is installed, the way Ghost's `gscan` does: a bad `package.json`,
//! missing templates, templates that do not compile and helpers Ghost does not have are errors
//! (the theme is refused); what only degrades a page is a warning. Each finding names its file
//! and, where it has one, its line.

use std::fmt;
use std::path::Path;

use crate::engine::dialect::{helper_calls, partial_includes};
use crate::engine::{Theme, files::ThemeFiles, package::Package};
use crate::error::ThemeError;
use crate::helpers;

/// Every helper Ghost 5 gives themes, besides Handlebars' own. A name outside this list is
/// a typo or a helper from another platform, so Ghost (and Dateline) refuse the theme.
const GHOST_HELPERS: &[&str] = &[
    // Handlebars
    "if",
    "unless",
    "each",
    "with",
    "lookup",
    "log",
    "else",
    // Ghost
    "asset",
    "author",
    "authors",
    "block",
    "body_class",
    "cancel_link",
    "collection",
    "color_to_rgba",
    "comment_count",
    "comments",
    "concat",
    "content",
    "contentFor",
    "content_api_key",
    "content_api_url",
    "contrast_text_color",
    "date",
    "encode",
    "excerpt",
    "facebook_url",
    "foreach",
    "get",
    "ghost_foot",
    "ghost_head",
    "has",
    "img_url",
    "is",
    "json",
    "lang",
    "link",
    "link_class",
    "match",
    "meta_description",
    "meta_title",
    "navigation",
    "next_post",
    "page_url",
    "pagination",
    "plural",
    "post",
    "post_class",
    "prev_post",
    "price",
    "primary_author",
    "primary_tag",
    "raw",
    "readable_url",
    "reading_time",
    "recommendations",
    "search",
    "social_accounts",
    "social_url",
    "split",
    // Ghost 1.x and 2.x, kept for their themes.
    "subscribe_form",
    "t",
    "tag",
    "tags",
    "tiers",
    "title",
    "total_members",
    "total_paid_members",
    "twitter_url",
    "url",
];

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The theme is refused.
    Error,
    /// The theme is accepted; the finding is shown.
    Warning,
}

/// One finding of the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// Path inside the theme folder (`partials/post-card.hbs`).
    pub file: String,
    /// 1-based line, when the finding has one.
    pub line: Option<usize>,
    pub message: String,
}

/// What the check found, and the theme's name from `package.json`.
#[derive(Debug, Clone)]
pub struct Report {
    name: String,
    pub findings: Vec<Finding>,
}

impl Report {
    /// The theme's `package.json` name (its folder name once installed).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    fn push(&mut self, severity: Severity, file: &str, line: Option<usize>, message: String) {
        self.findings.push(Finding {
            severity,
            file: file.to_owned(),
            line,
            message,
        });
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            let level = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            match finding.line {
                Some(line) => writeln!(f, "{level}: {}:{line}: {}", finding.file, finding.message)?,
                None => writeln!(f, "{level}: {}: {}", finding.file, finding.message)?,
            }
        }
        Ok(())
    }
}

/// Checks the theme folder at `path`. Only an unreadable folder is an `Err`; everything wrong
/// with the theme itself is in the report.
pub fn check_dir(path: &Path) -> Result<Report, ThemeError> {
    let files = ThemeFiles::from_dir(path)?;
    let mut report = Report {
        name: String::new(),
        findings: Vec::new(),
    };
    check_package(&files, &mut report);
    for required in ["index.hbs", "post.hbs"] {
        if !files.0.iter().any(|(p, _)| p == required) {
            report.push(
                Severity::Error,
                required,
                None,
                format!("{required} is missing; Ghost themes must have it"),
            );
        }
    }
    // gscan asks for `default.hbs` only; `page.hbs`, `tag.hbs`, `error.hbs` and the like fall
    // back to `index.hbs` or Ghost's own page without a word, and so do they here.
    if !files.0.iter().any(|(p, _)| p == "default.hbs") {
        report.push(
            Severity::Warning,
            "default.hbs",
            None,
            "default.hbs is missing; Ghost recommends a default layout".to_owned(),
        );
    }
    for (file, bytes) in &files.0 {
        if !file.ends_with(".hbs") {
            continue;
        }
        let Ok(source) = std::str::from_utf8(bytes) else {
            report.push(Severity::Error, file, None, "is not UTF-8".to_owned());
            continue;
        };
        for (name, line) in helper_calls(source) {
            if !GHOST_HELPERS.contains(&name.as_str()) {
                report.push(
                    Severity::Error,
                    file,
                    Some(line),
                    format!("unknown helper {{{{{name}}}}}"),
                );
            } else if !helpers::is_known(&name) {
                report.push(
                    Severity::Warning,
                    file,
                    Some(line),
                    format!(
                        "Dateline does not have Ghost's {{{{{name}}}}} yet; it renders nothing"
                    ),
                );
            }
        }
    }
    // A partial included by name must exist (Ghost's gscan refuses the theme otherwise); the
    // engine's own defaults count, since Dateline renders them.
    let partials: Vec<&str> = files
        .0
        .iter()
        .filter_map(|(p, _)| p.strip_prefix("partials/")?.strip_suffix(".hbs"))
        .chain(crate::engine::DEFAULT_PARTIALS.iter().copied())
        .collect();
    for (file, bytes) in &files.0 {
        let Some(source) = file
            .ends_with(".hbs")
            .then(|| std::str::from_utf8(bytes).ok())
            .flatten()
        else {
            continue;
        };
        for (name, line) in partial_includes(source) {
            if !partials.contains(&name.as_str()) {
                report.push(
                    Severity::Error,
                    file,
                    Some(line),
                    format!("the partial {{{{> {name}}}}} does not exist (no partials/{name}.hbs)"),
                );
            }
        }
    }
    // What the checks above cannot see (a template that does not compile, a layout that does
    // not exist) surfaces when the theme is loaded as the site would load it.
    if !report.has_errors()
        && let Err(err) = Theme::from_files(files)
    {
        let line = match &err {
            ThemeError::Template { source, .. } => source.pos().map(|(line, _)| line),
            _ => None,
        };
        report.push(Severity::Error, &file_of(&err), line, err.to_string());
    }
    Ok(report)
}

fn check_package(files: &ThemeFiles, report: &mut Report) {
    const FILE: &str = "package.json";
    let Some((_, bytes)) = files.0.iter().find(|(p, _)| p == FILE) else {
        report.push(
            Severity::Error,
            FILE,
            None,
            "package.json is missing".to_owned(),
        );
        return;
    };
    let json: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(json) => json,
        Err(err) => {
            report.push(
                Severity::Error,
                FILE,
                Some(err.line()),
                format!("package.json is not valid JSON: {err}"),
            );
            return;
        }
    };
    match json.get("name").and_then(|n| n.as_str()) {
        Some(name) if !name.is_empty() => name.clone_into(&mut report.name),
        _ => report.push(
            Severity::Error,
            FILE,
            None,
            "package.json has no \"name\"".to_owned(),
        ),
    }
    if json.get("version").and_then(|v| v.as_str()).is_none() {
        report.push(
            Severity::Error,
            FILE,
            None,
            "package.json has no \"version\"".to_owned(),
        );
    }
    if let Err(err) = Package::parse(Some(bytes)) {
        report.push(
            Severity::Error,
            FILE,
            Some(err.line()),
            format!("package.json \"config\" is invalid: {err}"),
        );
    }
    if json.pointer("/config/posts_per_page").is_none() {
        report.push(
            Severity::Warning,
            FILE,
            None,
            "\"config.posts_per_page\" is not set; listings show 5 posts".to_owned(),
        );
    }
}

/// The file a load error is about, for the report.
fn file_of(err: &ThemeError) -> String {
    match err {
        ThemeError::Template { name, .. } => match name.strip_suffix(".hbs") {
            Some(template) => format!("{template}.hbs"),
            None => format!("partials/{name}.hbs"),
        },
        ThemeError::MissingLayout { template, .. } | ThemeError::LayoutLoop(template) => {
            format!("{template}.hbs")
        }
        ThemeError::Package(_) => "package.json".to_owned(),
        ThemeError::Locale { path, .. } => path.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Severity, check_dir};

    /// A theme folder holding only a valid `package.json` named `t`.
    fn theme_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        put(
            &dir,
            "package.json",
            r#"{"name": "t", "version": "1.0.0", "config": {"posts_per_page": 5}}"#,
        );
        dir
    }

    /// Writes `text` to `path` inside the theme folder, making its folders.
    fn put(dir: &tempfile::TempDir, path: &str, text: &str) {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn ghost_helpers_dateline_lacks_are_warnings_and_others_errors() {
        let dir = theme_dir();
        let write = |path: &str, text: &str| put(&dir, path, text);
        write(
            "index.hbs",
            // Ghost 1's `{{author}}` helper, which Dateline reads only as a value.
            "{{author name}}\n{{#foreach posts}}{{/foreach}}",
        );
        write("post.hbs", "<p>\n\n{{shout title}}</p>");
        let report = check_dir(dir.path()).unwrap();
        let found: Vec<_> = report
            .findings
            .iter()
            .map(|f| (f.severity, f.file.as_str(), f.line))
            .collect();
        assert!(
            found.contains(&(Severity::Warning, "index.hbs", Some(1))),
            "{report}"
        );
        assert!(
            found.contains(&(Severity::Error, "post.hbs", Some(3))),
            "{report}"
        );
        assert!(report.has_errors());
        assert_eq!(report.name(), "t");
    }

    #[test]
    fn only_a_missing_default_layout_is_noted_as_gscan_does() {
        let dir = theme_dir();
        let write = |path: &str, text: &str| put(&dir, path, text);
        write("index.hbs", "{{#foreach posts}}{{title}}{{/foreach}}");
        write("post.hbs", "{{#post}}{{title}}{{/post}}");
        let files = |report: &super::Report| -> Vec<String> {
            report.findings.iter().map(|f| f.file.clone()).collect()
        };
        assert_eq!(files(&check_dir(dir.path()).unwrap()), ["default.hbs"]);
        write("default.hbs", "{{{body}}}");
        assert!(check_dir(dir.path()).unwrap().findings.is_empty());
    }

    #[test]
    fn a_partial_included_by_name_must_exist_as_gscan_requires() {
        let dir = theme_dir();
        let write = |path: &str, text: &str| put(&dir, path, text);
        write("default.hbs", "{{{body}}}");
        write("partials/icons/rss.hbs", "<svg></svg>");
        // Its own partials, the engine's defaults, a block with a fallback, a computed name.
        write(
            "index.hbs",
            "{{> \"icons/rss\"}}{{> pagination}}{{#> missing}}fallback{{/missing}}{{> (concat 'a' 'b')}}",
        );
        write("post.hbs", "{{#post}}{{title}}{{/post}}\n{{> author-box}}");
        let report = check_dir(dir.path()).unwrap();
        let errors: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("{}:{:?}: {}", f.file, f.line, f.message))
            .collect();
        assert_eq!(
            errors,
            [
                "post.hbs:Some(2): the partial {{> author-box}} does not exist (no partials/author-box.hbs)"
            ]
        );
        write("partials/author-box.hbs", "{{name}}");
        assert!(!check_dir(dir.path()).unwrap().has_errors());
    }

    #[test]
    fn a_template_that_does_not_compile_is_refused_with_its_line() {
        let dir = theme_dir();
        let write = |path: &str, text: &str| put(&dir, path, text);
        write("default.hbs", "{{{body}}}");
        write("index.hbs", "{{#foreach posts}}{{title}}{{/foreach}}");
        write("post.hbs", "{{!< default}}\n{{#post}}<h1>{{title}}</h1>\n");
        let report = check_dir(dir.path()).unwrap();
        assert!(report.has_errors());
        let finding = &report.findings[0];
        assert_eq!((finding.file.as_str(), finding.line), ("post.hbs", Some(3)));
    }
}
