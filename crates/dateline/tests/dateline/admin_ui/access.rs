//! Getting in: first-run setup, login and logout, the session cookie, CSRF tokens, and the
//! login budgets shared with Ghost's session endpoint.

use dateline_app::login_throttle::{ACCOUNT_LIMIT, ADDRESS_LIMIT};
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::json;

use super::{Admin, OWNER_EMAIL, PASSWORD, hidden_csrf, location, set_cookie, set_cookie_header};
use crate::admin_api::{add_staff, error, send};

backend_tests!(
    setup_is_offered_only_until_there_is_an_owner,
    login_sets_the_shared_session_cookie_and_logout_ends_it,
    forms_and_calls_without_the_csrf_token_are_refused,
    wrong_passwords_are_rate_limited_on_both_doors,
    one_address_is_limited_across_accounts,
    ghost_admin_addresses_lead_to_the_admin,
    https_sites_get_a_secure_session_cookie,
);

async fn setup_is_offered_only_until_there_is_an_owner(db: TestDb) {
    let admin = Admin::empty(&db).await;
    let res = admin.get("/admin/login/", None).await;
    assert_eq!(location(&res), "/admin/setup/");

    let (cookie, csrf) = admin.form("/admin/setup/").await;
    let fields = |csrf: &str, password: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("site_title", "The New Region".to_owned()),
            ("name", "Lana Aziz".to_owned()),
            ("email", "lana@example.com".to_owned()),
            ("password", password.to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        admin
            .client
            .post(admin.url("/admin/setup/"))
            .header("Cookie", &cookie)
            .form(&fields)
            .send()
    };
    let res = post(fields("", PASSWORD)).await.unwrap();
    assert_eq!(res.status(), 403, "no token");
    assert!(!admin.app.has_owner().await.unwrap());

    let res = post(fields(&csrf, "short")).await.unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("at least 10 characters"), "{html}");
    assert!(html.contains("lana@example.com"), "typed values are kept");

    let res = post(fields(&csrf, PASSWORD)).await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/posts/");
    let session = set_cookie(&res, "ghost-admin-api-session").unwrap();
    let page = admin.get("/admin/posts/", Some(&session)).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Lana Aziz"));
    assert_eq!(
        admin.app.settings().await.unwrap().title(),
        "The New Region"
    );

    // Once there is an owner, setup is gone, and posting the form again creates nobody.
    let res = admin.get("/admin/setup/", None).await;
    assert_eq!(location(&res), "/admin/login/");
    let mut again = fields(&csrf, PASSWORD);
    again[3].1 = "intruder@example.com".to_owned();
    let res = post(again).await.unwrap();
    assert_eq!(location(&res), "/admin/login/");
    let res = admin.login("intruder@example.com", PASSWORD).await;
    assert_eq!(res.status(), 401);
}

async fn login_sets_the_shared_session_cookie_and_logout_ends_it(db: TestDb) {
    let admin = Admin::new(&db).await;
    let res = admin.get("/admin/posts/?status=draft", None).await;
    assert_eq!(
        location(&res),
        "/admin/login/?next=/admin/posts/%3Fstatus%3Ddraft"
    );

    let res = admin.login(OWNER_EMAIL, "not the password").await;
    assert_eq!(res.status(), 401);
    assert!(set_cookie(&res, "ghost-admin-api-session").is_none());
    assert!(res.text().await.unwrap().contains("do not match"));

    let res = admin.login(OWNER_EMAIL, PASSWORD).await;
    assert_eq!(res.status(), 303);
    let header = set_cookie_header(&res, "ghost-admin-api-session");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/;"] {
        assert!(header.contains(part), "{header}");
    }
    assert!(!header.contains("Secure"), "the test site is plain http");
    let cookie = header.split(';').next().unwrap().to_owned();

    // The same session works on Ghost's Admin API, as the editor's uploads rely on.
    let (status, body) = send(
        admin
            .client
            .get(admin.url("/ghost/api/admin/users/me/"))
            .header("Cookie", &cookie)
            .header("Origin", &admin.server.url),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["users"][0]["email"], OWNER_EMAIL);

    let page = admin.get("/admin/posts/", Some(&cookie)).await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    let csrf = hidden_csrf(&page.text().await.unwrap());
    let logout = |token: String| {
        admin
            .client
            .post(admin.url("/admin/logout/"))
            .header("Cookie", &cookie)
            .form(&[("csrf", token)])
            .send()
    };
    assert_eq!(logout(String::new()).await.unwrap().status(), 403);
    let res = logout(csrf).await.unwrap();
    assert_eq!(location(&res), "/admin/login/");
    assert!(set_cookie_header(&res, "ghost-admin-api-session").contains("Max-Age=0"));
    let res = admin.get("/admin/posts/", Some(&cookie)).await;
    assert_eq!(res.status(), 303, "the session is over");
}

