//! The parameters a stranger's query set tries on every resource, answered as Ghost 5.130's
//! API framework answers them: its checks on `limit`, `page`, `formats` and ids, its page
//! arithmetic past the end, repeated parameters, unknown includes, `Accept-Version`.

use dateline_testkit::{TestDb, backend_tests};
use serde_json::{Value, json};

use super::{fixture_server, get};

backend_tests!(
    limit_and_page_as_ghost_reads_them,
    formats_includes_and_repeats,
    reads_by_id_slug_and_version,
);

fn pagination(body: &Value) -> &Value {
    &body["meta"]["pagination"]
}

async fn limit_and_page_as_ghost_reads_them(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    // `limit=0` (and anything whose digits read as 0) is the default; digits then junk read
    // as the digits; `all` is everything.
    for (path, limit) in [
        ("/posts/?limit=0&fields=slug", json!(15)),
        ("/posts/?limit=2abc&fields=slug", json!(2)),
        ("/posts/?limit=all&fields=slug", json!("all")),
        ("/tags/?limit=all", json!("all")),
        ("/authors/?limit=5000", json!(5000)),
    ] {
        let (status, _, body) = get(&server, path, &key).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(pagination(&body)["limit"], limit, "{path}");
    }
    // `page=0` is the first page.
    let (_, _, body) = get(&server, "/posts/?page=0&limit=3&fields=slug", &key).await;
    assert_eq!(
        pagination(&body),
        &json!({"page": 1, "limit": 3, "pages": 3, "total": 8, "next": 2, "prev": null})
    );
    // Past the end: nothing, and Ghost's arithmetic points both ways from the page asked for.
    let (status, _, body) = get(&server, "/posts/?page=5&limit=3", &key).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"posts": [], "meta": {"pagination":
            {"page": 5, "limit": 3, "pages": 3, "total": 8, "next": 6, "prev": 4}}})
    );
    let (_, _, body) = get(&server, "/posts/?page=3&limit=3&fields=slug", &key).await;
    assert_eq!(body["posts"].as_array().unwrap().len(), 2);
    assert_eq!(pagination(&body)["next"], Value::Null);
    assert_eq!(pagination(&body)["prev"], 2);
    // One page only: no way anywhere, even past it.
    for path in [
        "/tags/?page=2",
        "/authors/?page=9",
        "/newsletters/?page=2",
        "/tiers/?page=2",
    ] {
        let (status, _, body) = get(&server, path, &key).await;
        assert_eq!(status, 200, "{path}: {body}");
        let resource = path.split('/').nth(1).unwrap();
        assert_eq!(body[resource], json!([]), "{path}");
        assert_eq!(pagination(&body)["next"], Value::Null, "{path}");
        assert_eq!(pagination(&body)["prev"], Value::Null, "{path}");
    }
    // What Ghost's patterns refuse, on every listing.
    for (path, param) in [
        ("/posts/?limit=abc", "limit"),
        ("/posts/?limit=-1", "limit"),
        ("/pages/?limit=ALL", "limit"),
        ("/tags/?limit=", "limit"),
        ("/authors/?page=-1", "page"),
        ("/posts/?page=two", "page"),
        ("/newsletters/?page=1.5", "page"),
        ("/tiers/?limit=x", "limit"),
    ] {
        let (status, _, body) = get(&server, path, &key).await;
        assert_eq!(status, 422, "{path}: {body}");
        let resource = path.split('/').nth(1).unwrap();
        let error = &body["errors"][0];
        assert_eq!(error["type"], "ValidationError");
        assert_eq!(
            error["message"],
            format!("Validation error, cannot list {resource}.")
        );
        assert_eq!(
            error["context"],
            format!("Validation (matches) failed for {param} undefined.{param}")
        );
    }
}

