use proptest::prelude::*;

use super::*;

fn refused(text: &str) -> RoutesError {
    match RoutesFile::parse(text) {
        Ok(file) => panic!("accepted {text:?} as {file:?}"),
        Err(err) => err,
    }
}

#[test]
fn the_default_file_is_ghosts() {
    let file = RoutesFile::parse(DEFAULT_YAML).unwrap();
    assert!(file.routes.is_empty());
    assert_eq!(file.collections.len(), 1);
    let home = &file.collections[0];
    assert_eq!(home.path, "/");
    assert_eq!(home.permalink, "/{slug}/");
    assert_eq!(home.template, ["index"]);
    assert_eq!(home.listing.filter, None);
    assert_eq!(file.taxonomies.tag.as_deref(), Some("/tag/{slug}/"));
    assert_eq!(file.taxonomies.author.as_deref(), Some("/author/{slug}/"));
    assert_eq!(RoutesFile::ghost_default(), file);
}

#[test]
fn an_empty_file_configures_nothing() {
    let file = RoutesFile::parse("\n").unwrap();
    assert!(file.routes.is_empty() && file.collections.is_empty());
    assert_eq!(file.taxonomies.tag, None);
}

#[test]
fn routes_take_a_template_or_settings() {
    let file = RoutesFile::parse(
        "routes:
  /about/team/: team
  /features/:
    template: [features, page]
    data: tag.featured
  /podcast/rss/:
    template: podcast/rss
    content_type: xml
    data:
      show: page.podcast
      host:
        type: read
        resource: authors
        slug: jo
        redirect: false
  /news/:
    controller: channel
    filter: 'tag:news+featured:true'
    order: published_at desc
    limit: 3
collections:
taxonomies:
  tag: /topic/{slug}/
",
    )
    .unwrap();
    let [team, features, podcast, news] = file.routes.as_slice() else {
        panic!("{:?}", file.routes);
    };
    assert_eq!(team.path, "/about/team/");
    assert_eq!(team.template, ["team"]);
    assert_eq!(features.template, ["features", "page"]);
    assert_eq!(
        features.data,
        [DataEntry {
            name: "tag".into(),
            resource: Resource::Tags,
            slug: "featured".into(),
            redirect: true
        }]
    );
    assert_eq!(podcast.content_type.as_deref(), Some("text/xml"));
    assert_eq!(podcast.data.len(), 2);
    assert_eq!(podcast.data[1].name, "host");
    assert_eq!(podcast.data[1].resource, Resource::Authors);
    assert!(!podcast.data[1].redirect);
    let channel = news.channel.as_ref().unwrap();
    assert_eq!(channel.filter.as_deref(), Some("tag:news+featured:true"));
    assert_eq!(channel.limit, Some(3));
    assert!(channel.rss);
    assert!(file.collections.is_empty());
    assert_eq!(file.taxonomies.tag.as_deref(), Some("/topic/{slug}/"));
    assert_eq!(file.taxonomies.author, None);
}

#[test]
fn refusals_name_the_line() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "routes:\n  /a/: x\n  /b/:\n    tmplate: y\n",
            4,
            "unknown field `tmplate`",
        ),
        (
            "routes:\n  /a/: x\n  about/: y\n",
            3,
            "must start and end with a slash",
        ),
        (
            "routes:\n  /a/: x\n  /about: y\n",
            3,
            "must start and end with a slash",
        ),
        ("routes:\n  /a/: x\n  /a/: y\n", 3, "appears twice"),
        (
            "collections:\n  /:\n    permalink: /{slug}/\n  /blog/:\n    permalink: /blog/{title}/\n",
            5,
            "`{title}`",
        ),
        (
            "collections:\n  /:\n    permalink: /{year}/\n",
            3,
            "must hold {slug} or {id}",
        ),
        (
            "routes:\n  /x/:\n    template: x\n    data: tags.news\n",
            4,
            "data shortcut",
        ),
        (
            "routes:\n  /x/:\n    template: x\n    data: tag.\n",
            4,
            "data shortcut",
        ),
        (
            "routes:\n  /x/:\n    controller: channel\n    filter: 'tag:news+'\n",
            4,
            "not valid NQL",
        ),
        (
            "routes:\n  /x/:\n    controller: page\n",
            3,
            "only one is `channel`",
        ),
        (
            "taxonomies:\n  tag: /tag/{slug}/\n  category: /c/{slug}/\n",
            3,
            "unknown field `category`",
        ),
        ("taxonomies:\n  tag: /tag/{id}/\n", 2, "{slug} once"),
        ("routes:\n  /x/: [a\n", 2, "invalid type"),
        ("routes:\n  /x/: a\n  - b\n", 3, "did not find expected key"),
        ("pages:\n  /x/: a\n", 1, "unknown field `pages`"),
        (
            "routes:\n  /x/:\n    template: x\n    content_type: 'text xml'\n",
            4,
            "not a content type",
        ),
        (
            "routes:\n  /x/:\n    controller: channel\n    limit: 0\n",
            4,
            "not between 1 and 100",
        ),
        (
            "routes:\n  /x/:\n    template: x\n    data:\n      featured:\n        type: browse\n        resource: posts\n        slug: a\n",
            6,
            "of type `browse`",
        ),
        (
            "routes:\n  /x/:\n    template: ../secret\n",
            3,
            "not a template name",
        ),
    ];
    for (text, line, message) in cases {
        let err = refused(text);
        assert_eq!(err.line, Some(*line), "{text:?}: {err}");
        assert!(err.message.contains(message), "{text:?}: {err}");
        // The position is the `line` field, not repeated at the end of the message.
        let tail = err.message.rsplit(" column ").next().unwrap_or_default();
        assert!(!tail.chars().all(|c| c.is_ascii_digit()), "{err}");
    }
}

