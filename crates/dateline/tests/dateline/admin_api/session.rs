//! Staff sessions: sign in, the cookie, the origin check, sign out, expiry.

use dateline_testkit::{TestDb, TestServer, backend_tests};
use reqwest::Method;
use serde_json::json;

use super::{OWNER_EMAIL, PASSWORD, Site, error, send};

backend_tests!(
    sign_in_sets_a_safe_cookie_and_sign_out_ends_it,
    cookie_requests_must_come_from_the_site,
    sign_in_refuses_bad_passwords_and_foreign_origins,
    sessions_expire,
    https_sites_get_secure_cookies,
);

async fn sign_in_sets_a_safe_cookie_and_sign_out_ends_it(db: TestDb) {
    let site = Site::new(&db).await;
    let res = site
        .server
        .client
        .post(site.url("/session/"))
        .header("Origin", &site.server.url)
        .json(&json!({ "username": OWNER_EMAIL, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.starts_with("ghost-admin-api-session="),
        "{set_cookie}"
    );
    for part in ["HttpOnly", "SameSite=Lax", "Path=/ghost"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "the test site is plain http"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    let (status, body) = send(site.session(Method::GET, "/users/me/", &cookie)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["users"][0]["email"], OWNER_EMAIL);
    assert_eq!(body["users"][0]["roles"][0]["name"], "Owner");

    let (status, _) = send(site.session(Method::DELETE, "/session/", &cookie)).await;
    assert_eq!(status, 204);
    let (status, body) = send(site.session(Method::GET, "/users/me/", &cookie)).await;
    assert_eq!(status, 403, "{body}");
}

async fn cookie_requests_must_come_from_the_site(db: TestDb) {
    let site = Site::new(&db).await;
    let cookie = site.sign_in(OWNER_EMAIL, PASSWORD).await;
    let bare = || {
        site.server
            .client
            .get(site.url("/posts/"))
            .header("Cookie", &cookie)
    };
    let (status, body) = send(bare()).await;
    assert_eq!(status, 400, "no origin at all: {body}");
    assert_eq!(error(&body)["type"], "BadRequestError");
    let (status, body) = send(bare().header("Origin", "https://evil.example")).await;
    assert_eq!(status, 400);
    assert_eq!(
        error(&body)["message"],
        format!(
            "Request made from incorrect origin. Expected '{}' received 'https://evil.example'.",
            site.server.url
        )
    );
    // A same-site page without an Origin header still names itself in Referer.
    let (status, _) = send(bare().header("Referer", format!("{}/ghost/", site.server.url))).await;
    assert_eq!(status, 200);
    let (status, _) = send(bare().header("Origin", &site.server.url)).await;
    assert_eq!(status, 200);
}

async fn sign_in_refuses_bad_passwords_and_foreign_origins(db: TestDb) {
    let site = Site::new(&db).await;
    let attempt = |origin: Option<&str>, password: &str| {
        let mut req = site
            .server
            .client
            .post(site.url("/session/"))
            .json(&json!({ "username": OWNER_EMAIL, "password": password }));
        if let Some(origin) = origin {
            req = req.header("Origin", origin);
        }
        send(req)
    };
    let (status, body) = attempt(Some(&site.server.url), "wrong password!!").await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error(&body)["type"], "UnauthorizedError");
    let (status, body) = attempt(None, PASSWORD).await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = attempt(Some("https://evil.example"), PASSWORD).await;
    assert_eq!(status, 400);
}

async fn sessions_expire(db: TestDb) {
    let site = Site::new(&db).await;
    let cookie = site.sign_in(OWNER_EMAIL, PASSWORD).await;
    let token = cookie.split_once('=').unwrap().1;
    let now = dateline_core::time::now();
    assert!(site.app.session(token, now).await.unwrap().is_some());
    let later = now + dateline_app::sessions::SESSION_LIFETIME;
    assert!(site.app.session(token, later).await.unwrap().is_none());
    // Looking at an expired session deletes it: the cookie no longer works at all.
    let (status, body) = send(site.session(Method::GET, "/posts/", &cookie)).await;
    assert_eq!(status, 403, "{body}");
}

async fn https_sites_get_secure_cookies(db: TestDb) {
    let app = db.app().await;
    app.create_owner(dateline_app::setup::OwnerInput {
        site_title: "Secure",
        name: "Desk",
        email: OWNER_EMAIL,
        password: PASSWORD,
    })
    .await
    .unwrap();
    let server = TestServer::start_as(app, Some("https://news.example")).await;
    let res = server
        .client
        .post(format!("{}/ghost/api/admin/session/", server.url))
        .header("Origin", "https://news.example")
        .json(&json!({ "username": OWNER_EMAIL, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("; Secure")
    );
}
