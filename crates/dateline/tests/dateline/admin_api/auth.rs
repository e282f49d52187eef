//! Admin-key JWTs, checked as Ghost checks them.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::json;

use super::{Site, error, send};

backend_tests!(
    a_fresh_token_is_accepted,
    expired_and_old_tokens_are_refused,
    wrong_audience_unknown_key_and_bad_signature_are_refused,
    missing_and_malformed_credentials,
);

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

async fn a_fresh_token_is_accepted(db: TestDb) {
    let site = Site::new(&db).await;
    let (status, body) = send(site.key(Method::GET, "/posts/")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["meta"]["pagination"]["total"], 0);
    // Clients written for a versioned API sign for `/v5/admin/`; Ghost accepts those too.
    let versioned = site.token_with(&json!({ "iat": now(), "aud": "/v5/admin/" }));
    let (status, _) = send(
        site.server
            .client
            .get(site.url("/posts/"))
            .header("Authorization", format!("Ghost {versioned}")),
    )
    .await;
    assert_eq!(status, 200);
}

async fn refused(site: &Site, token: &str) -> (u16, serde_json::Value) {
    send(
        site.server
            .client
            .get(site.url("/posts/"))
            .header("Authorization", format!("Ghost {token}")),
    )
    .await
}

async fn expired_and_old_tokens_are_refused(db: TestDb) {
    let site = Site::new(&db).await;
    let expired =
        site.token_with(&json!({ "iat": now() - 120, "exp": now() - 1, "aud": "/admin/" }));
    let (status, body) = refused(&site, &expired).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error(&body)["type"], "UnauthorizedError");
    assert_eq!(error(&body)["code"], "INVALID_JWT");
    assert_eq!(error(&body)["message"], "Invalid token: jwt expired");

    // No `exp`, but issued more than five minutes ago: Ghost's `maxAge`.
    let old = site.token_with(&json!({ "iat": now() - 301, "aud": "/admin/" }));
    let (status, body) = refused(&site, &old).await;
    assert_eq!(status, 401);
    assert_eq!(error(&body)["message"], "Invalid token: maxAge exceeded");

    let no_iat = site.token_with(&json!({ "aud": "/admin/" }));
    let (_, body) = refused(&site, &no_iat).await;
    assert_eq!(
        error(&body)["message"],
        "Invalid token: iat required when maxAge is specified"
    );
}

async fn wrong_audience_unknown_key_and_bad_signature_are_refused(db: TestDb) {
    let site = Site::new(&db).await;
    let content = site.token_with(&json!({ "iat": now(), "aud": "/content/" }));
    let (status, body) = refused(&site, &content).await;
    assert_eq!(status, 401);
    assert_eq!(
        error(&body)["message"],
        r"Invalid token: jwt audience invalid. expected: /\/?admin\/?$/"
    );

    let stranger = dateline_app::api_keys::sign_token(
        &dateline_core::id::ObjectId::generate(),
        &site.secret,
        &json!({ "iat": now(), "aud": "/admin/" }),
    )
    .unwrap();
    let (status, body) = refused(&site, &stranger).await;
    assert_eq!(status, 401);
    assert_eq!(error(&body)["code"], "UNKNOWN_ADMIN_API_KEY");
    assert_eq!(error(&body)["message"], "Unknown Admin API Key");

    let forged = dateline_app::api_keys::sign_token(
        &site.key_id,
        &"ab".repeat(32),
        &json!({ "iat": now(), "aud": "/admin/" }),
    )
    .unwrap();
    let (status, body) = refused(&site, &forged).await;
    assert_eq!(status, 401);
    assert_eq!(error(&body)["message"], "Invalid token: invalid signature");
}

async fn missing_and_malformed_credentials(db: TestDb) {
    let site = Site::new(&db).await;
    // No credentials at all: Ghost's 403, not a 401.
    let (status, body) = send(site.server.client.get(site.url("/posts/"))).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error(&body)["type"], "NoPermissionError");
    assert_eq!(error(&body)["message"], "Authorization failed");

    let (status, body) = send(
        site.server
            .client
            .get(site.url("/posts/"))
            .header("Authorization", format!("Bearer {}", site.token())),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(error(&body)["code"], "INVALID_AUTH_HEADER");

    let (status, body) = refused(&site, "not-a-jwt").await;
    assert_eq!(status, 400);
    assert_eq!(error(&body)["type"], "BadRequestError");
    assert_eq!(error(&body)["message"], "Invalid token");

    let headers = site.server.get("/ghost/api/admin/posts/").await;
    assert_eq!(
        headers.headers()["cache-control"],
        "no-cache, private, no-store, must-revalidate, max-stale=0, post-check=0, pre-check=0"
    );
}
