//! Tags: browse, read, add, edit, delete.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::json;

use super::{Site, error, send};

backend_tests!(tag_crud_round_trip, tags_browse_with_counts);

async fn tag_crud_round_trip(db: TestDb) {
    let site = Site::new(&db).await;
    let (status, body) = send(site.key(Method::POST, "/tags/").json(&json!({
        "tags": [{ "name": "Energy", "description": "Oil, gas and power." }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    let tag = &body["tags"][0];
    assert_eq!(tag["slug"], "energy");
    assert_eq!(tag["visibility"], "public");
    assert!(tag["created_at"].as_str().unwrap().ends_with("Z"));
    let id = tag["id"].as_str().unwrap();

    // The same name again gets Ghost's suffix.
    let (_, twin) = send(
        site.key(Method::POST, "/tags/")
            .json(&json!({ "tags": [{ "name": "Energy" }] })),
    )
    .await;
    assert_eq!(twin["tags"][0]["slug"], "energy-2");

    let (status, body) = send(site.key(Method::PUT, &format!("/tags/{id}/")).json(&json!({
        "tags": [{ "name": "Power", "slug": "power", "description": null }]
    })))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["tags"][0]["name"], "Power");
    assert_eq!(body["tags"][0]["slug"], "power");
    assert_eq!(body["tags"][0]["description"], serde_json::Value::Null);

    let (status, body) = send(site.key(Method::GET, "/tags/slug/power/")).await;
    assert_eq!(status, 200);
    assert_eq!(body["tags"][0]["id"], id);
    let (status, _) = send(site.key(Method::DELETE, &format!("/tags/{id}/"))).await;
    assert_eq!(status, 204);
    let (status, body) = send(site.key(Method::GET, &format!("/tags/{id}/"))).await;
    assert_eq!(status, 404);
    assert_eq!(error(&body)["type"], "NotFoundError");
    let (status, body) = send(
        site.key(Method::POST, "/tags/")
            .json(&json!({ "tags": [{ "slug": "nameless" }] })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
}

async fn tags_browse_with_counts(db: TestDb) {
    let site = Site::imported(&db).await;
    let (status, body) = send(site.key(Method::GET, "/tags/?include=count.posts&limit=all")).await;
    assert_eq!(status, 200, "{body}");
    let news = body["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "news")
        .unwrap();
    assert_eq!(news["count"]["posts"], 4);
    let (_, filtered) = send(site.key(Method::GET, "/tags/?filter=visibility:internal")).await;
    assert_eq!(filtered["tags"][0]["slug"], "hash-internal");
    assert_eq!(filtered["meta"]["pagination"]["total"], 1);
}
