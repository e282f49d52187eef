//! Cross-origin calls: the Content API is meant for browsers on any site (themes, widgets), so it
//! answers preflights and `HEAD` as Ghost's `cors` middleware does; the Admin API grants no
//! origin anything.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use reqwest::header::HeaderMap;

use super::fixture_server;
use crate::admin_api::Site;

backend_tests!(
    preflight_is_answered_for_any_origin,
    head_answers_like_get_without_a_body,
    admin_api_grants_no_origin,
);

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

async fn preflight_is_answered_for_any_origin(db: TestDb) {
    let (server, _) = fixture_server(&db).await;
    // A preflight carries no key: the browser sends the query string, but answers it before
    // any key check, as Ghost does.
    for path in ["/posts/", "/tiers/?key=wrong", "/posts/slug/nowhere/"] {
        let res = server
            .client
            .request(
                Method::OPTIONS,
                format!("{}/ghost/api/content{path}", server.url),
            )
            .header("Origin", "https://reader.example")
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "accept-version")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204, "{path}");
        let h = res.headers();
        assert_eq!(header(h, "access-control-allow-origin"), Some("*"));
        assert_eq!(
            header(h, "access-control-allow-methods"),
            Some("GET,HEAD,PUT,PATCH,POST,DELETE")
        );
        assert_eq!(
            header(h, "access-control-allow-headers"),
            Some("accept-version")
        );
        assert_eq!(header(h, "access-control-max-age"), Some("86400"));
        assert_eq!(
            header(h, "vary"),
            Some("Access-Control-Request-Headers"),
            "{path}"
        );
        assert_eq!(res.text().await.unwrap(), "");
    }
    // No headers asked for, none allowed.
    let res = server
        .client
        .request(
            Method::OPTIONS,
            format!("{}/ghost/api/content/settings/", server.url),
        )
        .header("Origin", "https://reader.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert!(res.headers().get("access-control-allow-headers").is_none());
}

async fn head_answers_like_get_without_a_body(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let url = format!("{}/ghost/api/content/posts/?key={key}&limit=2", server.url);
    let get = server
        .client
        .get(&url)
        .header("Origin", "https://reader.example")
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 200);
    assert_eq!(
        header(get.headers(), "access-control-allow-origin"),
        Some("*")
    );
    let head = server
        .client
        .head(&url)
        .header("Origin", "https://reader.example")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    let h = head.headers().clone();
    assert_eq!(header(&h, "access-control-allow-origin"), Some("*"));
    assert_eq!(
        header(&h, "content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(header(&h, "content-version"), Some("v5.130"));
    assert_eq!(head.text().await.unwrap(), "");
    // The key is checked as for GET.
    let head = server
        .client
        .head(format!("{}/ghost/api/content/posts/?key=nope", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 401);
}

async fn admin_api_grants_no_origin(db: TestDb) {
    let site = Site::new(&db).await;
    let preflight = site
        .server
        .client
        .request(Method::OPTIONS, site.url("/posts/"))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_ne!(preflight.status(), 204);
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    assert!(
        preflight
            .headers()
            .get("access-control-allow-headers")
            .is_none()
    );
    let read = site
        .key(Method::GET, "/posts/")
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    assert!(read.headers().get("access-control-allow-origin").is_none());
    assert!(
        read.headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
}
