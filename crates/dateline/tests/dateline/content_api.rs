//! The Content API against Ghost 5.130's own answers for the same site
//! (`../shared/fixtures/ghost-5.130/content-api/`).

mod cors;
mod errors;
mod fields;
mod newsletters;
mod offers;
mod ordering;
mod parameters;
mod resources;
mod tiers;

use dateline_testkit::{TestDb, TestServer, ghost_export, ghost_fixture_dir};
use serde_json::Value;

/// The fixture was captured from a Ghost at this address.
pub const GHOST_URL: &str = "http://localhost:2368";

/// A server with the fixture imported, answering as `http://localhost:2368`, and a content key.
pub async fn fixture_server(db: &TestDb) -> (TestServer, String) {
    let (server, key, _) = fixture_server_with_app(db).await;
    (server, key)
}

/// The same, with the served app, for tests that change content as the admin would.
pub async fn fixture_server_with_app(db: &TestDb) -> (TestServer, String, dateline_app::App) {
    served(db, &ghost_export()).await
}

/// A server with the export in the Ghost capture `dir` imported, and a content key.
pub async fn oracle_server(db: &TestDb, dir: &std::path::Path) -> (TestServer, String) {
    let export = std::fs::read(dir.join("ghost-export.json")).unwrap();
    let (server, key, _) = served(db, &export).await;
    (server, key)
}

async fn served(db: &TestDb, export: &[u8]) -> (TestServer, String, dateline_app::App) {
    let app = db.app().await;
    app.import_ghost(export, &|_, _| {}).await.unwrap();
    let key = app
        .create_integration("Tests")
        .await
        .unwrap()
        .content_api_key;
    (
        TestServer::start_as(app.clone(), Some(GHOST_URL)).await,
        key,
        app,
    )
}

pub fn golden(name: &str) -> Value {
    let text = std::fs::read_to_string(ghost_fixture_dir().join("content-api").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// GETs `path` with `key` and returns status, headers and JSON.
pub async fn get(
    server: &TestServer,
    path: &str,
    key: &str,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let res = server
        .get(&format!("/ghost/api/content{path}{sep}key={key}"))
        .await;
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.json().await.unwrap())
}

/// Asserts two JSON values are equal, naming the first path where they differ.
pub fn assert_same(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            let mut keys: Vec<&String> = e.keys().collect();
            for k in a.keys() {
                if !e.contains_key(k) {
                    keys.push(k);
                }
            }
            for k in keys {
                assert_same(
                    a.get(k).unwrap_or(&Value::Null),
                    e.get(k).unwrap_or(&Value::Null),
                    &format!("{path}.{k}"),
                );
                assert_eq!(
                    a.contains_key(k),
                    e.contains_key(k),
                    "{path}.{k}: present in one answer only"
                );
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{path}: length");
            for (i, (x, y)) in a.iter().zip(e).enumerate() {
                assert_same(x, y, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}
