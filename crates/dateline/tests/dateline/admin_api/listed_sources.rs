//! The Admin API's listings carry each post's source document as written, though the Content
//! API's and the site's listings load posts without them: staff listings are where Ghost's
//! editor and migration tools read `lexical`, `mobiledoc` and `markdown` back in bulk.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::posts::add;
use super::{Site, send};

backend_tests!(a_listing_carries_each_source_as_written);

/// Spaced as no serialiser would write it, so a Lexical document made again from the HTML
/// cannot pass for it.
const LEXICAL: &str = r#"{"root":{"children":[{"children":[{"detail":0,"format":0,"mode":"normal","style":"","text":"Dohuk dam  opens.","type":"extended-text","version":1}],"direction":"ltr","format":"","indent":0,"type":"paragraph","version":1}],"direction":"ltr","format":"","indent":0,"type":"root","version":1}}"#;

const MOBILEDOC: &str = r#"{"version":"0.3.1","atoms":[],"cards":[],"markups":[],"sections":[[1,"p",[[0,[],0,"Zakho bridge reopens."]]]]}"#;

const MARKDOWN: &str = "Sulaymaniyah *votes* today.";

async fn listed(site: &Site, id: &Value) -> Value {
    let (status, body) = send(site.key(Method::GET, "/posts/?limit=all")).await;
    assert_eq!(status, 200, "{body}");
    let posts = body["posts"].as_array().unwrap();
    posts.iter().find(|p| p["id"] == *id).unwrap().clone()
}

async fn a_listing_carries_each_source_as_written(db: TestDb) {
    let site = Site::new(&db).await;
    let lexical = add(
        &site,
        json!({ "title": "Dam", "lexical": LEXICAL, "status": "published" }),
    )
    .await;
    let mobiledoc = add(&site, json!({ "title": "Bridge", "mobiledoc": MOBILEDOC })).await;
    let markdown = add(
        &site,
        json!({ "title": "Vote", "markdown": MARKDOWN, "status": "published" }),
    )
    .await;

    let listed_lexical = listed(&site, &lexical["id"]).await;
    assert_eq!(listed_lexical["lexical"], LEXICAL, "{listed_lexical}");
    assert_eq!(listed_lexical["mobiledoc"], Value::Null);
    let listed_mobiledoc = listed(&site, &mobiledoc["id"]).await;
    assert_eq!(
        listed_mobiledoc["mobiledoc"], MOBILEDOC,
        "{listed_mobiledoc}"
    );
    let listed_markdown = listed(&site, &markdown["id"]).await;
    assert_eq!(listed_markdown["markdown"], MARKDOWN, "{listed_markdown}");
}