#[test]
fn a_path_is_a_route_or_a_collection() {
    let err =
        refused("routes:\n  /news/: news\ncollections:\n  /news/:\n    permalink: /news/{slug}/\n");
    assert_eq!(err.line, Some(4));
}

#[test]
fn channel_settings_need_a_channel() {
    let err = refused("routes:\n  /x/:\n    template: x\n    filter: tag:a\n");
    assert!(err.message.contains("controller: channel"), "{err}");
}

proptest! {
    /// Whatever is uploaded, the parser answers without panicking, and a refusal's line is
    /// within the file.
    #[test]
    fn any_text_is_answered(text in "[ a-z:/{}\\[\\]\n.-]{0,200}") {
        if let Err(err) = RoutesFile::parse(&text) {
            let lines = text.lines().count().max(1);
            prop_assert!(err.line.is_none_or(|l| l >= 1 && l <= lines + 1), "{err} for {text:?}");
        }
    }

    /// Routes written out are read back as written, in order.
    #[test]
    fn written_routes_read_back(
        routes in proptest::collection::btree_map("[a-z][a-z0-9-]{0,8}", "t[a-z0-9-]{0,8}", 1..8)
    ) {
        let mut text = String::from("routes:\n");
        for (path, template) in &routes {
            text.push_str(&format!("  /{path}/: {template}\n"));
        }
        let file = RoutesFile::parse(&text).unwrap();
        let read: Vec<(String, String)> = file
            .routes
            .iter()
            .map(|r| (r.path.clone(), r.template[0].clone()))
            .collect();
        let written: Vec<(String, String)> =
            routes.into_iter().map(|(p, t)| (format!("/{p}/"), t)).collect();
        prop_assert_eq!(read, written);
    }
}

mod site_routes {
    use jiff::Timestamp;
    use jiff::tz::TimeZone;

    use crate::nql::PostRecord;
    use crate::post::{Post, PostType};
    use crate::routes::{Owned, RoutesFile, SiteRoutes, Target};
    use crate::tag::Tag;

    fn routes(yaml: &str) -> SiteRoutes {
        SiteRoutes::new(RoutesFile::parse(yaml).unwrap(), TimeZone::UTC)
    }

    fn tag(slug: &str) -> Tag {
        Tag::named(slug, slug, Timestamp::UNIX_EPOCH)
    }

    fn post(slug: &str, post_type: PostType) -> Post {
        let mut p = Post::draft(post_type, slug, slug, Timestamp::UNIX_EPOCH);
        p.published_at = Some("2026-03-04T10:00:00Z".parse().unwrap());
        p
    }

    fn path(routes: &SiteRoutes, p: &Post, tags: &[Tag]) -> Option<String> {
        routes.post_path(&PostRecord {
            post: p,
            tags,
            authors: &[],
        })
    }

