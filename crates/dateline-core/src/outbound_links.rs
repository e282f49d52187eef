//! Ghost's outbound link tagging: links that leave the site get `ref=<site host>` so the sites
//! they point to can see where readers came from. Ghost applies it to the Content API's HTML and
//! feeds; links to the site itself and links that already carry a `ref` are left alone.

use std::borrow::Cow;

use crate::settings::Settings;

/// Whether the site tags outbound links: Ghost's `outbound_link_tagging`, on unless `false`.
pub fn enabled(settings: &Settings) -> bool {
    settings.get("outbound_link_tagging") != Some("false")
}

/// `html` with `ref=<host of site_url>` added to the query of every absolute http(s) link to
/// another host.
pub fn tag<'a>(html: &'a str, site_url: &str) -> Cow<'a, str> {
    let Some(site_host) = host(site_url) else {
        return Cow::Borrowed(html);
    };
    let mut out = String::new();
    let mut rest = html;
    let mut changed = false;
    while let Some(at) = find_href(rest) {
        let (before, from_value) = rest.split_at(at);
        let Some(end) = from_value.find('"') else {
            break;
        };
        let url = &from_value[..end];
        out.push_str(before);
        match tagged(url, site_host) {
            Some(new) => {
                out.push_str(&new);
                changed = true;
            }
            None => out.push_str(url),
        }
        rest = &from_value[end..];
    }
    if !changed {
        return Cow::Borrowed(html);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Offset just past the next `<a … href="` in `html`.
fn find_href(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = html[from..].find("href=\"") {
        let at = from + pos;
        let tag_start = html[..at].rfind('<')?;
        let is_anchor = html[tag_start..].starts_with("<a ") && !html[tag_start..at].contains('>');
        if is_anchor {
            return Some(at + "href=\"".len());
        }
        from = at + 1;
    }
    None
}

fn host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

fn tagged(url: &str, site_host: &str) -> Option<String> {
    let link_host = host(url)?;
    if link_host.eq_ignore_ascii_case(site_host) {
        return None;
    }
    let (base, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let query = base.split_once('?').map(|(_, q)| q).unwrap_or("");
    if query
        .split(['&', ';'])
        .any(|p| p == "ref" || p.starts_with("ref="))
    {
        return None;
    }
    let separator = if base.contains('?') {
        if base.ends_with('?') || base.ends_with('&') {
            ""
        } else {
            "&amp;"
        }
    } else {
        "?"
    };
    Some(format!("{base}{separator}ref={site_host}{fragment}"))
}

#[cfg(test)]
mod tests {
    use super::tag;

    const SITE: &str = "http://localhost:2368";

    #[test]
    fn external_links_get_a_ref() {
        let html = r#"<p>Told <a href="https://example.com/report">a broadcaster</a>.</p>"#;
        assert_eq!(
            tag(html, SITE),
            r#"<p>Told <a href="https://example.com/report?ref=localhost">a broadcaster</a>.</p>"#
        );
    }

    #[test]
    fn queries_fragments_and_existing_refs() {
        assert_eq!(
            tag(r#"<a href="https://x.org/a?b=1#top">x</a>"#, SITE),
            r#"<a href="https://x.org/a?b=1&amp;ref=localhost#top">x</a>"#
        );
        let already = r#"<a href="https://x.org/?ref=elsewhere">x</a>"#;
        assert_eq!(tag(already, SITE), already);
    }

    #[test]
    fn internal_relative_mail_and_non_anchor_links_are_left_alone() {
        for html in [
            r#"<a href="http://localhost:2368/about/">a</a>"#,
            r#"<a href="/about/">a</a>"#,
            r#"<a href="mailto:news@example.com">m</a>"#,
            r#"<link href="https://cdn.example.com/x.css">"#,
            r#"<img src="https://example.com/i.jpg">"#,
        ] {
            assert_eq!(tag(html, SITE), html);
        }
    }
}
