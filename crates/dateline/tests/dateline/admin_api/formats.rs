//! `lexical` and `mobiledoc` on `/posts/`: Ghost's Admin API answers with both when `formats`
//! is not given. A post written as a Lexical or Mobiledoc document reads back as that document,
//! unchanged, until its body is edited in another form; a post written in Markdown or HTML reads
//! as a Lexical document holding its HTML in one HTML card.

use dateline_testkit::{TestDb, backend_tests, ghost_export};
use reqwest::Method;
use serde_json::{Value, json};

use super::posts::add;
use super::{Site, send};

backend_tests!(
    lexical_reads_back_as_written,
    mobiledoc_reads_back_as_written,
    markdown_reads_as_an_html_card,
    imported_lexical_is_kept_and_exported,
);

/// Written the way Ghost's editor writes it, with a key order and spacing of its own that a
/// re-serialisation would change.
const LEXICAL: &str = r#"{"root":{"children":[{"children":[{"detail":0,"format":1,"mode":"normal","style":"","text":"Baghdad","type":"extended-text","version":1},{"detail":0,"format":0,"mode":"normal","style":"","text":" votes today.","type":"extended-text","version":1}],"direction":"ltr","format":"","indent":0,"type":"paragraph","version":1},{"type":"html","version":1,"html":"<div class=\"box\">Live</div>","visibility":{"web":{"nonMember":true,"memberSegment":"status:free,status:-free"},"email":{"memberSegment":"status:free,status:-free"}}}],"direction":"ltr","format":"","indent":0,"type":"root","version":1}}"#;

const MOBILEDOC: &str = r#"{"version":"0.3.1","atoms":[],"cards":[],"markups":[],"sections":[[1,"p",[[0,[],0,"Erbil airport reopens."]]]]}"#;

async fn read(site: &Site, id: &str, query: &str) -> Value {
    let (status, body) = send(site.key(Method::GET, &format!("/posts/{id}/{query}"))).await;
    assert_eq!(status, 200, "{body}");
    body["posts"][0].clone()
}

async fn edit(site: &Site, id: &str, mut post: Value, before: &Value) -> Value {
    post["updated_at"] = before["updated_at"].clone();
    let (status, body) = send(
        site.key(Method::PUT, &format!("/posts/{id}/"))
            .json(&json!({ "posts": [post] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["posts"][0].clone()
}

/// The one HTML card of a Lexical document Dateline made from a post's HTML.
fn html_card(lexical: &Value) -> String {
    let text = lexical.as_str().expect("lexical is a string");
    let doc: Value = serde_json::from_str(text).unwrap();
    let children = doc["root"]["children"].as_array().unwrap();
    assert_eq!(children.len(), 1, "{doc}");
    assert_eq!(children[0]["type"], "html");
    // Ghost's renderer gives the card's HTML back as it is, between its card markers.
    let html = children[0]["html"].as_str().unwrap().to_owned();
    let rendered = dateline_core::lexical::to_html(text).unwrap();
    assert!(
        rendered.contains(&format!(
            "<!--kg-card-begin: html-->\n{html}\n<!--kg-card-end: html-->"
        )),
        "{rendered}"
    );
    html
}

async fn lexical_reads_back_as_written(db: TestDb) {
    let site = Site::new(&db).await;
    let added = add(&site, json!({ "title": "Vote", "lexical": LEXICAL })).await;
    assert_eq!(added["lexical"], LEXICAL);
    assert_eq!(added["mobiledoc"], Value::Null);
    let id = added["id"].as_str().unwrap();

    let post = read(&site, id, "").await;
    assert_eq!(post["lexical"], LEXICAL);
    assert_eq!(post["mobiledoc"], Value::Null);
    let post = read(&site, id, "?formats=html,lexical").await;
    assert_eq!(post["lexical"], LEXICAL);
    assert!(
        post.get("mobiledoc").is_none(),
        "only the formats asked for"
    );
    assert_eq!(
        post["html"],
        "<p><strong>Baghdad</strong> votes today.</p>\n<!--kg-card-begin: html-->\n\
         <div class=\"box\">Live</div>\n<!--kg-card-end: html-->\n"
    );
    let post = read(&site, id, "?formats=html").await;
    assert!(post.get("lexical").is_none());

    // Edits that leave the body alone keep the document.
    let retitled = edit(&site, id, json!({ "title": "Vote count" }), &post).await;
    assert_eq!(retitled["lexical"], LEXICAL);

    // A body edited as Markdown (here, or in Dateline's editor) is no longer that document.
    let rewritten = edit(
        &site,
        id,
        json!({ "markdown": "Counting **continues**." }),
        &retitled,
    )
    .await;
    assert_ne!(rewritten["lexical"], LEXICAL);
    assert_eq!(
        html_card(&rewritten["lexical"]),
        "<p>Counting <strong>continues</strong>.</p>\n"
    );

    // And a document sent again is kept again.
    let again = edit(&site, id, json!({ "lexical": LEXICAL }), &rewritten).await;
    assert_eq!(again["lexical"], LEXICAL);
}

async fn mobiledoc_reads_back_as_written(db: TestDb) {
    let site = Site::new(&db).await;
    let added = add(&site, json!({ "title": "Airport", "mobiledoc": MOBILEDOC })).await;
    let id = added["id"].as_str().unwrap();
    assert_eq!(added["mobiledoc"], MOBILEDOC);
    // Ghost gives a post in one source format or the other.
    assert_eq!(added["lexical"], Value::Null);
    let post = read(&site, id, "?formats=mobiledoc,lexical,html,plaintext").await;
    assert_eq!(post["mobiledoc"], MOBILEDOC);
    assert_eq!(post["lexical"], Value::Null);
    assert_eq!(post["html"], "<p>Erbil airport reopens.</p>");
    assert_eq!(post["plaintext"], "Erbil airport reopens.");
}

async fn markdown_reads_as_an_html_card(db: TestDb) {
    let site = Site::new(&db).await;
    let added = add(
        &site,
        json!({ "title": "Budget", "markdown": "The budget *passed*.\n\n## Next" }),
    )
    .await;
    let id = added["id"].as_str().unwrap();
    let post = read(&site, id, "?formats=mobiledoc,lexical,html").await;
    assert_eq!(post["mobiledoc"], Value::Null);
    assert_eq!(html_card(&post["lexical"]), post["html"].as_str().unwrap());

    // Sent as HTML (`?source=html`), likewise.
    let (status, body) = send(
        site.key(Method::POST, "/posts/?source=html&formats=html,lexical")
            .json(&json!({ "posts": [{ "title": "Grid", "html": "<p>Power cuts.</p>" }] })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let post = &body["posts"][0];
    assert_eq!(html_card(&post["lexical"]), post["html"].as_str().unwrap());
}

/// A migration tool's round trip: the Lexical Ghost wrote comes out of the Admin API and of a
/// Ghost export exactly as it went in.
async fn imported_lexical_is_kept_and_exported(db: TestDb) {
    let site = Site::imported(&db).await;
    let export: Value = serde_json::from_slice(&ghost_export()).unwrap();
    let seed = export["db"][0]["data"]["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner")
        .unwrap()
        .clone();
    let id = seed["id"].as_str().unwrap();
    let post = read(&site, id, "").await;
    assert_eq!(post["lexical"], seed["lexical"]);
    assert_eq!(post["mobiledoc"], Value::Null);

    let out = site.app.export_ghost(&|_, _| {}).await.unwrap();
    let exported = out["db"][0]["data"]["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(exported["lexical"], seed["lexical"]);
    assert_eq!(exported["mobiledoc"], Value::Null);
}