    #[test]
    fn the_default_file_gives_todays_addresses() {
        let r = SiteRoutes::new(RoutesFile::ghost_default(), TimeZone::UTC);
        assert!(r.slug_only());
        assert_eq!(
            path(&r, &post("a", PostType::Post), &[]).as_deref(),
            Some("/a/")
        );
        assert_eq!(r.tag_path("news").as_deref(), Some("/tag/news/"));
        assert_eq!(r.author_path("ana").as_deref(), Some("/author/ana/"));
        let kinds = |p: &str| {
            r.resolve(p)
                .into_iter()
                .map(|t| match t {
                    Target::Collection { page, .. } => format!("index {page}"),
                    Target::CollectionFeed { .. } => "feed".to_owned(),
                    Target::Entry { captures, .. } => format!(
                        "entry {}",
                        captures.get(crate::permalink::Variable::Slug).unwrap()
                    ),
                    Target::Page { slug } => format!("page {slug}"),
                    Target::Tag { slug, page } => format!("tag {slug} {page}"),
                    Target::TagFeed { slug } => format!("tag feed {slug}"),
                    Target::Author { slug, page } => format!("author {slug} {page}"),
                    Target::Redirect(to) => format!("redirect {to}"),
                    other => format!("{other:?}"),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(kinds("/"), ["index 1"]);
        assert_eq!(kinds("/page/3/"), ["index 3"]);
        assert_eq!(kinds("/page/1/"), ["redirect /"]);
        assert_eq!(kinds("/rss/"), ["feed", "entry rss", "page rss"]);
        assert_eq!(kinds("/about/"), ["entry about", "page about"]);
        assert_eq!(kinds("/tag/news/"), ["tag news 1"]);
        assert_eq!(kinds("/tag/news/page/2/"), ["tag news 2"]);
        assert_eq!(kinds("/tag/news/page/1/"), ["redirect /tag/news/"]);
        assert_eq!(kinds("/tag/news/rss/"), ["tag feed news"]);
        assert_eq!(kinds("/author/ana/"), ["author ana 1"]);
        assert!(kinds("/a/b/c/d/").is_empty());
        assert!(kinds("/page/x/").is_empty());
    }

    #[test]
    fn the_first_matching_collection_owns_a_post() {
        let r = routes(
            "collections:
  /news/:
    permalink: /news/{year}/{month}/{day}/{slug}/
    filter: primary_tag:news
  /:
    permalink: /{slug}/
  /never/:
    permalink: /never/{slug}/
taxonomies:
  tag: /topic/{slug}/
",
        );
        assert!(!r.slug_only());
        let news = [tag("news")];
        let story = post("flood", PostType::Post);
        assert_eq!(
            path(&r, &story, &news).as_deref(),
            Some("/news/2026/03/04/flood/")
        );
        assert_eq!(path(&r, &story, &[]).as_deref(), Some("/flood/"));
        assert_eq!(
            path(&r, &post("about", PostType::Page), &news).as_deref(),
            Some("/about/")
        );
        assert_eq!(r.owned(0), Owned::Filter("primary_tag:'news'".into()));
        assert_eq!(r.owned(1), Owned::Filter("-primary_tag:'news'".into()));
        assert_eq!(r.owned(2), Owned::Nothing);
        assert_eq!(r.tag_path("x").as_deref(), Some("/topic/x/"));
        assert_eq!(r.author_path("x"), None);
        assert!(
            r.resolve("/tag/x/")
                .iter()
                .all(|t| !matches!(t, Target::Tag { .. }))
        );
    }

    #[test]
    fn a_post_no_collection_takes_has_no_address() {
        let r = routes(
            "collections:
  /:
    permalink: /{slug}/
    filter: featured:true
",
        );
        assert_eq!(path(&r, &post("plain", PostType::Post), &[]), None);
    }

    #[test]
    fn custom_routes_and_channels_come_first() {
        let r = routes(
            "routes:
  /about/team/:
    template: team
    data: tag.team
  /sport/:
    controller: channel
    filter: tag:sport
collections:
  /:
    permalink: /{slug}/
",
        );
        assert!(matches!(r.resolve("/about/team/")[0], Target::Custom(_)));
        assert!(matches!(
            r.resolve("/sport/page/2/")[0],
            Target::Channel { page: 2, .. }
        ));
        assert!(matches!(
            r.resolve("/sport/rss/")[0],
            Target::ChannelFeed(_)
        ));
        assert!(matches!(
            r.resolve("/sport/")[0],
            Target::Channel { page: 1, .. }
        ));
        assert_eq!(
            r.data_redirect(crate::routes::Resource::Tags, "team"),
            Some("/about/team/")
        );
        assert_eq!(
            r.data_redirect(crate::routes::Resource::Tags, "other"),
            None
        );
    }
}