async fn formats_includes_and_repeats(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let (_, _, plain) = get(&server, "/posts/?formats=plaintext&limit=1", &key).await;
    // Formats a post has are taken (checked in any case); others are refused.
    let (status, _, body) = get(&server, "/posts/?formats=plaintext,mobiledoc&limit=1", &key).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["posts"][0]["plaintext"],
        plain["posts"][0]["plaintext"]
    );
    assert!(body["posts"][0]["plaintext"].is_string(), "{body}");
    let (status, _, body) = get(&server, "/posts/?formats=HTML&limit=1", &key).await;
    assert_eq!(status, 200, "{body}");
    for (path, action) in [
        ("/posts/?formats=pdf", "list posts"),
        ("/pages/?formats=html,", "list pages"),
        ("/posts/slug/about/?formats=markdown", "read post"),
    ] {
        let (status, _, body) = get(&server, path, &key).await;
        assert_eq!(status, 422, "{path}: {body}");
        assert_eq!(
            body["errors"][0]["message"],
            format!("Validation error, cannot {action}.")
        );
        assert_eq!(
            body["errors"][0]["context"],
            "Validation (AllowedValues) failed for formats"
        );
    }
    // `formats` means nothing to tags, so Ghost drops it there.
    let (status, _, _) = get(&server, "/tags/?formats=pdf", &key).await;
    assert_eq!(status, 200);

    // Unknown includes are dropped, not refused.
    let (_, _, bare) = get(&server, "/tags/", &key).await;
    let (status, _, body) = get(&server, "/tags/?include=nonsense", &key).await;
    assert_eq!((status, &body), (200, &bare));
    let (_, _, counted) = get(&server, "/tags/?include=count.posts", &key).await;
    let (_, _, body) = get(&server, "/tags/?include=nonsense,count.posts", &key).await;
    assert_eq!(body, counted);

    // A repeated parameter reads as its values joined by commas, as Express gives them to
    // Ghost; axum alone would refuse the request.
    let (status, _, body) = get(
        &server,
        "/posts/?include=tags&include=authors&limit=1",
        &key,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["posts"][0]["tags"].is_array(), "{body}");
    assert!(body["posts"][0]["authors"].is_array(), "{body}");
    let (status, _, body) = get(&server, "/posts/?limit=2&limit=3&fields=slug", &key).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(pagination(&body)["limit"], 2);
    // `absolute_urls` is what the Content API does anyway.
    let (_, _, absolute) = get(&server, "/tags/?absolute_urls=true", &key).await;
    assert_eq!(absolute, bare);
}

async fn reads_by_id_slug_and_version(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    // An id Ghost's pattern refuses is a validation error; a well-formed unknown id is 404.
    for (path, noun) in [
        ("/posts/not-an-id/", "post"),
        ("/pages/123/", "page"),
        ("/tags/zzzzzzzzzzzzzzzzzzzzzzzz/", "tag"),
        ("/authors/x/", "author"),
    ] {
        let (status, _, body) = get(&server, path, &key).await;
        assert_eq!(status, 422, "{path}: {body}");
        assert_eq!(
            body["errors"][0]["message"],
            format!("Validation error, cannot read {noun}.")
        );
        assert_eq!(
            body["errors"][0]["context"],
            "Validation (matches) failed for id undefined.id"
        );
    }
    for (path, noun, title) in [
        ("/posts/0123456789abcdef01234567/", "post", "Post"),
        ("/pages/0123456789abcdef01234567/", "page", "Page"),
        ("/tags/0123456789abcdef01234567/", "tag", "Tag"),
        ("/authors/0123456789ABCDEF01234567/", "author", "Author"),
        ("/tags/slug/no-such-tag/", "tag", "Tag"),
        ("/authors/slug/no-such-author/", "author", "Author"),
        ("/pages/slug/no-such-page/", "page", "Page"),
    ] {
        let (status, headers, body) = get(&server, path, &key).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(headers["access-control-allow-origin"], "*");
        let error = &body["errors"][0];
        assert_eq!(error["type"], "NotFoundError");
        assert_eq!(
            error["message"],
            format!("Resource not found error, cannot read {noun}.")
        );
        assert_eq!(error["context"], format!("{title} not found."));
    }
    // The owner's id in old Ghosts passes the pattern; here it names Editorial Desk.
    let (status, _, body) = get(&server, "/authors/1/", &key).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["authors"][0]["slug"], "editorial-desk");

    // The client's `Accept-Version` does not change the answer, which names our version.
    let res = server
        .client
        .get(format!("{}/ghost/api/content/tags/?key={key}", server.url))
        .header("accept-version", "v5.0")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-version"], "v5.130");
}
