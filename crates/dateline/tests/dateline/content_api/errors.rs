use dateline_testkit::{TestDb, backend_tests};
use serde_json::Value;

use super::{assert_same, fixture_server, get, golden};

backend_tests!(errors_answer_as_ghost_did, bad_parameters_are_clear_4xx);

const NO_STORE: &str =
    "no-cache, private, no-store, must-revalidate, max-stale=0, post-check=0, pre-check=0";

/// Error ids are random per answer.
fn without_id(mut body: Value) -> Value {
    body["errors"][0]["id"] = Value::Null;
    body
}

async fn errors_answer_as_ghost_did(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let (status, headers, body) = get(&server, "/posts/", "0123456789abcdef01234567ab").await;
    assert_eq!(status, 401);
    assert_eq!(headers["cache-control"], NO_STORE);
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert!(body["errors"][0]["id"].as_str().unwrap().len() >= 32);
    assert_same(
        &without_id(body),
        &without_id(golden("error.wrong-key.json")),
        "wrong key",
    );

    let (status, _, body) = get(&server, "/posts/slug/this-post-does-not-exist/", &key).await;
    assert_eq!(status, 404);
    assert_same(
        &without_id(body),
        &without_id(golden("error.posts.read.slug-does-not-exist.json")),
        "missing slug",
    );

    let res = server.get("/ghost/api/content/posts/").await;
    assert_eq!(res.status(), 403, "no key at all");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["type"], "NoPermissionError");
}

async fn bad_parameters_are_clear_4xx(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let (status, _, body) = get(&server, "/posts/?filter=tag:news%2B(featured:true", &key).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["type"], "BadRequestError");
    assert!(
        body["errors"][0]["context"]
            .as_str()
            .unwrap()
            .contains("char"),
        "{body}"
    );

    let (status, _, body) = get(&server, "/posts/?filter=password:secret", &key).await;
    assert_eq!(status, 400, "{body}");

    for bad in [
        "/posts/?limit=abc",
        "/posts/?page=-1",
        "/posts/?order=title%3B",
    ] {
        let (status, _, body) = get(&server, bad, &key).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["errors"][0]["type"], "ValidationError", "{bad}");
    }
}

/// Answers are cached, but never for a request without a valid key, and never past a change.
#[tokio::test]
async fn cached_answers_still_need_the_key_and_follow_changes() {
    let db = TestDb::new(dateline_testkit::Backend::Sqlite)
        .await
        .unwrap();
    let (server, key, app) = super::fixture_server_with_app(&db).await;
    let (status, _, first) = get(&server, "/posts/?fields=slug", &key).await;
    assert_eq!(status, 200);
    let (status, _, again) = get(&server, "/posts/?fields=slug", &key).await;
    assert_eq!((status, &again), (200, &first));
    let (status, _, _) = get(&server, "/posts/?fields=slug", "0123456789abcdef01234567ab").await;
    assert_eq!(status, 401, "a cached answer is not a way around the key");
    let res = server.get("/ghost/api/content/posts/?fields=slug").await;
    assert_eq!(res.status(), 403);

    let owner = app
        .sign_in("editor@example.com", "EditorialDesk!2025pw")
        .await
        .unwrap();
    let mut post = dateline_core::post::Post::draft(
        dateline_core::post::PostType::Post,
        "Fresh news",
        "",
        dateline_core::time::now(),
    );
    post.markdown = Some("Just in.".into());
    post.status = dateline_core::post::PostStatus::Published;
    app.save_post(post, &owner).await.unwrap();
    let (_, _, after) = get(&server, "/posts/?fields=slug", &key).await;
    assert_eq!(after["posts"][0]["slug"], "fresh-news");
}
