//! `{{readable_url url}}`: a URL as a reader would say it (`https://www.ghost.org/about/?x#y`
//! → `ghost.org/about`): without its scheme, `www.`, query, fragment and trailing slash, but
//! with its subdomains and path, as Ghost's helper shows links beside recommendations. Anything
//! but a string renders nothing and is logged, as in Ghost.

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext};
use serde_json::Value as Json;

use super::write_url;

pub(crate) struct ReadableUrl;

impl HelperDef for ReadableUrl {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        match h.param(0).map(|p| p.value()) {
            Some(Json::String(url)) if !url.is_empty() => write_url(out, rc, &readable(url)),
            other => {
                tracing::warn!(value = ?other, "{{{{readable_url}}}} expects a URL string");
                Ok(())
            }
        }
    }
}

fn readable(url: &str) -> String {
    let url = url.trim();
    let without_scheme = match url.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            rest
        }
        _ => url.strip_prefix("//").unwrap_or(url),
    };
    let end = without_scheme
        .find(['?', '#'])
        .unwrap_or(without_scheme.len());
    let address = &without_scheme[..end];
    let address = address.strip_prefix("www.").unwrap_or(address);
    address.trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::readable;
    use crate::helpers::testing::render;

    #[test]
    fn keeps_what_a_reader_would_say() {
        for (url, shown) in [
            ("https://google.com", "google.com"),
            ("www.google.com", "google.com"),
            ("https://www.google.com/?foo=bar&dog=love", "google.com"),
            ("https://google.com#section-1", "google.com"),
            ("https://ghost.org/about/", "ghost.org/about"),
            ("https://account.ghost.org", "account.ghost.org"),
            ("//cdn.example.com/a", "cdn.example.com/a"),
        ] {
            assert_eq!(readable(url), shown, "{url}");
        }
    }

    #[test]
    fn renders_escaped_and_nothing_for_non_strings() {
        let data = json!({"site": "https://www.example.com/a<b>/", "n": 3});
        assert_eq!(
            render("{{readable_url site}}|{{readable_url n}}", data),
            "example.com/a&lt;b&gt;|"
        );
    }
}
