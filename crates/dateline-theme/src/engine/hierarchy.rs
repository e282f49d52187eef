//! Ghost's template hierarchy: for each page, the templates a theme may provide, most specific
//! first. The engine renders the first one the theme has.

use crate::page::PageView;

/// Candidate template names (without `.hbs`) for `page`, most specific first.
pub(crate) fn candidates(page: &PageView) -> Vec<String> {
    match page {
        PageView::Home { pagination, .. } if pagination.page == 1 => {
            vec!["home".into(), "index".into()]
        }
        PageView::Home { .. } => vec!["index".into()],
        PageView::Post { post, .. } => {
            let mut names = custom_template(post.custom_template.as_deref());
            names.extend([format!("post-{}", post.slug), "post".into()]);
            names
        }
        PageView::Page { page, .. } => {
            let mut names = custom_template(page.custom_template.as_deref());
            names.extend([format!("page-{}", page.slug), "page".into(), "post".into()]);
            names
        }
        PageView::Tag { tag, .. } => {
            vec![format!("tag-{}", tag.slug), "tag".into(), "index".into()]
        }
        PageView::Author { author, .. } => {
            vec![
                format!("author-{}", author.slug),
                "author".into(),
                "index".into(),
            ]
        }
        PageView::NotFound { .. } => vec!["error-404".into(), "error".into()],
        // `routes.yaml` names them; the site adds Ghost's fallbacks when it builds the page.
        PageView::Named { templates, .. } => templates.clone(),
    }
}

/// Ghost stores a post's chosen template as its file name (`custom-full-width`); a bare name
/// from another source gets the prefix Ghost requires.
fn custom_template(name: Option<&str>) -> Vec<String> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) if name.starts_with("custom-") => vec![name.to_owned()],
        Some(name) => vec![format!("custom-{name}")],
        None => Vec::new(),
    }
}
