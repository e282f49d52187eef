//! Responsive images in the built-in theme: the fixture's images are 1200×675 (stories) and
//! 400×400 (profile pictures), so every local `<img>` gets its size, a `srcset` of the
//! variants below its width, and lazy loading unless it is the first thing a reader sees.

use crate::fixture::{SEED, element, fixture, render};

/// The opening tag of the first `<img` after `marker`.
fn img_after<'a>(html: &'a str, marker: &str) -> &'a str {
    let from = html.find(marker).expect("marker")
        + html[html.find(marker).unwrap()..]
            .find("<img")
            .expect("an image");
    &html[from..from + html[from..].find('>').unwrap() + 1]
}

const IMG0_SRCSET: &str = "/content/images/size/w300/2026/11/img0.jpg 300w, /content/images/size/w600/2026/11/img0.jpg 600w, /content/images/size/w960/2026/11/img0.jpg 960w, /content/images/2026/11/img0.jpg 1200w";

#[test]
fn the_feature_image_loads_first_with_its_size_and_variants() {
    let f = fixture();
    let html = render(&f.article_page(f.post(SEED)));
    assert_eq!(
        img_after(&html, r#"class="article-image""#),
        format!(
            r#"<img src="/content/images/size/w1200/2026/11/img0.jpg" srcset="{IMG0_SRCSET}" sizes="(min-width: 62rem) 62rem, 100vw" width="1200" height="675" alt="Image of PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner" fetchpriority="high">"#
        )
    );
    assert_eq!(
        img_after(&html, r#"class="author-card""#),
        r#"<img class="author-card__image" src="/content/images/size/w160/2026/11/the-new-region.png" alt="Profile picture of The New Region" lang="en" width="72" height="72" loading="lazy" decoding="async">"#
    );
    // Related stories are below the fold.
    let related = element(&html, r#"class="related block wrap""#);
    let card = img_after(related, "<article");
    assert!(card.contains(r#"width="1200" height="675""#), "{card}");
    assert!(
        card.contains(r#" loading="lazy" decoding="async""#),
        "{card}"
    );
    assert!(
        card.contains(r#"src="/content/images/size/w600/"#),
        "{card}"
    );
}

#[test]
fn the_lead_story_loads_first_and_cards_lazily() {
    let html = render(&fixture().home_page());
    let lead = img_after(&html, r#"class="lead wrap""#);
    assert!(
        lead.contains(&format!(r#"srcset="{IMG0_SRCSET}""#)),
        "{lead}"
    );
    assert!(lead.contains(r#"width="1200" height="675""#), "{lead}");
    assert!(
        lead.contains(r#"fetchpriority="high""#) && !lead.contains("lazy"),
        "{lead}"
    );
    let latest = element(&html, r#"aria-labelledby="latest-title""#);
    for at in latest.match_indices("<img").map(|(at, _)| at) {
        let tag = &latest[at..at + latest[at..].find('>').unwrap()];
        assert!(
            tag.contains(r#"loading="lazy""#) && tag.contains("width="),
            "{tag}"
        );
    }
}

#[test]
fn body_images_are_sized_and_lazy_and_other_hosts_are_left_unsized() {
    let f = fixture();
    let mut post = f.post(SEED).clone();
    post.html = Some(concat!(
        r#"<figure class="kg-card kg-image-card"><img src="__GHOST_URL__/content/images/2026/11/img1.jpg" class="kg-image" alt="Erbil"></figure>"#,
        r#"<p><img src="https://images.example.org/photo.jpg" alt="Elsewhere"></p>"#
    ).to_owned());
    post.feature_image = Some("https://images.example.org/feature.jpg".to_owned());
    let html = render(&f.article_page(&post));
    let body = element(&html, r#"class="article-body gh-content""#);
    assert!(body.contains(concat!(
        r#"<img src="http://localhost:2368/content/images/2026/11/img1.jpg" class="kg-image" alt="Erbil" width="1200" height="675" "#,
        r#"srcset="/content/images/size/w300/2026/11/img1.jpg 300w, /content/images/size/w600/2026/11/img1.jpg 600w, /content/images/size/w960/2026/11/img1.jpg 960w, /content/images/2026/11/img1.jpg 1200w" "#,
        r#"sizes="(min-width: 42rem) 42rem, 100vw" loading="lazy" decoding="async">"#
    )), "{body}");
    assert!(body.contains(r#"<img src="https://images.example.org/photo.jpg" alt="Elsewhere" loading="lazy" decoding="async">"#), "{body}");
    let feature = img_after(&html, r#"class="article-image""#);
    assert_eq!(
        feature,
        r#"<img src="https://images.example.org/feature.jpg" alt="Image of PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner" fetchpriority="high">"#
    );
}
