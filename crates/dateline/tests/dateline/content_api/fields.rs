//! `fields` naming nothing a resource has. Ghost's model layer keeps the requested names that
//! are columns (none), fetches its default columns, then picks the requested names from each
//! record (`findPage` in `models/base/plugins/crud.js`), and the output mappers add `url` and
//! the other computed fields only when `fields` names them: every item is an empty object,
//! and the listing and its pagination are as without `fields`.

use dateline_testkit::{TestDb, backend_tests};
use serde_json::json;

use super::{fixture_server, get};

backend_tests!(fields_with_only_unknown_names_give_empty_items);

async fn fields_with_only_unknown_names_give_empty_items(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    // Dateline's `/tags/` and `/authors/` do not take `fields` at all yet.
    for resource in ["posts", "pages", "tiers", "newsletters"] {
        let (status, _, whole) = get(&server, &format!("/{resource}/"), &key).await;
        assert_eq!(status, 200, "{resource}: {whole}");
        let path = format!("/{resource}/?fields=nonsense,Title");
        let (status, _, body) = get(&server, &path, &key).await;
        assert_eq!(status, 200, "{resource}: {body}");
        let items = body[resource].as_array().unwrap();
        assert_eq!(
            items.len(),
            whole[resource].as_array().unwrap().len(),
            "{resource}"
        );
        assert!(items.iter().all(|i| *i == json!({})), "{resource}: {body}");
        assert_eq!(body["meta"], whole["meta"], "{resource}");
    }
    // Known names among unknown ones are kept, in the record's order.
    let (_, _, body) = get(&server, "/posts/?fields=nonsense,slug&limit=1", &key).await;
    assert_eq!(
        body["posts"],
        json!([{ "slug": "pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner" }])
    );
}
