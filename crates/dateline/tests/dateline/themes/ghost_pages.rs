//! Casper and Source render the fixture site with the structure Ghost 5.130.6 gave it: the
//! same landmarks and classes, post cards with the same links and images, the same titles,
//! dates and reading times. Whitespace, asset hashes and scripts may differ.

use std::fmt::Debug;
use std::path::PathBuf;

use dateline_testkit::{TestDb, TestServer, backend_tests, ghost_fixture_dir, ghost_oracle_dir};
use scraper::{ElementRef, Html, Selector};

use super::{ghost_themes, serve_site_with_theme, serve_with_theme};

backend_tests!(
    casper_renders_like_ghost,
    source_renders_like_ghost,
    casper_pages_later_listings,
    source_pages_later_listings
);

async fn casper_renders_like_ghost(db: TestDb) {
    renders_like_ghost(db, "casper", "article.post-card").await;
}

async fn source_renders_like_ghost(db: TestDb) {
    renders_like_ghost(db, "source", "article.gh-card").await;
}

async fn casper_pages_later_listings(db: TestDb) {
    paged_listings(db, "casper", "article.post-card").await;
}

async fn source_pages_later_listings(db: TestDb) {
    paged_listings(db, "source", "article.gh-card").await;
}

async fn renders_like_ghost(db: TestDb, theme: &str, card: &str) {
    let Some(themes) = ghost_themes() else {
        return;
    };
    // Every helper the theme calls is one Dateline has: nothing renders blank.
    let loaded = dateline_theme::Theme::from_dir(&themes.join(theme)).unwrap();
    assert_eq!(loaded.unsupported_helpers(), &[], "{theme}");
    let report = dateline_theme::check_dir(&themes.join(theme)).unwrap();
    assert!(!report.has_errors(), "{theme}: {report}");

    let oracle = Oracle::chosen();
    let images = oracle.dir.join("images");
    let server = serve_site_with_theme(
        db.app().await,
        &oracle.export(),
        Some(&images),
        &themes.join(theme),
    )
    .await;
    let compared = oracle.compare(&server, theme, card).await;
    // The comparison had something to compare.
    assert!(compared.pages >= 5, "{theme}: {compared:?}");
    assert!(compared.cards >= 8, "{theme}: {compared:?}");
    assert!(compared.reading_times >= 1, "{theme}: {compared:?}");
    assert!(compared.feed_items >= 8, "{theme}: {compared:?}");

    members_forms_work_without_a_cdn(&server, theme).await;
    // Pages no capture holds: Ghost's statuses, and a full page.
    let mut missing = vec![("/no-such-page/", 404), ("/tag/nothing/", 404)];
    if oracle.is_shared() {
        // The eight stories fit on one page of either theme.
        missing.push(("/page/2/", 404));
    }
    for (path, status) in missing {
        let res = server.get(path).await;
        assert_eq!(res.status(), status, "{theme} {path}");
        let html = Html::parse_document(&res.text().await.unwrap());
        assert!(select(&html, "body").next().is_some(), "{theme} {path}");
    }
}

/// A site as a real Ghost rendered it ([`ghost_oracle_dir`]): `ghost-export.json`, `images/`,
/// and `html/<theme>/pages.tsv` listing each file with its status, content type and path. The
/// shared fixture is small; a larger capture checks later pages, featured and members-only
/// stories, several authors and the like.
struct Oracle {
    dir: PathBuf,
}

/// How much a comparison looked at.
#[derive(Debug, Default)]
struct Compared {
    pages: usize,
    cards: usize,
    reading_times: usize,
    feed_items: usize,
}

impl Oracle {
    fn chosen() -> Oracle {
        Oracle {
            dir: ghost_oracle_dir(),
        }
    }

    fn is_shared(&self) -> bool {
        self.dir == ghost_fixture_dir()
    }

    fn export(&self) -> Vec<u8> {
        std::fs::read(self.dir.join("ghost-export.json")).unwrap()
    }

