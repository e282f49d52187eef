use dateline_testkit::{TestDb, backend_tests};

use dateline_testkit::ghost_oracle_dir;

use super::{assert_same, fixture_server, get, oracle_server};

backend_tests!(
    every_golden_query_answers_as_ghost_did,
    success_headers_match_ghost,
    limit_all_and_paging,
    read_by_id_and_unknown_fields,
);

/// Every query of the oracle's `content-api/queries.tsv` that Ghost answered with 200 (see
/// [`ghost_oracle_dir`]: the shared fixture, or a larger capture), asked of the same site
/// imported into Dateline, with Dateline's key in place of Ghost's.
async fn every_golden_query_answers_as_ghost_did(db: TestDb) {
    let oracle = ghost_oracle_dir();
    let (server, key) = oracle_server(&db, &oracle).await;
    let dir = oracle.join("content-api");
    let index = std::fs::read_to_string(dir.join("queries.tsv")).unwrap();
    let mut asked = 0;
    for line in index.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (file, status, path) = (fields[0], fields[1], fields[fields.len() - 1]);
        if status != "200" {
            continue;
        }
        let path = without_key(path.trim_start_matches("/ghost/api/content"));
        let (status, _, body) = get(&server, &path, &key).await;
        assert_eq!(status, 200, "{path}: {body}");
        let ghost: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        assert_same(&body, &ghost, file);
        asked += 1;
    }
    assert!(asked >= 10, "only {asked} queries in {}", dir.display());
}

/// `path` without its `key=` parameter.
fn without_key(path: &str) -> String {
    let Some((route, query)) = path.split_once('?') else {
        return path.to_owned();
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| !p.starts_with("key="))
        .collect();
    if rest.is_empty() {
        route.to_owned()
    } else {
        format!("{route}?{}", rest.join("&"))
    }
}

async fn success_headers_match_ghost(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let (_, headers, _) = get(&server, "/posts/", &key).await;
    assert_eq!(headers["content-version"], "v5.130");
    assert_eq!(headers["vary"], "Accept-Version, Accept-Encoding");
    assert_eq!(headers["cache-control"], "public, max-age=0");
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert_eq!(headers["content-type"], "application/json; charset=utf-8");
}

async fn limit_all_and_paging(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let (_, _, all) = get(&server, "/posts/?limit=all", &key).await;
    assert_eq!(all["posts"].as_array().unwrap().len(), 8);
    assert_eq!(all["meta"]["pagination"]["limit"], "all");
    assert_eq!(all["meta"]["pagination"]["pages"], 1);

    let (_, _, third) = get(&server, "/posts/?limit=3&page=3&fields=slug", &key).await;
    let slugs: Vec<&str> = third["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert_eq!(
        slugs,
        [
            "baghdad-and-erbil-agree-on-oil-export-restart",
            "kurdistan-region-parliament-sets-date-for-first-session"
        ]
    );
    assert_eq!(third["meta"]["pagination"]["prev"], 2);
    assert_eq!(third["meta"]["pagination"]["next"], serde_json::Value::Null);

    let (_, _, ordered) = get(
        &server,
        "/posts/?order=title%20asc&limit=2&fields=title",
        &key,
    )
    .await;
    assert_eq!(
        ordered["posts"][0]["title"],
        "Analysis: What the NATO mission means for Iraq's army"
    );
    assert_eq!(
        ordered["posts"][1]["title"],
        "Baghdad and Erbil agree on oil export restart"
    );
}

async fn read_by_id_and_unknown_fields(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let (status, _, body) = get(
        &server,
        "/posts/6b0a71b88161d82b79d23c5b/?fields=id,title",
        &key,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["posts"][0]["title"],
        "PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner"
    );
    let (status, _, body) = get(&server, "/tags/slug/news/?include=count.posts", &key).await;
    assert_eq!(status, 200);
    assert_eq!(body["tags"][0]["count"]["posts"], 4);
    let (status, _, body) = get(&server, "/authors/slug/the-new-region/", &key).await;
    assert_eq!(status, 200);
    assert_eq!(body["authors"][0]["name"], "The New Region");
    assert!(
        body["authors"][0].get("email").is_none(),
        "staff emails are never public"
    );
    // Drafts and scheduled posts are not public.
    let (status, _, _) = get(
        &server,
        "/posts/slug/notes-on-the-water-sharing-talks/",
        &key,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, _) = get(
        &server,
        "/posts/slug/preview-iraqs-2027-budget-debate/",
        &key,
    )
    .await;
    assert_eq!(status, 404);
    // A page is not a post.
    let (status, _, _) = get(&server, "/posts/slug/about/", &key).await;
    assert_eq!(status, 404);
}
