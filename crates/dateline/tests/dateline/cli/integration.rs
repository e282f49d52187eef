use dateline_testkit::{TestDb, backend_tests};

use crate::support::ok;

backend_tests!(integration_create_prints_ghost_formatted_keys);

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

async fn integration_create_prints_ghost_formatted_keys(db: TestDb) {
    let first: serde_json::Value =
        serde_json::from_str(&ok(&db, &["integration", "create", "Zapier"])).unwrap();
    assert_eq!(first["name"], "Zapier");
    let content = first["content_api_key"].as_str().unwrap();
    assert!(is_hex(content, 26), "{content}");
    let admin = first["admin_api_key"].as_str().unwrap();
    let (id, secret) = admin.split_once(':').unwrap();
    assert!(is_hex(id, 24), "{id}");
    assert!(is_hex(secret, 64), "{secret}");

    // A second integration of the same name gets its own, different keys.
    let second: serde_json::Value =
        serde_json::from_str(&ok(&db, &["integration", "create", "Zapier"])).unwrap();
    assert_ne!(second["content_api_key"], first["content_api_key"]);
    assert_ne!(second["admin_api_key"], first["admin_api_key"]);
}