    /// Requests every page Ghost rendered with `theme` and compares status and structure;
    /// fails with every difference found, not only the first.
    async fn compare(&self, server: &TestServer, theme: &str, card: &str) -> Compared {
        let dir = self.dir.join("html").join(theme);
        let index = std::fs::read_to_string(dir.join("pages.tsv")).unwrap();
        let mut compared = Compared::default();
        let mut differences = Vec::new();
        for line in index.lines().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            let (file, status, content_type, path) =
                (fields[0], fields[1], fields[2], fields[fields.len() - 1]);
            let res = server.get(path).await;
            let ours_status = res.status().as_u16().to_string();
            if ours_status != status {
                differences.push(format!("{path}: status {ours_status}, Ghost {status}"));
                continue;
            }
            let ours = res.text().await.unwrap();
            let ghost = std::fs::read_to_string(dir.join(file)).unwrap();
            compared.pages += 1;
            let found = if content_type.starts_with("text/html") {
                let ghost = Shape::of(&Html::parse_document(&ghost), card);
                compared.cards += ghost.cards.len();
                compared.reading_times += ghost.reading_times.len();
                Shape::of(&Html::parse_document(&ours), card).differences(&ghost)
            } else if path.ends_with("/rss/") {
                let ghost = Feed::of(&ghost);
                compared.feed_items += ghost.items.len();
                Feed::of(&ours).differences(&ghost)
            } else if path.ends_with(".xml") {
                Sitemap::of(&ours).differences(&Sitemap::of(&ghost))
            } else {
                Vec::new()
            };
            differences.extend(found.into_iter().map(|d| format!("{path}: {d}")));
        }
        assert!(
            differences.is_empty(),
            "{theme}: {} differences from Ghost's pages in {} (left is Dateline):\n{}",
            differences.len(),
            dir.display(),
            differences.join("\n")
        );
        compared
    }
}

/// Sign-up forms and Portal links are Dateline's own script's job: it is linked from the head,
/// served by the site, and no script comes from anywhere else.
async fn members_forms_work_without_a_cdn(server: &dateline_testkit::TestServer, theme: &str) {
    let html = Html::parse_document(&server.get("/").await.text().await.unwrap());
    let scripts: Vec<String> = select(&html, "script[src]")
        .filter_map(|e| e.value().attr("src").map(str::to_owned))
        .collect();
    // A theme may link what it likes (Casper loads jQuery from its CDN); what Dateline adds
    // is local.
    let theme_sources = theme_text(&ghost_themes().unwrap().join(theme));
    for src in &scripts {
        assert!(
            src.starts_with('/') || theme_sources.contains(src.as_str()),
            "{theme}: {src} comes from neither the site nor the theme"
        );
    }
    let members = scripts
        .iter()
        .find(|src| src.starts_with("/public/members.js?v="))
        .unwrap_or_else(|| panic!("{theme}: no members script in {scripts:?}"));
    let res = server.get(members).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let script = res.text().await.unwrap();
    assert!(script.contains("/members/api/subscribe/") && script.contains("#\\/portal"));
    assert!(
        select(&html, "[data-portal], a[href^='#/portal']")
            .next()
            .is_some(),
        "{theme} has Portal links for the script to open"
    );
}

/// Every template of a theme, concatenated.
fn theme_text(dir: &std::path::Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && path.file_name().is_some_and(|n| n == "partials") {
            text.push_str(&theme_text(&path));
        } else if path.extension().is_some_and(|e| e == "hbs") {
            text.push_str(&std::fs::read_to_string(&path).unwrap());
        } else if path.is_dir() && path.parent().is_some_and(|p| p.ends_with("partials")) {
            text.push_str(&theme_text(&path));
        }
    }
    text
}

/// Later pages of the listings, with the theme's `posts_per_page` lowered to 3 so the fixture
/// site has them.
async fn paged_listings(db: TestDb, theme: &str, card: &str) {
    let Some(themes) = ghost_themes() else {
        return;
    };
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&themes.join(theme), copy.path());
    let package = copy.path().join("package.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&package).unwrap()).unwrap();
    json["config"]["posts_per_page"] = 3.into();
    std::fs::write(&package, json.to_string()).unwrap();

    let server = serve_with_theme(db.app().await, copy.path()).await;
    let source = theme == "source";
    // Source's home lists the latest 12 stories whatever the page size, and its page 2
    // repeats the first page's stories above the listing; Casper's 404 page lists three.
    for (path, status, cards) in [
        ("/", 200, if source { 8 } else { 3 }),
        ("/page/2/", 200, if source { 6 } else { 3 }),
        ("/page/3/", 200, 2),
        ("/page/4/", 404, if source { 0 } else { 3 }),
        ("/tag/news/page/2/", 200, 1),
    ] {
        let res = server.get(path).await;
        assert_eq!(res.status(), status, "{theme} {path}");
        let html = Html::parse_document(&res.text().await.unwrap());
        assert_eq!(select(&html, card).count(), cards, "{theme} {path}");
        if path.contains("/page/") && status == 200 {
            let body = select(&html, "body").next().unwrap();
            assert!(
                body.value().classes().any(|c| c == "paged"),
                "{theme} {path}"
            );
        }
    }
}

