//! Rich text pasted into the editor, as clean Markdown. Unlike an import
//! (`dateline_core::body::markdown_from_html`, which keeps raw HTML wherever Markdown would
//! lose a detail), a paste from a browser or a word processor should lose its details: the
//! fonts, colours, classes and `<span>`s a word processor adds are noise in a story. What is
//! kept is what Markdown says: paragraphs, headings, emphasis, links, lists, quotes, images.

use std::sync::LazyLock;

use htmd::HtmlToMarkdown;
use htmd::options::{
    BulletListMarker, CodeBlockFence, CodeBlockStyle, HeadingStyle, HrStyle, LinkStyle, Options,
    TranslationMode,
};

/// One converter, built once: it holds no state between conversions.
static CONVERTER: LazyLock<HtmlToMarkdown> = LazyLock::new(|| {
    HtmlToMarkdown::builder()
        .skip_tags(vec!["head", "meta", "style", "script", "title", "o:p"])
        .options(Options {
            heading_style: HeadingStyle::Atx,
            hr_style: HrStyle::Dashes,
            link_style: LinkStyle::Inlined,
            code_block_style: CodeBlockStyle::Fenced,
            code_block_fence: CodeBlockFence::Backticks,
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            translation_mode: TranslationMode::Pure,
            ..Options::default()
        })
        .build()
});

/// Markdown for pasted `html`, cleaned of anything a contributor may not publish first.
pub fn markdown(html: &str) -> String {
    let clean = dateline_core::sanitize::untrusted_html(html);
    CONVERTER
        .convert(&clean)
        .unwrap_or_else(|_| dateline_core::plaintext::from_html(&clean))
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn word_processor_noise_is_dropped() {
        let html = r#"<html><head><style>p{color:red}</style></head><body>
            <h2 style="font-family:Calibri">Aid arrives</h2>
            <p class="MsoNormal"><b>Bold</b> and <i>leaning</i> <span style="color:red">text</span><o:p></o:p></p>
            <ul><li>one</li><li>two</li></ul></body></html>"#;
        assert_eq!(
            super::markdown(html),
            "## Aid arrives\n\n**Bold** and *leaning* text\n\n- one\n- two"
        );
    }
}
