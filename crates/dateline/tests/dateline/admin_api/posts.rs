//! Posts and pages: the CRUD round trip, publishing, scheduling, the collision check, HTML and
//! Markdown sources, tags and authors by name, newsroom fields and filters.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::{OWNER_EMAIL, Site, error, send};

backend_tests!(
    crud_round_trip,
    publish_schedule_unpublish,
    stale_updated_at_is_a_409,
    html_source_is_kept_and_made_editable,
    tags_and_authors_by_name_slug_and_email,
    newsroom_fields_round_trip,
    browse_filters_and_pages,
    pages_are_not_posts,
);

/// Adds `post` through the Admin API with the site's admin key; the post as answered.
pub(super) async fn add(site: &Site, post: Value) -> Value {
    let (status, body) = send(
        site.key(Method::POST, "/posts/")
            .json(&json!({ "posts": [post] })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["posts"][0].clone()
}

async fn edit(site: &Site, id: &str, post: Value) -> (u16, Value) {
    send(
        site.key(Method::PUT, &format!("/posts/{id}/?formats=html"))
            .json(&json!({ "posts": [post] })),
    )
    .await
}

async fn crud_round_trip(db: TestDb) {
    let site = Site::new(&db).await;
    let post = add(
        &site,
        json!({ "title": "Cabinet approves budget", "markdown": "The cabinet met on **Monday**." }),
    )
    .await;
    let id = post["id"].as_str().unwrap();
    assert_eq!(post["slug"], "cabinet-approves-budget");
    assert_eq!(post["status"], "draft");
    assert_eq!(post["markdown"], "The cabinet met on **Monday**.");
    assert!(
        post.get("html").is_none(),
        "html only when formats asks for it"
    );
    assert_eq!(post["authors"][0]["email"], OWNER_EMAIL);
    assert_eq!(post["published_at"], Value::Null);
    let uuid = post["uuid"].as_str().unwrap();
    assert!(
        post["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/p/{uuid}/"))
    );
    assert!(post["created_at"].as_str().unwrap().ends_with(".000Z"));

    let (status, by_id) = send(site.key(Method::GET, &format!("/posts/{id}/?formats=html"))).await;
    assert_eq!(status, 200);
    assert_eq!(
        by_id["posts"][0]["html"],
        "<p>The cabinet met on <strong>Monday</strong>.</p>\n"
    );
    let (status, by_slug) =
        send(site.key(Method::GET, "/posts/slug/cabinet-approves-budget/")).await;
    assert_eq!(status, 200);
    assert_eq!(by_slug["posts"][0]["id"], id);

    let (status, edited) = edit(
        &site,
        id,
        json!({ "title": "Cabinet approves 2026 budget", "updated_at": post["updated_at"] }),
    )
    .await;
    assert_eq!(status, 200, "{edited}");
    let edited = &edited["posts"][0];
    assert_eq!(edited["title"], "Cabinet approves 2026 budget");
    assert_eq!(
        edited["slug"], "cabinet-approves-budget",
        "a post keeps its slug"
    );
    assert_eq!(edited["markdown"], "The cabinet met on **Monday**.");

    let (status, body) = send(site.key(Method::DELETE, &format!("/posts/{id}/"))).await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = send(site.key(Method::GET, &format!("/posts/{id}/"))).await;
    assert_eq!(status, 404);
    assert_eq!(error(&body)["type"], "NotFoundError");
    let (status, _) = send(site.key(Method::DELETE, &format!("/posts/{id}/"))).await;
    assert_eq!(status, 404);
}

async fn publish_schedule_unpublish(db: TestDb) {
    let site = Site::new(&db).await;
    let post = add(
        &site,
        json!({ "title": "Budget vote", "markdown": "Soon." }),
    )
    .await;
    let id = post["id"].as_str().unwrap();
    let content_key = site
        .app
        .create_integration("Reader")
        .await
        .unwrap()
        .content_api_key;
    let public = async |slug: &str| {
        site.server
            .get(&format!(
                "/ghost/api/content/posts/slug/{slug}/?key={content_key}"
            ))
            .await
    };
    assert_eq!(public("budget-vote").await.status(), 404);

    let (status, published) = edit(
        &site,
        id,
        json!({ "status": "published", "updated_at": post["updated_at"] }),
    )
    .await;
    assert_eq!(status, 200, "{published}");
    let published = &published["posts"][0];
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].is_string());
    assert!(
        published["url"]
            .as_str()
            .unwrap()
            .ends_with("/budget-vote/")
    );
    assert_eq!(public("budget-vote").await.status(), 200);

    let (status, draft) = edit(
        &site,
        id,
        json!({ "status": "draft", "updated_at": published["updated_at"] }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(draft["posts"][0]["status"], "draft");
    assert_eq!(public("budget-vote").await.status(), 404, "unpublished");

    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48);
    let (status, scheduled) = edit(
        &site,
        id,
        json!({
            "status": "scheduled",
            "published_at": later.to_string(),
            "updated_at": draft["posts"][0]["updated_at"],
        }),
    )
    .await;
    assert_eq!(status, 200, "{scheduled}");
    assert_eq!(scheduled["posts"][0]["status"], "scheduled");
    assert_eq!(public("budget-vote").await.status(), 404, "not yet");

    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    let (status, body) = edit(
        &site,
        id,
        json!({
            "status": "scheduled",
            "published_at": past.to_string(),
            "updated_at": scheduled["posts"][0]["updated_at"],
        }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error(&body)["type"], "ValidationError");
}

async fn stale_updated_at_is_a_409(db: TestDb) {
    let site = Site::new(&db).await;
    let post = add(&site, json!({ "title": "Oil exports", "markdown": "Up." })).await;
    let id = post["id"].as_str().unwrap();
    let stale = "2020-01-01T00:00:00.000Z";
    let (status, body) = edit(
        &site,
        id,
        json!({ "title": "Oil exports rise", "updated_at": stale }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error(&body)["type"], "UpdateCollisionError");
    assert_eq!(error(&body)["code"], "UPDATE_COLLISION");
    assert_eq!(
        error(&body)["message"],
        "Saving failed! Someone else is editing this post."
    );
    // Ghost lets a stale save through when it changes nothing.
    let (status, _) = edit(
        &site,
        id,
        json!({ "title": "Oil exports", "updated_at": stale }),
    )
    .await;
    assert_eq!(status, 200);
    // Without `updated_at` there is nothing to check against.
    let (status, body) = edit(&site, id, json!({ "title": "Oil exports rise" })).await;
    assert_eq!(status, 422, "{body}");
}

async fn html_source_is_kept_and_made_editable(db: TestDb) {
    let site = Site::new(&db).await;
    let html = "<p>ERBIL — The <em>regional</em> parliament met.</p><figure class=\"kg-card kg-image-card\"><img src=\"/content/images/a.jpg\" class=\"kg-image\" alt=\"\"></figure>";
    let (status, body) = send(
        site.key(Method::POST, "/posts/?source=html&formats=html")
            .json(&json!({ "posts": [{ "title": "Parliament meets", "html": html }] })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let post = &body["posts"][0];
    assert_eq!(post["html"], html, "the HTML is served as sent");
    let markdown = post["markdown"].as_str().unwrap();
    assert!(markdown.contains("*regional*"), "{markdown}");
    assert!(markdown.contains("kg-image-card"), "{markdown}");
    // Without `?source=html`, `html` is not a body (Ghost ignores it too).
    let (status, body) = send(
        site.key(Method::POST, "/posts/")
            .json(&json!({ "posts": [{ "title": "Ignored", "html": "<p>x</p>" }] })),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(body["posts"][0]["markdown"], Value::Null);
    // Editing another field keeps the HTML exactly.
    let id = post["id"].as_str().unwrap();
    let (_, edited) = edit(
        &site,
        id,
        json!({ "featured": true, "updated_at": post["updated_at"] }),
    )
    .await;
    assert_eq!(edited["posts"][0]["html"], html);
}

async fn tags_and_authors_by_name_slug_and_email(db: TestDb) {
    let site = Site::imported(&db).await;
    let post = add(
        &site,
        json!({
            "title": "Water talks resume",
            "markdown": "Talks resumed.",
            "tags": [{ "name": "News" }, { "slug": "world" }, "Water Policy", { "name": "#wire" }],
            "authors": [{ "email": "thenewregion@example.com" }, { "slug": "editorial-desk" }],
        }),
    )
    .await;
    let tags: Vec<&str> = post["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["news", "world", "water-policy", "hash-wire"]);
    assert_eq!(post["tags"][3]["visibility"], "internal");
    assert_eq!(post["primary_tag"]["slug"], "news");
    assert_eq!(post["primary_author"]["slug"], "the-new-region");
    assert_eq!(post["authors"][1]["slug"], "editorial-desk");

    let (status, body) = send(site.key(Method::POST, "/posts/").json(&json!({
        "posts": [{ "title": "Nobody", "authors": [{ "email": "nobody@example.com" }] }]
    })))
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error(&body)["type"], "ValidationError");
}

async fn newsroom_fields_round_trip(db: TestDb) {
    let site = Site::new(&db).await;
    let post = add(
        &site,
        json!({
            "title": "Sulaymaniyah floods",
            "markdown": "Rain.",
            "dateline": "SULAYMANIYAH, Kurdistan Region of Iraq",
            "locale": "ckb",
            "custom_excerpt": "Heavy rain.",
            "corrections": [{ "note": "An earlier version misstated the date." }],
        }),
    )
    .await;
    assert_eq!(post["dateline"], "SULAYMANIYAH, Kurdistan Region of Iraq");
    assert_eq!(post["language"], "ckb");
    assert_eq!(post["excerpt"], "Heavy rain.");
    assert_eq!(
        post["corrections"][0]["note"],
        "An earlier version misstated the date."
    );
    let correction_id = post["corrections"][0]["id"].clone();
    let (status, edited) = edit(
        &site,
        post["id"].as_str().unwrap(),
        json!({
            "updated_at": post["updated_at"],
            "custom_excerpt": null,
            "corrections": [{ "id": correction_id, "note": "An earlier version misstated the date." }, { "note": "Second." }],
        }),
    )
    .await;
    assert_eq!(status, 200, "{edited}");
    let edited = &edited["posts"][0];
    assert_eq!(edited["custom_excerpt"], Value::Null);
    assert_eq!(edited["corrections"][0]["id"], correction_id);
    assert_eq!(
        edited["corrections"][0]["created_at"],
        post["corrections"][0]["created_at"]
    );
    assert_eq!(edited["corrections"].as_array().unwrap().len(), 2);
}

async fn browse_filters_and_pages(db: TestDb) {
    let site = Site::imported(&db).await;
    let (status, all) = send(site.key(Method::GET, "/posts/?limit=all")).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(
        all["meta"]["pagination"]["total"], 10,
        "drafts and scheduled posts too"
    );
    let (_, drafts) = send(site.key(Method::GET, "/posts/?filter=status:draft&fields=slug")).await;
    assert_eq!(
        drafts["posts"],
        json!([{ "slug": "notes-on-the-water-sharing-talks" }])
    );
    let (_, scheduled) =
        send(site.key(Method::GET, "/posts/?filter=status:scheduled%2Btag:economy")).await;
    assert_eq!(
        scheduled["posts"][0]["slug"],
        "preview-iraqs-2027-budget-debate"
    );
    let (_, paged) = send(site.key(
        Method::GET,
        "/posts/?limit=3&page=2&order=published_at%20asc",
    ))
    .await;
    assert_eq!(paged["meta"]["pagination"]["page"], 2);
    assert_eq!(paged["meta"]["pagination"]["pages"], 4);
    assert_eq!(paged["posts"].as_array().unwrap().len(), 3);
    let (status, body) = send(site.key(Method::GET, "/posts/?filter=status:")).await;
    assert_eq!(status, 400, "{body}");
}

async fn pages_are_not_posts(db: TestDb) {
    let site = Site::new(&db).await;
    let (status, body) = send(
        site.key(Method::POST, "/pages/")
            .json(&json!({ "pages": [{ "title": "About", "markdown": "Who we are.", "status": "published" }] })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let page = &body["pages"][0];
    assert_eq!(page["show_title_and_feature_image"], true);
    let id = page["id"].as_str().unwrap();
    let (status, _) = send(site.key(Method::GET, &format!("/posts/{id}/"))).await;
    assert_eq!(status, 404);
    let (_, pages) = send(site.key(Method::GET, "/pages/")).await;
    assert_eq!(pages["pages"].as_array().unwrap().len(), 1);
    let (_, posts) = send(site.key(Method::GET, "/posts/")).await;
    assert_eq!(posts["posts"].as_array().unwrap().len(), 0);
    let (status, _) = send(site.key(Method::DELETE, &format!("/pages/{id}/"))).await;
    assert_eq!(status, 204);
}