pub(super) fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What the comparison looks at.
#[derive(Debug, PartialEq)]
struct Shape {
    title: String,
    head: Vec<String>,
    landmarks: Vec<String>,
    cards: Vec<Card>,
    h1: Vec<String>,
    times: Vec<String>,
    reading_times: Vec<String>,
    content: Option<String>,
    body_class: Vec<String>,
    body_text: String,
    links: Vec<String>,
    images: Vec<String>,
}

#[derive(Debug, PartialEq)]
struct Card {
    title: Option<String>,
    links: Vec<String>,
    images: Vec<String>,
}

impl Shape {
    fn of(html: &Html, card: &str) -> Shape {
        let landmarks = select(html, "header, main, article, footer, nav, section")
            .map(|e| {
                let mut classes: Vec<&str> = e.value().classes().collect();
                classes.sort_unstable();
                format!("{}.{}", e.value().name(), classes.join("."))
            })
            .collect();
        let cards = select(html, card)
            .map(|card| Card {
                title: card
                    .select(&Selector::parse("h2, h3").unwrap())
                    .next()
                    .map(|e| text(&e)),
                links: attrs(card, "a[href]", "href"),
                images: attrs(card, "img[src]", "src"),
            })
            .collect();
        let h1 = select(html, "h1").map(|e| text(&e)).collect();
        let times = select(html, "time[datetime]")
            .filter_map(|e| e.value().attr("datetime").map(str::to_owned))
            .collect();
        let reading_times = select(html, "body *")
            .filter(|e| {
                e.children()
                    .filter_map(|c| c.value().as_text())
                    .any(|t| t.contains("min read"))
            })
            .map(|e| text(&e))
            .collect();
        Shape {
            title: select(html, "head title").map(|e| text(&e)).collect(),
            head: head_tags(html),
            landmarks,
            cards,
            h1,
            times,
            reading_times,
            content: select(html, ".gh-content").next().map(|e| text(&e)),
            body_class: select(html, "body")
                .next()
                .map(|b| {
                    let mut classes: Vec<String> = b.value().classes().map(str::to_owned).collect();
                    classes.sort();
                    classes
                })
                .unwrap_or_default(),
            body_text: select(html, "body")
                .next()
                .map(|b| {
                    b.descendants()
                        .filter(|n| {
                            n.parent()
                                .and_then(ElementRef::wrap)
                                .is_none_or(|p| !matches!(p.value().name(), "script" | "style"))
                        })
                        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default(),
            links: select(html, "body a[href]")
                .filter_map(|e| e.value().attr("href").map(str::to_owned))
                .collect(),
            images: select(html, "body img[src]")
                .filter_map(|e| e.value().attr("src").map(str::to_owned))
                .collect(),
        }
    }

    fn differences(&self, ghost: &Shape) -> Vec<String> {
        let mut found = Vec::new();
        differ(&mut found, "title", &self.title, &ghost.title);
        let only = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter().filter(|t| !b.contains(t)).cloned().collect()
        };
        if self.head != ghost.head {
            found.push(format!(
                "head:\n    only Dateline: {:?}\n    only Ghost:    {:?}",
                only(&self.head, &ghost.head),
                only(&ghost.head, &self.head)
            ));
        }
        list_differ(&mut found, "landmarks", &self.landmarks, &ghost.landmarks);
        list_differ(&mut found, "cards", &self.cards, &ghost.cards);
        list_differ(&mut found, "h1", &self.h1, &ghost.h1);
        list_differ(&mut found, "times", &self.times, &ghost.times);
        list_differ(
            &mut found,
            "reading times",
            &self.reading_times,
            &ghost.reading_times,
        );
        differ(&mut found, "content", &self.content, &ghost.content);
        list_differ(
            &mut found,
            "body class",
            &self.body_class,
            &ghost.body_class,
        );
        if self.body_text != ghost.body_text {
            let at = self
                .body_text
                .char_indices()
                .zip(ghost.body_text.chars())
                .find(|((_, a), b)| a != b)
                .map_or(
                    self.body_text.len().min(ghost.body_text.len()),
                    |((i, _), _)| i,
                );
            let from = self.body_text[..at]
                .char_indices()
                .rev()
                .nth(60)
                .map_or(0, |(i, _)| i);
            found.push(format!(
                "body text from {from}:\n    {:?}\n    {:?}",
                self.body_text[from..].chars().take(200).collect::<String>(),
                ghost
                    .body_text
                    .get(from..)
                    .unwrap_or("")
                    .chars()
                    .take(200)
                    .collect::<String>()
            ));
        }
        list_differ(&mut found, "links", &self.links, &ghost.links);
        list_differ(&mut found, "images", &self.images, &ghost.images);
        found
    }
}

/// The head's tags that say what the page is (title, description, canonical and paging
/// links, social cards), as `name=content`; those that carry the capture's clock or install
/// (modification times, the generator's version) are left out.
fn head_tags(html: &Html) -> Vec<String> {
    let mut tags: Vec<String> = select(html, "head meta[content], head link[href]")
        .filter_map(|e| {
            let v = e.value();
            let (key, value) = match v.name() {
                "meta" => (v.attr("name").or(v.attr("property"))?, v.attr("content")?),
                _ => (v.attr("rel")?, v.attr("href")?),
            };
            let wanted = matches!(
                key,
                "canonical" | "next" | "prev" | "description" | "referrer"
            ) || key.starts_with("og:")
                || (key.starts_with("article:") && key != "article:modified_time")
                || key.starts_with("twitter:");
            wanted.then(|| format!("{key}={value}"))
        })
        .collect();
    tags.sort();
    tags
}

/// A feed's items as a reader's app lists them.
#[derive(Debug, PartialEq)]
struct Feed {
    title: Option<String>,
    items: Vec<[Option<String>; 4]>,
}

impl Feed {
    fn of(xml: &str) -> Feed {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let child = |node: roxmltree::Node<'_, '_>, name: &str| {
            node.children()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text())
                .map(str::to_owned)
        };
        let channel = doc
            .descendants()
            .find(|n| n.has_tag_name("channel"))
            .unwrap();
        Feed {
            title: child(channel, "title"),
            items: channel
                .children()
                .filter(|n| n.has_tag_name("item"))
                .map(|item| {
                    [
                        child(item, "title"),
                        child(item, "link"),
                        child(item, "pubDate"),
                        Some(
                            item.children()
                                .filter(|c| c.has_tag_name("category"))
                                .filter_map(|c| c.text())
                                .collect::<Vec<_>>()
                                .join(","),
                        ),
                    ]
                })
                .collect(),
        }
    }