async fn forms_and_calls_without_the_csrf_token_are_refused(db: TestDb) {
    let admin = Admin::new(&db).await;
    let desk = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let other = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    assert_ne!(desk.csrf, other.csrf, "each session has its own token");
    let story = json!({ "posts": [{ "title": "Budget vote", "markdown": "Text." }] });

    for token in [None, Some(""), Some(other.csrf.as_str())] {
        let mut req = admin
            .client
            .post(admin.url("/admin/api/posts/"))
            .header("Cookie", &desk.cookie)
            .header("Origin", &admin.server.url)
            .json(&story);
        if let Some(token) = token {
            req = req.header("X-CSRF-Token", token);
        }
        let (status, body) = send(req).await;
        assert_eq!(status, 403, "{token:?}: {body}");
        assert_eq!(error(&body)["type"], "NoPermissionError");
    }
    let (status, body) = send(
        admin
            .call(Method::POST, "/admin/api/posts/", &desk)
            .json(&story),
    )
    .await;
    assert_eq!(status, 201, "{body}");

    // The login form needs the token of its own page too.
    let (cookie, _) = admin.form("/admin/login/").await;
    let res = admin
        .client
        .post(admin.url("/admin/login/"))
        .header("Cookie", cookie)
        .form(&[
            ("csrf", "forged"),
            ("email", OWNER_EMAIL),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(set_cookie(&res, "ghost-admin-api-session").is_none());
}

async fn wrong_passwords_are_rate_limited_on_both_doors(db: TestDb) {
    let admin = Admin::new(&db).await;
    for _ in 0..ACCOUNT_LIMIT {
        assert_eq!(admin.login(OWNER_EMAIL, "guess").await.status(), 401);
    }
    // Now even the right password waits: the answer must not tell a guesser they were right.
    let res = admin.login(OWNER_EMAIL, PASSWORD).await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 15 * 60, "{wait}");
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Too many sign-in attempts")
    );

    let (status, body) = send(
        admin
            .client
            .post(admin.url("/ghost/api/admin/session/"))
            .header("Origin", &admin.server.url)
            .json(&json!({ "username": OWNER_EMAIL.to_uppercase(), "password": PASSWORD })),
    )
    .await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(error(&body)["type"], "TooManyRequestsError");
    let res = admin
        .client
        .post(admin.url("/ghost/api/admin/session/"))
        .header("Origin", &admin.server.url)
        .json(&json!({ "username": OWNER_EMAIL, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert!(res.headers().contains_key("retry-after"));

    // Another account from the same address still signs in.
    let editor = add_staff(&admin.app, "Sam Editor", dateline_core::role::Role::Editor).await;
    assert_eq!(admin.login(&editor.email, PASSWORD).await.status(), 303);
}

async fn one_address_is_limited_across_accounts(db: TestDb) {
    let admin = Admin::new(&db).await;
    let editor = add_staff(&admin.app, "Sam Editor", dateline_core::role::Role::Editor).await;
    for i in 0..ADDRESS_LIMIT {
        let (status, _) = send(
            admin
                .client
                .post(admin.url("/ghost/api/admin/session/"))
                .header("Origin", &admin.server.url)
                .json(&json!({ "username": format!("nobody{i}@example.com"), "password": "x" })),
        )
        .await;
        assert_eq!(status, 401);
    }
    let res = admin.login(&editor.email, PASSWORD).await;
    assert_eq!(res.status(), 429, "the address has spent its budget");
    assert!(res.headers().contains_key("retry-after"));
}

async fn ghost_admin_addresses_lead_to_the_admin(db: TestDb) {
    let admin = Admin::new(&db).await;
    for path in ["/ghost", "/ghost/", "/ghost/#/posts", "/ghost/signin/"] {
        let res = admin.get(path, None).await;
        assert_eq!(res.status(), 308, "{path}");
        assert_eq!(location(&res), "/admin/", "{path}");
    }
    let res = admin.get("/admin/", None).await;
    assert_eq!(location(&res), "/admin/posts/");
    let res = admin.get("/ghost/api/admin/nothing/", None).await;
    assert_eq!(res.status(), 404, "the APIs are not redirected");
    let res = admin.get("/ghost/api/nothing/", None).await;
    assert_eq!(res.status(), 404);
}

async fn https_sites_get_a_secure_session_cookie(db: TestDb) {
    let app = db.app().await;
    crate::admin_api::add_owner(&app).await;
    let server = dateline_testkit::TestServer::start_as(app, Some("https://news.example")).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client
        .get(format!("{}/admin/login/", server.url))
        .send()
        .await
        .unwrap();
    let pre = set_cookie_header(&page, "dateline-admin-csrf");
    assert!(
        pre.contains("Secure") && pre.contains("SameSite=Strict"),
        "{pre}"
    );
    let cookie = pre.split(';').next().unwrap().to_owned();
    let csrf = hidden_csrf(&page.text().await.unwrap());
    let login = |origin: &'static str| {
        client
            .post(format!("{}/admin/login/", server.url))
            .header("Cookie", &cookie)
            .header("Origin", origin)
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", OWNER_EMAIL),
                ("password", PASSWORD),
            ])
            .send()
    };
    let res = login("https://evil.example").await.unwrap();
    assert_eq!(res.status(), 400, "a form posted from another site");
    let res = login("https://news.example").await.unwrap();
    assert_eq!(res.status(), 303);
    let session = set_cookie_header(&res, "ghost-admin-api-session");
    assert!(session.contains("; Secure"), "{session}");
}
