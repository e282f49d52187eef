//! `order` on tags and authors, read as Ghost 5.130 reads it: by name unless asked otherwise,
//! several fields, either direction in any case, `count.posts` when the counts are included,
//! rules Ghost cannot use skipped (leaving the store's own order), characters outside Ghost's
//! set refused, and a `slug:[…]` filter listing in the order of its slugs. Pages list by title,
//! as Ghost lists them, unless `order` says otherwise.

use dateline_testkit::{TestDb, TestServer, backend_tests};
use serde_json::Value;

use super::{fixture_server, fixture_server_with_app, get};

backend_tests!(
    tags_order_as_ghost,
    authors_order_as_ghost,
    pages_list_by_title_unless_asked
);

/// The slugs `path` lists under `resource`, after checking it answered.
async fn listed(server: &TestServer, key: &str, path: &str, resource: &str) -> Vec<String> {
    let (status, _, body) = get(server, path, key).await;
    assert_eq!(status, 200, "{path}: {body}");
    slugs(&body, resource)
}

fn slugs(body: &Value, resource: &str) -> Vec<String> {
    body[resource]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["slug"].as_str().unwrap().to_owned())
        .collect()
}

/// The fixture's tags in the order they were made (their ids), which is how Ghost lists rows
/// when `order` names nothing it can use.
const MADE: [&str; 7] = [
    "news",
    "politics",
    "economy",
    "world",
    "culture",
    "sports",
    "hash-internal",
];

async fn tags_order_as_ghost(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let ordered = |path: &'static str| listed(&server, &key, path, "tags");
    let by_name = [
        "hash-internal",
        "culture",
        "economy",
        "news",
        "politics",
        "sports",
        "world",
    ];
    assert_eq!(ordered("/tags/").await, by_name);
    let mut reversed = by_name;
    reversed.reverse();
    assert_eq!(ordered("/tags/?order=name%20desc").await, reversed);
    assert_eq!(
        ordered("/tags/?order=NAME%20DESC").await,
        reversed,
        "any case"
    );
    assert_eq!(ordered("/tags/?order=tags.name%20desc").await, reversed);
    // Published posts: News 4, Politics 3, World 2, the rest 1; ties by slug.
    assert_eq!(
        ordered("/tags/?include=count.posts&order=count.posts%20desc,%20slug%20asc").await,
        [
            "news",
            "politics",
            "world",
            "culture",
            "economy",
            "hash-internal",
            "sports"
        ]
    );
    assert_eq!(
        ordered("/tags/?include=count.posts&order=count.posts%20asc,slug%20desc").await,
        [
            "sports",
            "hash-internal",
            "economy",
            "culture",
            "world",
            "politics",
            "news"
        ]
    );
    // Without the counts, Ghost cannot order by them; nor by what is not a column, nor by a
    // rule without a direction. Nothing usable is left, so the rows come as they were made.
    for path in [
        "/tags/?order=count.posts%20desc",
        "/tags/?order=nonsense",
        "/tags/?order=name",
        "/tags/?order=password%20desc",
    ] {
        assert_eq!(ordered(path).await, MADE, "{path}");
    }
    // A usable rule beside an unusable one still orders.
    assert_eq!(
        ordered("/tags/?order=nonsense%20asc,slug%20desc").await,
        [
            "world",
            "sports",
            "politics",
            "news",
            "hash-internal",
            "economy",
            "culture"
        ]
    );
    // A field given twice keeps its first place and takes its last direction.
    assert_eq!(
        ordered("/tags/?order=slug%20asc,name%20asc,slug%20desc&limit=2").await,
        ["world", "sports"]
    );
    // `order` given twice reads as one list, as Ghost reads a repeated parameter.
    assert_eq!(
        ordered("/tags/?order=visibility%20asc&order=name%20desc&limit=2").await,
        ["hash-internal", "world"]
    );
    // Ordered, then paged, in the database.
    let (_, _, body) = get(&server, "/tags/?order=slug%20asc&limit=3&page=2", &key).await;
    assert_eq!(slugs(&body, "tags"), ["news", "politics", "sports"]);
    assert_eq!(body["meta"]["pagination"]["total"], 7);
    assert_eq!(body["meta"]["pagination"]["pages"], 3);
    // A list of slugs lists in its own order unless an order is asked for.
    assert_eq!(
        ordered("/tags/?filter=slug:[world,news,culture]").await,
        ["world", "news", "culture"]
    );
    assert_eq!(
        ordered("/tags/?filter=slug:[world,news,culture]&order=slug%20asc").await,
        ["culture", "news", "world"]
    );
    assert_eq!(
        ordered("/tags/?filter=visibility:public%2Bslug:[sports,economy]").await,
        ["sports", "economy"]
    );

    // Characters Ghost's pattern does not allow are a validation error, not SQL.
    for bad in [
        "/tags/?order=name%3Bdrop%20table%20tags",
        "/tags/?order=name%20desc--",
        "/tags/?order=",
        "/authors/?order=(name)",
    ] {
        let (status, _, body) = get(&server, bad, &key).await;
        assert_eq!(status, 422, "{bad}: {body}");
        let error = &body["errors"][0];
        assert_eq!(error["type"], "ValidationError", "{bad}");
        let resource = if bad.starts_with("/tags") {
            "tags"
        } else {
            "authors"
        };
        assert_eq!(
            error["message"],
            format!("Validation error, cannot list {resource}.")
        );
        assert_eq!(
            error["context"],
            "Validation (matches) failed for order undefined.order"
        );
    }
}