    fn differences(&self, ghost: &Feed) -> Vec<String> {
        let mut found = Vec::new();
        differ(&mut found, "feed title", &self.title, &ghost.title);
        list_differ(&mut found, "items", &self.items, &ghost.items);
        found
    }
}

/// The addresses a sitemap lists, in any order (Ghost orders ties by the second they were
/// edited in).
struct Sitemap(Vec<String>);

impl Sitemap {
    fn of(xml: &str) -> Sitemap {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let mut locs: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text().map(str::to_owned))
            .collect();
        locs.sort();
        Sitemap(locs)
    }

    fn differences(&self, ghost: &Sitemap) -> Vec<String> {
        let mut found = Vec::new();
        list_differ(&mut found, "sitemap", &self.0, &ghost.0);
        found
    }
}

fn differ<T: PartialEq + Debug>(found: &mut Vec<String>, what: &str, ours: &T, ghost: &T) {
    if ours != ghost {
        found.push(format!("{what}:\n    {ours:?}\n    {ghost:?}"));
    }
}

/// The first item that differs and the counts, so a long list stays readable.
fn list_differ<T: PartialEq + Debug>(found: &mut Vec<String>, what: &str, ours: &[T], ghost: &[T]) {
    if ours == ghost {
        return;
    }
    let at = ours.iter().zip(ghost).position(|(a, b)| a != b);
    match at {
        Some(i) => found.push(format!(
            "{what}[{i}] of {} / {}:\n    {:?}\n    {:?}",
            ours.len(),
            ghost.len(),
            ours[i],
            ghost[i]
        )),
        None => found.push(format!(
            "{what}: {} / {} items; extra: {:?}",
            ours.len(),
            ghost.len(),
            if ours.len() > ghost.len() {
                &ours[ghost.len()..]
            } else {
                &[]
            }
            .iter()
            .chain(if ghost.len() > ours.len() {
                &ghost[ours.len()..]
            } else {
                &[]
            })
            .collect::<Vec<_>>()
        )),
    }
}

fn select<'a>(html: &'a Html, selector: &str) -> impl Iterator<Item = ElementRef<'a>> + 'a {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector).collect::<Vec<_>>().into_iter()
}

fn attrs(element: ElementRef<'_>, selector: &str, attr: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    element
        .select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// Text with whitespace collapsed, as a reader sees it.
fn text(element: &ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
