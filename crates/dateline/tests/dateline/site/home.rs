use dateline_app::editorial::SaveOptions;
use dateline_app::setup::OwnerInput;
use dateline_core::post::{Post, PostStatus, PostType};
use dateline_core::tag::Tag;
use dateline_testkit::{TestDb, TestServer, backend_tests, ghost_export};

backend_tests!(
    home_lists_published_stories_newest_first,
    sections_are_the_tags_that_lead_the_most_stories,
    unknown_paths_get_the_themes_404_and_slashes_are_added
);

async fn home_lists_published_stories_newest_first(db: TestDb) {
    let app = db.app().await;
    app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();
    let server = TestServer::start(app).await;
    let res = server.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    let seed = html
        .find("PM Sudani speaks at NATO HQ")
        .expect("seed article listed");
    let older = html
        .find("Kurdistan Region parliament sets date")
        .expect("older story listed");
    assert!(seed < older, "newest first");
    assert!(
        html.contains(
            "href=\"/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/\""
        )
    );
    assert!(
        !html.contains("Notes on the water"),
        "drafts are not listed"
    );
    assert!(
        !html.contains("Preview: Iraq"),
        "scheduled posts are not listed"
    );
}

async fn unknown_paths_get_the_themes_404_and_slashes_are_added(db: TestDb) {
    let server = TestServer::start(db.app().await).await;
    let res = server.get("/no/such/page/").await;
    assert_eq!(res.status(), 404);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("<html"), "{html}");

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .get(format!("{}/some-story?ref=x", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/some-story/?ref=x");
    let res = client
        .get(format!("{}/page/1/", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/");
    // Files keep their names.
    assert_eq!(
        client
            .get(format!("{}/robots.txt.bak", server.url))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // API paths keep Ghost's JSON errors.
    let res = server.get("/ghost/api/content/nothing/").await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["type"], "NotFoundError");
}

/// A front-page section is a tag stories are filed under first (their primary tag). A tag that
/// only ever comes second (here a place on every story) takes none of the four places, however
/// many stories carry it; internal tags are never sections.
async fn sections_are_the_tags_that_lead_the_most_stories(db: TestDb) {
    let app = db.app().await;
    let owner = app
        .create_owner(OwnerInput {
            site_title: "Sections",
            name: "Editor",
            email: "editor@example.com",
            password: "correct horse battery",
        })
        .await
        .unwrap();
    let now = dateline_core::time::now();
    let tag = |name: &str, slug: &str| Tag::named(name, slug, now);
    let [economy, politics, culture, sport, wire, erbil] = [
        tag("Economy", "economy"),
        tag("Politics", "politics"),
        tag("Culture", "culture"),
        tag("Sport", "sport"),
        tag("#wire", "hash-wire"),
        tag("Erbil", "erbil"),
    ];
    let stories = [
        ("Budget talks stall", &economy),
        ("Oil exports resume", &economy),
        ("Dinar steadies", &economy),
        ("Parliament sets a date", &politics),
        ("Cabinet reshuffled", &politics),
        ("Film festival opens", &culture),
        ("Derby ends level", &sport),
        ("Wire copy only", &wire),
        ("Wire copy again", &wire),
    ];
    let mut known = Vec::new();
    for (title, section) in stories {
        let mut post = Post::draft(PostType::Post, title, "", now);
        post.markdown = Some(format!("{title}."));
        post.status = PostStatus::Published;
        post.tag_ids = vec![section.id.clone(), erbil.id.clone()];
        let new_tags: Vec<Tag> = [section, &erbil]
            .into_iter()
            .filter(|t| !known.contains(&t.id))
            .cloned()
            .collect();
        known.extend(new_tags.iter().map(|t| t.id.clone()));
        let options = SaveOptions {
            new_tags,
            ..Default::default()
        };
        app.save_post_with(post, &owner, options).await.unwrap();
    }
    let server = TestServer::start(app).await;
    let html = server.get("/").await.text().await.unwrap();
    let block = |slug: &str| html.find(&format!("id=\"section-{slug}\""));
    let found: Vec<&str> = ["economy", "politics", "culture", "sport"]
        .into_iter()
        .filter(|slug| block(slug).is_some())
        .collect();
    assert_eq!(found, ["economy", "politics", "culture", "sport"], "{html}");
    assert!(block("economy") < block("politics"), "most stories first");
    assert!(block("culture") < block("sport"), "then by name");
    assert_eq!(block("erbil"), None, "Erbil leads no story");
    assert_eq!(block("hash-wire"), None, "internal tags are never sections");
    let economy_html = &html[block("economy").unwrap()..block("politics").unwrap()];
    assert!(economy_html.contains("Dinar steadies"));
    assert!(
        !economy_html.contains("Cabinet reshuffled"),
        "a section shows the stories it leads"
    );
}
