//! `/{slug}/` for a post: the seed article of the fixture, element by element.

use dateline_core::id::ObjectId;
use dateline_core::post::Correction;
use dateline_theme::{PageView, PostView};

use crate::fixture::{SEED, SITE_URL, element, fixture, json_ld, position, render, text_of};

fn seed_html() -> String {
    let f = fixture();
    render(&f.article_page(f.post(SEED)))
}

#[test]
fn snapshot() {
    insta::assert_snapshot!("article", seed_html());
}

#[test]
fn elements_come_in_newsroom_order() {
    let html = seed_html();
    let order = [
        r#"<p class="section-label">"#,
        r#"<h1 class="article-title">"#,
        r#"<p class="standfirst">"#,
        r#"<div class="byline">"#,
        r#"<figure class="article-image">"#,
        r#"<span class="dateline">"#,
        r#"<nav class="article-tags""#,
        r#"<div class="author-card""#,
        r#"<section class="newsletter"#,
        r#"<aside class="related"#,
    ];
    let positions: Vec<usize> = order.iter().map(|marker| position(&html, marker)).collect();
    assert!(positions.is_sorted(), "out of order: {positions:?}");
}

#[test]
fn section_label_links_the_primary_tag() {
    let label = element(&seed_html(), r#"class="section-label""#).to_owned();
    assert_eq!(
        label,
        format!(r#"<p class="section-label"><a href="{SITE_URL}/tag/news/">News</a></p>"#)
    );
}

#[test]
fn headline_and_standfirst() {
    let html = seed_html();
    assert_eq!(
        text_of(element(&html, r#"class="article-title""#)),
        "PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner"
    );
    assert_eq!(
        element(&html, r#"class="standfirst""#),
        "<p class=\"standfirst\">Iraqi Prime Minister Mohammed Shia&#x27; al-Sudani told the North Atlantic Council that &quot;Iraq looks forward to NATO support in developing deterrence capabilities, while ensuring Iraq’s distancing from regional conflicts,&quot; according to a statement from his office.</p>"
    );
}

#[test]
fn byline_links_authors_and_dates_in_the_site_timezone() {
    let html = seed_html();
    let authors = element(&html, r#"class="byline__authors""#);
    assert_eq!(
        authors,
        r#"<p class="byline__authors">By <a href="/author/the-new-region/" rel="author">The New Region</a></p>"#
    );
    let meta = element(&html, r#"class="byline__meta""#);
    assert!(
        meta.contains(r#"<time datetime="2025-09-08T13:30:00+03:00">Sep 8, 2025</time>"#),
        "{meta}"
    );
    assert_eq!(text_of(meta), "Sep 8, 2025 • 2 min read");
}

#[test]
fn byline_joins_several_authors() {
    let f = fixture();
    let html =
        render(&f.article_page(f.post("analysis-what-the-nato-mission-means-for-iraqs-army")));
    assert_eq!(
        text_of(element(&html, r#"class="byline__authors""#)),
        "By The New Region and Editorial Desk"
    );
}

#[test]
fn feature_image_has_alt_and_caption() {
    let html = seed_html();
    let figure = element(&html, r#"class="article-image""#);
    assert!(
        figure.contains(r#"alt="Image of PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner" fetchpriority="high">"#),
        "{figure}"
    );
    assert_eq!(
        element(figure, "<figcaption"),
        "<figcaption>The meeting room of the North Atlantic Council, where Iraqi Prime Minister Mohammed Shia' al-Sudani gave a speech on September 8, 2025. Photo: Iraqi PMO</figcaption>"
    );
}

#[test]
fn caption_keeps_its_html() {
    let f = fixture();
    let mut post = f.post(SEED).clone();
    post.feature_image_caption = Some(
        r#"Rutte and Sudani in Brussels. <em>Photo: <a href="__GHOST_URL__/photos/">Iraqi PMO</a></em>"#
            .to_owned(),
    );
    let html = render(&f.article_page(&post));
    assert_eq!(
        element(&html, "<figcaption"),
        format!(
            r#"<figcaption>Rutte and Sudani in Brussels. <em>Photo: <a href="{SITE_URL}/photos/">Iraqi PMO</a></em></figcaption>"#
        )
    );
}

#[test]
fn dateline_leads_the_first_paragraph_once() {
    let html = seed_html();
    assert!(html.contains(
        r#"<p><span class="dateline">ERBIL, Kurdistan Region of Iraq -</span> Iraqi Prime Minister Mohammed Shia' al-Sudani on Monday"#
    ));
    let body = element(&html, r#"class="article-body"#);
    assert_eq!(body.matches("ERBIL").count(), 1);
    assert_eq!(body.matches("<p>").count(), 12);
}

#[test]
fn corrections_are_dated_notes() {
    let f = fixture();
    assert!(
        !seed_html().contains("corrections"),
        "no box without corrections"
    );
    let mut post = f.post(SEED).clone();
    post.corrections = vec![Correction {
        id: ObjectId::parse("6b0a71b88161d82b79d23c99").unwrap(),
        note: "An earlier version misstated the year the mission began.".to_owned(),
        created_at: "2025-09-09T07:00:00Z".parse().unwrap(),
    }];
    let html = render(&f.article_page(&post));
    let corrections = element(&html, r#"class="corrections""#);
    assert!(
        corrections
            .contains(r#"<h2 id="corrections-title" class="corrections__title">Corrections</h2>"#)
    );
    assert!(corrections.contains(
        r#"<li><time datetime="2025-09-09T10:00:00+03:00">Sep 9, 2025</time>: An earlier version misstated the year the mission began.</li>"#
    ), "{corrections}");
    assert!(position(&html, "class=\"corrections\"") > position(&html, "class=\"article-body"));
}

#[test]
fn tags_link_their_archives() {
    let html = seed_html();
    let tags = element(&html, r#"class="article-tags""#);
    assert_eq!(text_of(tags), "News");
    assert!(
        tags.contains(r#"<a href="/tag/news/" rel="tag">News</a>"#),
        "{tags}"
    );
}

#[test]
fn internal_tags_are_hidden_and_never_the_section() {
    let f = fixture();
    let html = render(&f.article_page(f.post("how-we-cover-election-results")));
    assert!(!html.contains("#internal"));
    assert!(!html.contains(r#"class="section-label""#));
    assert_eq!(
        text_of(element(&html, r#"class="article-tags""#)),
        "Politics"
    );
}

#[test]
fn author_card() {
    let html = seed_html();
    let card = element(&html, r#"class="author-card""#);
    assert!(card.contains(r#"<img class="author-card__image" src="/content/images/size/w160/2026/11/the-new-region.png" alt="Profile picture of The New Region""#), "{card}");
    assert_eq!(
        text_of(element(card, "author-card__name")),
        "The New Region"
    );
    assert_eq!(
        text_of(element(card, "author-card__bio")),
        "News from the ground in Iraq and the wider Middle East."
    );
    assert!(
        card.contains(r#"<a href="/author/the-new-region/">More stories by The New Region</a>"#)
    );
}

#[test]
fn newsletter_form_works_without_javascript() {
    let html = seed_html();
    let newsletter = element(&html, r#"class="newsletter wrap""#);
    assert!(newsletter.contains("Get the latest updates delivered to your inbox."));
    let form = element(newsletter, "<form");
    assert!(
        form.contains(r#"method="post" action="/members/api/subscribe/""#),
        "{form}"
    );
    assert!(form.contains(
        r#"<label class="newsletter__label" for="newsletter-email">Email address</label>"#
    ));
    assert!(form.contains(r#"id="newsletter-email" type="email" name="email""#));
    assert!(form.contains(r#"<button class="button" type="submit">Subscribe</button>"#));
}

#[test]
fn related_stories_come_from_the_section() {
    let html = seed_html();
    let related = element(&html, r#"class="related"#);
    assert_eq!(text_of(element(related, "<h2")), "More in News");
    let titles: Vec<String> = related
        .match_indices(r#"class="card__title""#)
        .map(|(at, _)| text_of(element(&related[at..], "card__link")))
        .collect();
    assert_eq!(
        titles,
        [
            "Iraq names squad for World Cup qualifiers",
            "Baghdad and Erbil agree on oil export restart",
            "Kurdistan Region parliament sets date for first session"
        ]
    );
}

#[test]
fn json_ld_is_a_news_article() {
    let ld = json_ld(&seed_html());
    let url = format!("{SITE_URL}/{SEED}/");
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(
        ld["headline"],
        "PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner"
    );
    assert!(
        ld["description"]
            .as_str()
            .unwrap()
            .starts_with("Iraqi Prime Minister Mohammed Shia' al-Sudani told")
    );
    assert_eq!(ld["url"], url);
    assert_eq!(ld["mainEntityOfPage"]["@id"], url);
    assert_eq!(
        ld["image"]["url"],
        format!("{SITE_URL}/content/images/2026/11/img0.jpg")
    );
    assert_eq!(ld["datePublished"], "2025-09-08T13:30:00+03:00");
    assert_eq!(ld["dateModified"], "2026-11-28T09:16:24+03:00");
    assert_eq!(ld["author"]["@type"], "Person");
    assert_eq!(ld["author"]["name"], "The New Region");
    assert_eq!(
        ld["author"]["url"],
        format!("{SITE_URL}/author/the-new-region/")
    );
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(ld["publisher"]["name"], "The New Region");
    assert_eq!(
        ld["publisher"]["logo"]["url"],
        format!("{SITE_URL}/favicon.ico")
    );
    assert_eq!(ld["dateline"], "ERBIL, Kurdistan Region of Iraq");
    assert_eq!(ld["articleSection"], "News");
    assert_eq!(ld["inLanguage"], "en");
}

#[test]
fn json_ld_cannot_be_closed_by_a_headline() {
    let f = fixture();
    let mut post = f.post(SEED).clone();
    post.title = "Why </script><script>alert(1)</script> matters".to_owned();
    let html = render(&f.article_page(&post));
    let ld = json_ld(&html);
    assert_eq!(ld["headline"], post.title);
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the JSON-LD script"
    );
}

#[test]
fn head_has_canonical_social_and_feed_links() {
    let html = seed_html();
    let url = format!("{SITE_URL}/{SEED}/");
    for expected in [
        "<title>PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner</title>".to_owned(),
        format!(r#"<link rel="canonical" href="{url}">"#),
        r#"<meta name="description" content="Iraqi Prime Minister Mohammed Shia&#x27; al-Sudani told"#.to_owned(),
        r#"<meta property="og:type" content="article">"#.to_owned(),
        r#"<meta property="og:title" content="PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner">"#.to_owned(),
        format!(r#"<meta property="og:url" content="{url}">"#),
        format!(r#"<meta property="og:image" content="{SITE_URL}/content/images/2026/11/img0.jpg">"#),
        // In UTC with milliseconds, as Ghost writes it (the fixture's own head says so).
        r#"<meta property="article:published_time" content="2025-09-08T10:30:00.000Z">"#.to_owned(),
        r#"<meta property="og:image:width" content="1200">"#.to_owned(),
        r#"<meta property="article:publisher" content="https://www.facebook.com/ghost">"#.to_owned(),
        r#"<meta name="twitter:card" content="summary_large_image">"#.to_owned(),
        r#"<meta name="twitter:data1" content="The New Region">"#.to_owned(),
        r#"<meta name="twitter:site" content="@ghost">"#.to_owned(),
        format!(r#"<link rel="alternate" type="application/rss+xml" title="The New Region" href="{SITE_URL}/rss/">"#),
        r#"<link rel="stylesheet" href="/assets/css/screen.css?v=[hash]">"#.to_owned(),
        "<style>:root{--accent:#FF1A75}</style>".to_owned(),
    ] {
        assert!(html.contains(&expected), "missing {expected}");
    }
}

#[test]
fn page_is_accessible_english_html_without_scripts() {
    let html = seed_html();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">"));
    assert!(html.contains(r##"<a class="skip-link" href="#main">Skip to content</a>"##));
    for landmark in [
        "<header class=\"site-header\"",
        "<nav class=\"site-nav\" aria-label=\"Main\"",
        "<main id=\"main\"",
        "<article class=\"article",
        "<aside class=\"related",
        "<footer class=\"site-footer\"",
    ] {
        assert!(html.contains(landmark), "missing {landmark}");
    }
    assert_eq!(html.matches("<h1").count(), 1);
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only JSON-LD, no JavaScript"
    );
    for img in html.match_indices("<img ") {
        let tag = &html[img.0..img.0 + html[img.0..].find('>').unwrap()];
        assert!(tag.contains(" alt="), "image without alt: {tag}");
    }
    assert!(html.contains(r#"class="post-template tag-news""#));
}

#[test]
fn code_injection_follows_dateline_tags() {
    let f = fixture();
    let mut post = f.post(SEED).clone();
    post.codeinjection_head = Some("<style>.x{}</style>".to_owned());
    post.codeinjection_foot = Some("<p>foot</p>".to_owned());
    let html = render(&f.article_page(&post));
    assert!(position(&html, "<style>.x{}</style>") > position(&html, "application/ld+json"));
    assert!(position(&html, "<p>foot</p>") > position(&html, "<footer class=\"site-footer\""));
}

#[test]
fn views_take_a_superset_of_tags_in_the_post_order() {
    let f = fixture();
    let post = f.post("kurdistan-region-parliament-sets-date-for-first-session");
    let view = PostView::new(post, &f.tags, &f.users, &f.site);
    let names: Vec<&str> = view.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Politics", "News"]);
    assert_eq!(
        view.primary_tag.as_ref().map(|t| t.name.as_str()),
        Some("Politics")
    );
    assert_eq!(
        view.url,
        format!("{SITE_URL}/kurdistan-region-parliament-sets-date-for-first-session/")
    );
    assert_eq!(
        view.dateline.as_deref(),
        Some("ERBIL, Kurdistan Region of Iraq")
    );
    let PageView::Post { post: seed, .. } = f.article_page(f.post(SEED)) else {
        unreachable!()
    };
    assert_eq!(seed.reading_time, 2);
    assert_eq!(
        seed.feature_image.as_deref(),
        Some("http://localhost:2368/content/images/2026/11/img0.jpg")
    );
    assert_eq!(
        seed.authors[0].profile_image.as_deref(),
        Some("http://localhost:2368/content/images/2026/11/the-new-region.png")
    );
}
