//! The site's public address and the one place that turns stored URLs into the URLs readers get.
//!
//! Ghost stores its own links with the placeholder `__GHOST_URL__` (so a site can move without
//! rewriting every post) and navigation with root-relative paths; readers, feeds, search
//! engines and social cards need absolute URLs, so view models resolve every stored URL here.

/// Ghost's placeholder for the site's own address inside stored content.
const GHOST_URL: &str = "__GHOST_URL__";

/// The public site URL, kept without a trailing slash (`https://example.com/news`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SiteUrl {
    base: String,
    /// Length of `scheme://host[:port]`: what is stripped to make a URL site-relative.
    origin_len: usize,
}

impl SiteUrl {
    pub(crate) fn new(url: &str) -> Self {
        let base = url.trim().trim_end_matches('/').to_owned();
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        let origin_len = base[after_scheme..]
            .find('/')
            .map_or(base.len(), |i| after_scheme + i);
        SiteUrl { base, origin_len }
    }

    /// The URL without a trailing slash, as Ghost's `@site.url`.
    pub(crate) fn as_str(&self) -> &str {
        &self.base
    }

    /// `path` (starting with `/`) under the site, e.g. `/tag/news/`.
    pub(crate) fn join(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.base.len() + path.len());
        url.push_str(&self.base);
        url.push_str(path);
        url
    }

    /// A stored URL made absolute: the placeholder and root-relative paths are resolved against
    /// the site; absolute, protocol-relative, fragment and `mailto:` URLs are left alone.
    pub(crate) fn absolute(&self, stored: &str) -> String {
        if let Some(rest) = stored.strip_prefix(GHOST_URL) {
            self.join(if rest.is_empty() { "/" } else { rest })
        } else if stored.starts_with('/') && !stored.starts_with("//") {
            self.join(stored)
        } else {
            stored.to_owned()
        }
    }

    /// Every placeholder in a stored HTML body replaced by the site URL.
    pub(crate) fn resolve_placeholders(&self, html: &str) -> String {
        if html.contains(GHOST_URL) {
            html.replace(GHOST_URL, &self.base)
        } else {
            html.to_owned()
        }
    }

    /// `url` without the site's origin when it is on this site (`/news/slug/`), as Ghost's
    /// `{{url}}` prints links; other URLs are returned unchanged.
    pub(crate) fn relative<'a>(&self, url: &'a str) -> &'a str {
        let origin = &self.base[..self.origin_len];
        match url.strip_prefix(origin) {
            Some("") => "/",
            Some(path) if path.starts_with('/') => path,
            _ => url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_ghost_placeholder_and_root_paths() {
        let site = SiteUrl::new("http://localhost:2368/");
        assert_eq!(site.as_str(), "http://localhost:2368");
        assert_eq!(
            site.absolute("__GHOST_URL__/content/images/a.jpg"),
            "http://localhost:2368/content/images/a.jpg"
        );
        assert_eq!(site.absolute("__GHOST_URL__"), "http://localhost:2368/");
        assert_eq!(site.absolute("/about/"), "http://localhost:2368/about/");
        assert_eq!(site.absolute("https://x.org/a"), "https://x.org/a");
        assert_eq!(site.absolute("//cdn.x.org/a"), "//cdn.x.org/a");
        assert_eq!(site.absolute("#/portal/"), "#/portal/");
    }

    #[test]
    fn relative_keeps_a_subdirectory() {
        let site = SiteUrl::new("https://example.com/news");
        assert_eq!(site.relative("https://example.com/news/a/"), "/news/a/");
        assert_eq!(site.relative("https://example.com"), "/");
        assert_eq!(
            site.relative("https://example.community/a"),
            "https://example.community/a"
        );
        assert_eq!(
            site.relative("https://other.org/a/"),
            "https://other.org/a/"
        );
    }

    #[test]
    fn replaces_placeholders_in_html() {
        let site = SiteUrl::new("https://example.com");
        assert_eq!(
            site.resolve_placeholders(r#"<img src="__GHOST_URL__/a.jpg">"#),
            r#"<img src="https://example.com/a.jpg">"#
        );
    }
}