async fn authors_order_as_ghost(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let ordered = |path: &'static str| listed(&server, &key, path, "authors");
    assert_eq!(
        ordered("/authors/").await,
        ["editorial-desk", "the-new-region"]
    );
    assert_eq!(
        ordered("/authors/?order=name%20desc").await,
        ["the-new-region", "editorial-desk"]
    );
    // Editorial Desk has 4 published posts, The New Region 5.
    let (_, _, body) = get(
        &server,
        "/authors/?include=count.posts&order=count.posts%20desc",
        &key,
    )
    .await;
    assert_eq!(
        slugs(&body, "authors"),
        ["the-new-region", "editorial-desk"]
    );
    assert_eq!(body["authors"][0]["count"]["posts"], 5);
    assert_eq!(
        ordered("/authors/?include=count.posts&order=count.posts%20asc").await,
        ["editorial-desk", "the-new-region"]
    );
    assert_eq!(
        ordered("/authors/?filter=slug:[the-new-region,editorial-desk]").await,
        ["the-new-region", "editorial-desk"]
    );
    // A private column is not a way to sort staff by their email or password: the rule is
    // skipped and the rows come as they were made.
    for path in [
        "/authors/?order=email%20desc",
        "/authors/?order=password_hash%20desc",
    ] {
        assert_eq!(
            ordered(path).await,
            ["editorial-desk", "the-new-region"],
            "{path}"
        );
    }
    let (_, _, body) = get(&server, "/authors/?order=slug%20desc&limit=1&page=2", &key).await;
    assert_eq!(slugs(&body, "authors"), ["editorial-desk"]);
    assert_eq!(body["meta"]["pagination"]["prev"], 1);
    assert_eq!(body["meta"]["pagination"]["next"], Value::Null);
}

async fn pages_list_by_title_unless_asked(db: TestDb) {
    let (server, key, app) = fixture_server_with_app(&db).await;
    let owner = app
        .sign_in("editor@example.com", "EditorialDesk!2025pw")
        .await
        .unwrap();
    // Published after the fixture's About page, so newest-first would put them before it.
    for title in ["Masthead", "Contact"] {
        let mut page = dateline_core::post::Post::draft(
            dateline_core::post::PostType::Page,
            title,
            "",
            dateline_core::time::now(),
        );
        page.markdown = Some("Text.".into());
        page.status = dateline_core::post::PostStatus::Published;
        app.save_post(page, &owner).await.unwrap();
    }
    let ordered = |path: &'static str| listed(&server, &key, path, "pages");
    assert_eq!(
        ordered("/pages/?fields=slug").await,
        ["about", "contact", "masthead"]
    );
    assert_eq!(
        ordered("/pages/?fields=slug&order=title%20desc").await,
        ["masthead", "contact", "about"]
    );
    assert_eq!(
        ordered("/pages/?fields=slug&filter=slug:[masthead,about]").await,
        ["masthead", "about"]
    );
}
