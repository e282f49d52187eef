//! `/`: the front page.

use dateline_theme::{PageView, PaginationView};

use crate::fixture::{SITE_URL, element, fixture, json_ld, render, text_of};

#[test]
fn snapshot() {
    insta::assert_snapshot!("home", render(&fixture().home_page()));
}

#[test]
fn leads_with_the_latest_story_then_the_rest_then_sections() {
    let html = render(&fixture().home_page());
    let lead = element(&html, r#"class="lead wrap""#);
    assert_eq!(
        text_of(element(lead, "lead-story__title")),
        "PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner"
    );
    assert!(lead.contains(r#"<time datetime="2025-09-08T13:30:00+03:00">Sep 8, 2025</time>"#));
    let latest = element(&html, r#"aria-labelledby="latest-title""#);
    assert_eq!(
        latest.matches(r#"class="card__title""#).count(),
        7,
        "every other story"
    );
    assert!(!latest.contains("PM Sudani"), "the lead is not repeated");
    let sections: Vec<String> = html
        .match_indices(r#"<h2 id="section-"#)
        .map(|(at, _)| text_of(element(&html[at..], "<h2")))
        .collect();
    assert_eq!(sections, ["News", "Politics", "World"]);
    let news = element(&html, r#"aria-labelledby="section-news""#);
    assert!(news.contains(r#"<a href="http://localhost:2368/tag/news/">News</a>"#));
    assert_eq!(news.matches(r#"class="card__title""#).count(), 4);
}

#[test]
fn head_and_landmarks() {
    let html = render(&fixture().home_page());
    assert!(html.contains("<title>The New Region</title>"));
    assert!(html.contains(&format!(r#"<link rel="canonical" href="{SITE_URL}/">"#)));
    assert!(html.contains(
        r#"<meta name="description" content="A news outlet covering Iraq and the Middle East.">"#
    ));
    assert!(html.contains(r#"<body class="home-template">"#));
    assert!(html.contains(r#"<h1 class="visually-hidden">The New Region</h1>"#));
    assert!(html.contains(r#"<li class="nav-home nav-current"><a href="http://localhost:2368/" aria-current="page">Home</a></li>"#));
    assert_eq!(json_ld(&html)["@type"], "WebSite");
    assert!(
        !html.contains(r#"class="pagination""#),
        "one page, no pagination"
    );
    assert_eq!(html.matches("<script").count(), 1);
}

#[test]
fn later_pages_use_index_with_pagination() {
    let f = fixture();
    let posts = f
        .published()
        .into_iter()
        .take(2)
        .map(|p| f.view(p))
        .collect();
    let page = PageView::Home {
        site: f.site_view(),
        posts,
        pagination: PaginationView::new(2, 2, 8),
        sections: Vec::new(),
    };
    let html = render(&page);
    assert!(html.contains("<title>The New Region (Page 2)</title>"));
    assert!(html.contains(r#"<body class="paged">"#));
    assert!(html.contains(r#"<h1 class="listing-title">The New Region</h1>"#));
    assert!(html.contains(r#"<link rel="prev" href="http://localhost:2368/">"#));
    assert!(html.contains(r#"<link rel="next" href="http://localhost:2368/page/3/">"#));
    let pagination = element(&html, r#"class="pagination""#);
    assert!(
        pagination.contains(r#"<a class="pagination__link" href="/" rel="prev">Newer stories</a>"#)
    );
    assert!(
        pagination.contains(
            r#"<a class="pagination__link" href="/page/3/" rel="next">Older stories</a>"#
        )
    );
    assert!(pagination.contains("Page 2 of 4"));
}
