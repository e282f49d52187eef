//! `fields` naming nothing a resource has. Ghost's model layer keeps the requested names that
//! are columns (none), fetches its default columns, then picks the requested names from each
//! record (`findPage` in `models/base/plugins/crud.js`), and the output mappers add `url` and
//! the other computed fields only when `fields` names them: every item is an empty object,
//! and the listing and its pagination are as without `fields`.

use dateline_testkit::{TestDb, backend_tests};
use serde_json::json;

use super::{fixture_server, get};

backend_tests!(
    fields_with_only_unknown_names_give_empty_items,
    tags_and_authors_keep_the_fields_asked_for_and_their_count
);

async fn fields_with_only_unknown_names_give_empty_items(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    for resource in ["posts", "pages", "tags", "authors", "tiers", "newsletters"] {
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

/// `fields` on the small lists: the names asked for, in the record's order, and `count` when
/// `include=count.posts` asks for it (Ghost adds counts after choosing the columns); reads by
/// slug take `fields` too.
async fn tags_and_authors_keep_the_fields_asked_for_and_their_count(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    for resource in ["tags", "authors"] {
        let path = format!("/{resource}/?fields=slug,name&include=count.posts&limit=all");
        let (status, _, body) = get(&server, &path, &key).await;
        assert_eq!(status, 200, "{resource}: {body}");
        for item in body[resource].as_array().unwrap() {
            let keys: Vec<&str> = item
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys, ["name", "slug", "count"], "{resource}: {item}");
            assert!(item["count"]["posts"].is_u64(), "{resource}: {item}");
        }
    }
    let (status, _, body) = get(&server, "/tags/slug/politics/?fields=name", &key).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["tags"], json!([{ "name": "Politics" }]));
}
