//! The `excerpt` field of Ghost's Content API.
//!
//! Ghost 5 returns the custom excerpt when the post has one and otherwise the first 500
//! characters of the post's plaintext, cut mid-word with no ellipsis: themes and integrations
//! built for Ghost expect exactly that text, so Dateline cuts the same way.

/// How much plaintext Ghost puts in an automatic excerpt, counted in UTF-16 code units because
/// Ghost cuts with JavaScript's `String.prototype.substring`.
const AUTO_EXCERPT_UTF16_UNITS: usize = 500;

/// The post's excerpt: `custom_excerpt` when set, otherwise the start of `plaintext`.
///
/// An empty custom excerpt counts as unset, as in Ghost's serializer (`!attrs.custom_excerpt`);
/// Ghost stores no empty custom excerpts anyway.
pub fn excerpt(custom_excerpt: Option<&str>, plaintext: &str) -> String {
    match custom_excerpt {
        Some(custom) if !custom.is_empty() => custom.to_owned(),
        _ => utf16_prefix(plaintext, AUTO_EXCERPT_UTF16_UNITS).to_owned(),
    }
}

/// The longest prefix of `text` that is at most `units` UTF-16 code units long.
///
/// JavaScript can split a surrogate pair and keep half of it; a Rust string cannot hold half a
/// character, so a character straddling the limit is left out whole.
fn utf16_prefix(text: &str, units: usize) -> &str {
    let mut used = 0;
    for (index, c) in text.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &text[..index];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_excerpt_wins() {
        assert_eq!(excerpt(Some("Custom."), "Plain text."), "Custom.");
    }

    #[test]
    fn empty_custom_excerpt_falls_back_to_plaintext() {
        assert_eq!(excerpt(Some(""), "Plain text."), "Plain text.");
    }

    #[test]
    fn short_plaintext_is_kept_whole() {
        assert_eq!(excerpt(None, "One.\n\nTwo."), "One.\n\nTwo.");
    }

    #[test]
    fn long_plaintext_is_cut_at_500_utf16_units() {
        let long = "word ".repeat(200);
        assert_eq!(excerpt(None, &long), &long[..500]);
        // Non-ASCII characters count once (they are one UTF-16 unit each)...
        let arabic = "ب".repeat(600);
        assert_eq!(excerpt(None, &arabic).chars().count(), 500);
        // ...while astral characters count twice, and one straddling the cut is dropped.
        let emoji = format!("{}{}", "a".repeat(499), "😀 tail");
        assert_eq!(excerpt(None, &emoji), "a".repeat(499));
    }

    /// Every post in the Content API golden file, including one without a custom excerpt.
    #[test]
    fn matches_ghost_content_api() {
        let golden: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../shared/fixtures/ghost-5.130/content-api/posts.browse.json"
        ))
        .expect("golden file is JSON");
        let export: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../shared/fixtures/ghost-5.130/ghost-export.json"
        ))
        .expect("export is JSON");
        let stored = export["db"][0]["data"]["posts"]
            .as_array()
            .expect("posts are a list");
        let api_posts = golden["posts"].as_array().expect("posts are a list");
        assert!(api_posts.len() >= 8);
        for api_post in api_posts {
            let row = stored
                .iter()
                .find(|row| row["slug"] == api_post["slug"])
                .expect("every API post is in the export");
            let plaintext = row["plaintext"].as_str().unwrap_or_default();
            assert_eq!(
                excerpt(api_post["custom_excerpt"].as_str(), plaintext),
                api_post["excerpt"].as_str().expect("excerpt is a string"),
                "excerpt of {}",
                api_post["slug"]
            );
        }
    }
}
