//! Webhooks: the Admin API endpoints, Ghost's events and payloads delivered to a real HTTP
//! receiver with Ghost's signature, retries with backoff, the delivery log, and a delivery
//! queued before a crash sent exactly once.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use dateline_app::App;
use dateline_app::mailing::MailSetup;
use dateline_app::webhooks::WebhookOptions;
use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_http::admin_api::webhooks::setup;
use dateline_testkit::{SmtpSink, TestDb, backend_tests};
use hmac::{Hmac, KeyInit, Mac};
use jiff::SignedDuration;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::{OWNER_EMAIL, Site, error, send};

backend_tests!(
    each_event_is_delivered_once_with_ghosts_payload_and_signature,
    member_events_follow_the_members_admin_api,
    a_scheduled_post_going_live_is_published,
    a_receiver_answering_gone_deletes_its_webhook,
    a_failing_receiver_is_retried_with_backoff_and_logged,
    an_unreachable_target_fails_after_the_retry_limit,
    webhooks_are_validated_and_permitted_as_in_ghost,
    a_delivery_queued_before_a_crash_is_delivered_once,
    payload_urls_follow_the_sites_routes,
);

const SECRET: &str = "s3cret-for-signing";

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    path: String,
    headers: HeaderMap,
    body: String,
    at: Instant,
}

impl Hit {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

#[derive(Clone, Default)]
struct Script {
    hits: Arc<Mutex<Vec<Hit>>>,
    /// Statuses to answer with, in order; 200 once they run out.
    answers: Arc<Mutex<Vec<u16>>>,
}

/// A real HTTP server on a free port that records every request.
struct Receiver {
    url: String,
    script: Script,
    _stop: oneshot::Sender<()>,
}

impl Receiver {
    async fn start(answers: &[u16]) -> Receiver {
        let script = Script {
            answers: Arc::new(Mutex::new(answers.to_vec())),
            ..Script::default()
        };
        let router = axum::Router::new()
            .fallback(record)
            .with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        Receiver {
            url,
            script,
            _stop: stop,
        }
    }

    fn hits(&self) -> Vec<Hit> {
        self.script.hits.lock().unwrap().clone()
    }

    /// Waits until `n` requests came, then a little longer to catch any extra one.
    async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Hit> {
        let start = Instant::now();
        while self.hits().len() < n && start.elapsed() < timeout {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(700)).await;
        self.hits()
    }
}

async fn record(
    State(script): State<Script>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    script.hits.lock().unwrap().push(Hit {
        path: uri.path().to_owned(),
        headers,
        body: String::from_utf8(body.to_vec()).unwrap(),
        at: Instant::now(),
    });
    let mut answers = script.answers.lock().unwrap();
    let status = if answers.is_empty() {
        200
    } else {
        answers.remove(0)
    };
    StatusCode::from_u16(status).unwrap()
}

fn fast(max_attempts: i64) -> WebhookOptions {
    WebhookOptions {
        timeout: Duration::from_secs(2),
        retry_base: SignedDuration::from_secs(1),
        max_attempts,
        idle_poll: Duration::from_millis(100),
        ..WebhookOptions::default()
    }
}

/// A served site whose app queues webhooks (`options`), with an owner and an integration.
async fn hooked_site(db: &TestDb, options: WebhookOptions, mail: Option<MailSetup>) -> Site {
    let mut app = db.app().await.with_webhooks(setup(options));
    if let Some(mail) = mail {
        app = app.with_mail(mail);
    }
    Site::on(app).await
}

/// Runs the delivery worker of `app` for `site_url` until the sender is dropped.
fn worker(app: &App, site_url: &str) -> oneshot::Sender<()> {
    let (stop, stopped) = oneshot::channel::<()>();
    let app = app.clone();
    let url = site_url.to_owned();
    tokio::spawn(async move {
        app.run_webhook_worker(url, async move {
            let _ = stopped.await;
        })
        .await;
    });
    stop
}

async fn add_hook(site: &Site, event: &str, url: &str, secret: Option<&str>) -> String {
    let (status, body) = send(site.key(Method::POST, "/webhooks/").json(&json!({
        "webhooks": [{ "event": event, "target_url": url, "name": format!("{event} hook"), "secret": secret }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    body["webhooks"][0]["id"].as_str().unwrap().to_owned()
}

/// Recomputes Ghost's signature: HMAC-SHA256 of the body followed by the timestamp.
fn check_signature(hit: &Hit) {
    let header = hit.headers["x-ghost-signature"].to_str().unwrap();
    let (sig, ts) = header.split_once(", t=").unwrap();
    let sig = sig.strip_prefix("sha256=").unwrap();
    let ts: i64 = ts.parse().unwrap();
    let now = jiff::Timestamp::now().as_millisecond();
    assert!(
        (now - 60_000..=now).contains(&ts),
        "t is the send time in ms: {ts}"
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{}{ts}", hit.body).as_bytes());
    assert_eq!(
        sig,
        hex::encode(mac.finalize().into_bytes()),
        "{}",
        hit.path
    );
}

async fn each_event_is_delivered_once_with_ghosts_payload_and_signature(db: TestDb) {
    let sink = SmtpSink::start().await;
    let site = hooked_site(&db, fast(3), Some(MailSetup::smtp(&sink.url()).unwrap())).await;
    let receiver = Receiver::start(&[]).await;
    let _worker = worker(&site.app, &site.server.url);
    for event in [
        "post.added",
        "post.published",
        "post.published.edited",
        "post.deleted",
        "tag.added",
        "member.added",
        "site.changed",
    ] {
        add_hook(
            &site,
            event,
            &format!("{}/{event}", receiver.url),
            Some(SECRET),
        )
        .await;
    }
    // Without a secret, no signature.
    add_hook(
        &site,
        "tag.added",
        &format!("{}/unsigned", receiver.url),
        None,
    )
    .await;

    let (status, body) = send(site.key(Method::POST, "/posts/?source=html").json(&json!({
        "posts": [{ "title": "Dam opens", "html": "<p>Water flows.</p>", "status": "published",
                    "tags": [{ "name": "Energy" }] }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    let post = &body["posts"][0];
    let id = post["id"].as_str().unwrap();
    let (status, body) = send(
        site.key(Method::PUT, &format!("/posts/{id}/"))
            .json(&json!({
                "posts": [{ "title": "Dam opens early", "updated_at": post["updated_at"] }]
            })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = send(site.key(Method::DELETE, &format!("/posts/{id}/"))).await;
    assert_eq!(status, 204);
    let (status, body) = send(site.key(Method::PUT, "/settings/").json(&json!({
        "settings": [{ "key": "title", "value": "The Newer Region" }]
    })))
    .await;
    assert_eq!(status, 200, "{body}");
    // A reader signs up and opens the link: a member is added.
    let res = site
        .server
        .client
        .post(format!("{}/members/api/send-magic-link/", site.server.url))
        .json(&json!({ "email": "reader@example.com", "emailType": "signup" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let mail = sink.wait_for(1, Duration::from_secs(10)).await;
    let link = mail[0].link_containing("/members/?token=").unwrap();
    let opener = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    assert_eq!(opener.get(&link).send().await.unwrap().status(), 303);

    // post.added, post.published, post.published.edited, post.deleted, tag.added twice (the
    // post's new tag), member.added, and site.changed for each change to the public site: the
    // publish, the edit, the delete and the settings (as Ghost sends it to static-site builders).
    let hits = receiver.wait_for(11, Duration::from_secs(15)).await;
    let mut paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/member.added",
            "/post.added",
            "/post.deleted",
            "/post.published",
            "/post.published.edited",
            "/site.changed",
            "/site.changed",
            "/site.changed",
            "/site.changed",
            "/tag.added",
            "/unsigned",
        ],
        "each event once"
    );
    let hit = |path: &str| hits.iter().find(|h| h.path == path).unwrap();
    for h in hits.iter().filter(|h| h.path != "/unsigned") {
        check_signature(h);
        assert_eq!(h.headers["content-type"], "application/json");
        assert!(
            h.headers["user-agent"]
                .to_str()
                .unwrap()
                .starts_with("Dateline/"),
            "{:?}",
            h.headers["user-agent"]
        );
    }
    assert!(!hit("/unsigned").headers.contains_key("x-ghost-signature"));

    let published = hit("/post.published").json();
    let current = &published["post"]["current"];
    assert_eq!(current["id"], id);
    assert_eq!(current["title"], "Dam opens");
    assert_eq!(current["status"], "published");
    assert_eq!(current["html"], "<p>Water flows.</p>");
    assert_eq!(current["plaintext"], "Water flows.");
    assert_eq!(current["tags"][0]["name"], "Energy");
    assert_eq!(current["authors"][0]["email"], OWNER_EMAIL);
    assert_eq!(current["url"], format!("{}/dam-opens/", site.server.url));
    assert_eq!(published["post"]["previous"], json!({}));
    assert_eq!(hit("/post.added").body, hit("/post.published").body);

    let edited = hit("/post.published.edited").json();
    assert_eq!(edited["post"]["current"]["title"], "Dam opens early");
    let previous = edited["post"]["previous"].as_object().unwrap();
    assert_eq!(previous["title"], "Dam opens");
    // Only what changed (`updated_at` too when the edit fell in another second).
    assert!(
        previous.keys().all(|k| k == "title" || k == "updated_at"),
        "{previous:?}"
    );

    let deleted = hit("/post.deleted").json();
    assert_eq!(deleted["post"]["current"], json!({}));
    assert_eq!(deleted["post"]["previous"]["title"], "Dam opens early");

    let tag = hit("/tag.added").json();
    assert_eq!(tag["tag"]["current"]["slug"], "energy");
    assert_eq!(
        tag["tag"]["current"]["url"],
        format!("{}/tag/energy/", site.server.url)
    );
    let member = hit("/member.added").json();
    assert_eq!(member["member"]["current"]["email"], "reader@example.com");
    assert_eq!(member["member"]["previous"], json!({}));
    assert_eq!(hit("/site.changed").json(), json!({}));
}

async fn member_events_follow_the_members_admin_api(db: TestDb) {
    let site = hooked_site(&db, fast(3), None).await;
    let receiver = Receiver::start(&[]).await;
    let _worker = worker(&site.app, &site.server.url);
    for event in ["member.added", "member.edited", "member.deleted"] {
        add_hook(
            &site,
            event,
            &format!("{}/{event}", receiver.url),
            Some(SECRET),
        )
        .await;
    }
    let (status, body) = send(site.key(Method::POST, "/members/").json(&json!({
        "members": [{ "email": "ana@example.com", "name": "Ana", "labels": ["vip"] }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    let api_member = body["members"][0].clone();
    let id = api_member["id"].as_str().unwrap().to_owned();
    let (status, body) = send(
        site.key(Method::PUT, &format!("/members/{id}/"))
            .json(&json!({ "members": [{ "name": "Ana Lima" }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = send(site.key(Method::DELETE, &format!("/members/{id}/"))).await;
    assert_eq!(status, 204);

    let hits = receiver.wait_for(3, Duration::from_secs(15)).await;
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/member.added", "/member.edited", "/member.deleted"],
        "in order, once each"
    );
    hits.iter().for_each(check_signature);
    let added = hits[0].json();
    assert_eq!(added["member"]["current"]["email"], "ana@example.com");
    assert_eq!(added["member"]["current"]["labels"][0]["name"], "vip");
    assert_eq!(added["member"]["current"]["subscribed"], true);
    assert_eq!(added["member"]["previous"], json!({}));
    // The payload is the Admin API's member, field for field, with the same signed
    // one-click unsubscribe link.
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&added["member"]["current"]), keys(&api_member));
    let unsubscribe = added["member"]["current"]["unsubscribe_url"]
        .as_str()
        .unwrap();
    assert_eq!(unsubscribe, api_member["unsubscribe_url"], "{api_member}");
    assert!(
        unsubscribe.starts_with(&format!(
            "{}/unsubscribe/newsletters/?uuid=",
            site.server.url
        )),
        "{unsubscribe}"
    );
    let edited = hits[1].json();
    assert_eq!(edited["member"]["current"]["name"], "Ana Lima");
    assert_eq!(edited["member"]["previous"]["name"], "Ana");
    assert!(edited["member"]["previous"].get("email").is_none());
    let deleted = hits[2].json();
    assert_eq!(deleted["member"]["current"], json!({}));
    assert_eq!(deleted["member"]["previous"]["name"], "Ana Lima");
    assert_eq!(
        deleted["member"]["previous"]["unsubscribe_url"],
        unsubscribe
    );
}

async fn a_scheduled_post_going_live_is_published(db: TestDb) {
    let site = hooked_site(&db, fast(3), None).await;
    let receiver = Receiver::start(&[]).await;
    let _worker = worker(&site.app, &site.server.url);
    for event in ["post.scheduled", "post.published", "post.unscheduled"] {
        add_hook(
            &site,
            event,
            &format!("{}/{event}", receiver.url),
            Some(SECRET),
        )
        .await;
    }
    let at = jiff::Timestamp::now() + SignedDuration::from_hours(1);
    let (status, body) = send(site.key(Method::POST, "/posts/").json(&json!({
        "posts": [{ "title": "Budget vote", "status": "scheduled",
                    "published_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string() }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    // The scheduler's pass when the time has come.
    let published = site
        .app
        .publish_due(at + SignedDuration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(published.len(), 1);

    let hits = receiver.wait_for(2, Duration::from_secs(15)).await;
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths, ["/post.scheduled", "/post.published"]);
    let live = hits[1].json();
    assert_eq!(live["post"]["current"]["status"], "published");
    assert_eq!(live["post"]["previous"]["status"], "scheduled");
}

async fn a_receiver_answering_gone_deletes_its_webhook(db: TestDb) {
    let site = hooked_site(&db, fast(5), None).await;
    let receiver = Receiver::start(&[410]).await;
    let _worker = worker(&site.app, &site.server.url);
    let hook = add_hook(&site, "tag.added", &receiver.url, None).await;
    let (status, _) = send(
        site.key(Method::POST, "/tags/")
            .json(&json!({ "tags": [{ "name": "Gone" }] })),
    )
    .await;
    assert_eq!(status, 201);
    let hits = receiver.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(hits.len(), 1, "not retried");
    let (status, body) =
        send(site.key(Method::GET, &format!("/webhooks/{hook}/deliveries/"))).await;
    assert_eq!(status, 404, "{body}");
}

async fn a_failing_receiver_is_retried_with_backoff_and_logged(db: TestDb) {
    let site = hooked_site(&db, fast(5), None).await;
    let receiver = Receiver::start(&[500, 500]).await;
    let _worker = worker(&site.app, &site.server.url);
    let hook = add_hook(&site, "tag.added", &receiver.url, Some(SECRET)).await;
    let (status, _) = send(
        site.key(Method::POST, "/tags/")
            .json(&json!({ "tags": [{ "name": "Courts" }] })),
    )
    .await;
    assert_eq!(status, 201);

    let hits = receiver.wait_for(3, Duration::from_secs(20)).await;
    assert_eq!(hits.len(), 3, "two failures and a success");
    assert!(
        hits.iter().all(|h| h.body == hits[0].body),
        "the same payload each time"
    );
    // Backoff: 1 s after the first failure, 2 s after the second (stored at whole seconds).
    assert!(hits[2].at - hits[1].at > hits[1].at - hits[0].at);

    let (status, log) = send(site.key(Method::GET, &format!("/webhooks/{hook}/deliveries/"))).await;
    assert_eq!(status, 200, "{log}");
    assert_eq!(log["meta"]["pagination"]["total"], 1);
    let delivery = &log["deliveries"][0];
    assert_eq!(delivery["event"], "tag.added");
    assert_eq!(delivery["status"], "delivered");
    assert_eq!(delivery["response_status"], 200);
    assert_eq!(delivery["payload"]["tag"]["current"]["name"], "Courts");
    let attempts = delivery["attempts"].as_array().unwrap();
    let statuses: Vec<&Value> = attempts.iter().map(|a| &a["response_status"]).collect();
    assert_eq!(statuses, [&json!(500), &json!(500), &json!(200)]);
    assert_eq!(
        attempts[0]["error"],
        "Request failed: HTTP 500 Internal Server Error"
    );
    let at = |i: usize| {
        attempts[i]["started_at"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap()
    };
    assert!(
        at(1) - SignedDuration::from_secs(1) >= at(0),
        "{attempts:?}"
    );
    assert!(
        at(2) - SignedDuration::from_secs(2) >= at(1),
        "{attempts:?}"
    );

    // The webhook remembers its last delivery, as Ghost's `last_triggered_*`.
    let (_, body) = send(
        site.key(Method::PUT, &format!("/webhooks/{hook}/"))
            .json(&json!({ "webhooks": [{ "name": "Courts feed" }] })),
    )
    .await;
    let webhook = &body["webhooks"][0];
    assert_eq!(webhook["name"], "Courts feed");
    assert_eq!(webhook["last_triggered_status"], "200");
    assert_eq!(webhook["last_triggered_error"], Value::Null);
    assert!(webhook["last_triggered_at"].is_string());
}

async fn an_unreachable_target_fails_after_the_retry_limit(db: TestDb) {
    let site = hooked_site(&db, fast(3), None).await;
    // A port nobody listens on.
    let closed = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let _worker = worker(&site.app, &site.server.url);
    let hook = add_hook(&site, "tag.added", &format!("http://{closed}/hook"), None).await;
    let (status, _) = send(
        site.key(Method::POST, "/tags/")
            .json(&json!({ "tags": [{ "name": "Weather" }] })),
    )
    .await;
    assert_eq!(status, 201);

    let start = Instant::now();
    let delivery = loop {
        let (_, log) = send(site.key(Method::GET, &format!("/webhooks/{hook}/deliveries/"))).await;
        let delivery = log["deliveries"][0].clone();
        if delivery["status"] != "queued" || start.elapsed() > Duration::from_secs(20) {
            break delivery;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(delivery["status"], "failed", "{delivery}");
    let attempts = delivery["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3, "{delivery}");
    for attempt in attempts {
        assert_eq!(attempt["response_status"], Value::Null);
        assert!(
            attempt["error"]
                .as_str()
                .unwrap()
                .starts_with("Request failed: "),
            "{attempt}"
        );
    }
    assert_eq!(delivery["next_attempt_at"], Value::Null);
    // Given up: nothing more happens.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (_, log) = send(site.key(Method::GET, &format!("/webhooks/{hook}/deliveries/"))).await;
    assert_eq!(
        log["deliveries"][0]["attempts"].as_array().unwrap().len(),
        3
    );
}

async fn webhooks_are_validated_and_permitted_as_in_ghost(db: TestDb) {
    let site = hooked_site(&db, fast(3), None).await;
    let add = |body: Value| site.key(Method::POST, "/webhooks/").json(&body);

    for (hook, field) in [
        (
            json!({ "event": "post.exploded", "target_url": "https://hooks.example/x" }),
            "event",
        ),
        (
            json!({ "event": "post.added", "target_url": "not a url" }),
            "target_url",
        ),
        (
            json!({ "event": "post.added", "target_url": "ftp://hooks.example/x" }),
            "target_url",
        ),
        (json!({ "event": "post.added" }), "target_url"),
        (json!({ "target_url": "https://hooks.example/x" }), "event"),
        (
            json!({ "event": 7, "target_url": "https://hooks.example/x" }),
            "event",
        ),
    ] {
        let (status, body) = send(add(json!({ "webhooks": [hook] }))).await;
        assert_eq!(status, 422, "{hook}: {body}");
        assert_eq!(error(&body)["type"], "ValidationError");
        assert!(body.to_string().contains(field), "{hook}: {body}");
    }
    let (status, body) = send(add(json!({ "nothing": [] }))).await;
    assert_eq!(status, 422, "{body}");

    // An integration's key: the webhook is the integration's.
    let (status, body) = send(add(json!({ "webhooks": [{
        "event": "Post.Added", "target_url": "https://hooks.example/a", "secret": "x"
    }] })))
    .await;
    assert_eq!(status, 201, "{body}");
    let hook = &body["webhooks"][0];
    assert_eq!(hook["event"], "post.added");
    assert_eq!(hook["integration_id"], {
        let mut db = site.app.store.reader().await.unwrap();
        let key = dateline_store::integrations::key_by_id(&mut db, site.key_id.as_str())
            .await
            .unwrap()
            .unwrap();
        json!(key.integration_id)
    });
    assert_eq!(hook["api_version"], "v5");
    assert_eq!(hook["last_triggered_at"], Value::Null);
    let id = hook["id"].as_str().unwrap().to_owned();
    let integration_id = hook["integration_id"].as_str().unwrap().to_owned();
    // The same event and URL again is refused, as in Ghost.
    let (status, body) = send(add(json!({ "webhooks": [{
        "event": "post.added", "target_url": "https://hooks.example/a"
    }] })))
    .await;
    assert_eq!(status, 422, "{body}");

    // Staff sessions: an administrator must name the integration; editors may not.
    let (_, admin) = site.staff("Ada Admin", Role::Administrator).await;
    let (status, body) = send(site.session(Method::POST, "/webhooks/", &admin).json(
        &json!({ "webhooks": [{ "event": "tag.added", "target_url": "https://hooks.example/t" }] }),
    ))
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        error(&body)["message"]
            .as_str()
            .unwrap()
            .contains("integration_id")
    );
    let (status, body) = send(
        site.session(Method::POST, "/webhooks/", &admin)
            .json(&json!({
                "webhooks": [{ "event": "tag.added", "target_url": "https://hooks.example/t",
                               "integration_id": integration_id }]
            })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = send(
        site.session(Method::POST, "/webhooks/", &admin)
            .json(&json!({
                "webhooks": [{ "event": "tag.added", "target_url": "https://hooks.example/u",
                               "integration_id": "0123456789abcdef01234567" }]
            })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    for role in [Role::Editor, Role::Contributor] {
        let (_, cookie) = site.staff(&format!("{role} Person"), role).await;
        let (status, body) = send(
            site.session(Method::POST, "/webhooks/", &cookie)
                .json(&json!({
                    "webhooks": [{ "event": "tag.added", "target_url": "https://hooks.example/e",
                                   "integration_id": integration_id }]
                })),
        )
        .await;
        assert_eq!(status, 403, "{role}: {body}");
        assert_eq!(error(&body)["type"], "NoPermissionError");
        let (status, _) =
            send(site.session(Method::DELETE, &format!("/webhooks/{id}/"), &cookie)).await;
        assert_eq!(status, 403, "{role}");
    }

    // Another integration may not touch this one's webhook.
    let other = site.app.create_integration("Other").await.unwrap();
    let (other_id, other_secret) = other.admin_api_key.split_once(':').unwrap();
    let now = jiff::Timestamp::now().as_second();
    let token = dateline_app::api_keys::sign_token(
        &ObjectId::parse(other_id).unwrap(),
        other_secret,
        &json!({ "iat": now, "exp": now + 300, "aud": "/admin/" }),
    )
    .unwrap();
    let (status, body) = send(
        site.server
            .client
            .put(site.url(&format!("/webhooks/{id}/")))
            .header("Authorization", format!("Ghost {token}"))
            .json(&json!({ "webhooks": [{ "name": "mine now" }] })),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error(&body)["type"], "NoPermissionError");

    // Edits are validated too; then the owner deletes it.
    let (status, body) = send(
        site.key(Method::PUT, &format!("/webhooks/{id}/"))
            .json(&json!({ "webhooks": [{ "target_url": "javascript:alert(1)" }] })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = send(
        site.key(Method::PUT, &format!("/webhooks/{id}/"))
            .json(&json!({ "webhooks": [{ "event": "post.published", "secret": null }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["webhooks"][0]["event"], "post.published");
    assert_eq!(body["webhooks"][0]["secret"], Value::Null);
    assert_eq!(body["webhooks"][0]["target_url"], "https://hooks.example/a");
    let (status, _) = send(site.key(Method::DELETE, &format!("/webhooks/{id}/"))).await;
    assert_eq!(status, 204);
    let (status, body) = send(site.key(Method::DELETE, &format!("/webhooks/{id}/"))).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(error(&body)["type"], "NotFoundError");
    let (status, _) = send(site.key(Method::GET, &format!("/webhooks/{id}/deliveries/"))).await;
    assert_eq!(status, 404);
}

async fn a_delivery_queued_before_a_crash_is_delivered_once(db: TestDb) {
    let receiver = Receiver::start(&[]).await;
    let site_url = {
        // No worker runs: the delivery is queued with the change, and the node then "crashes".
        let site = hooked_site(&db, fast(3), None).await;
        add_hook(&site, "tag.added", &receiver.url, Some(SECRET)).await;
        let (status, _) = send(
            site.key(Method::POST, "/tags/")
                .json(&json!({ "tags": [{ "name": "Elections" }] })),
        )
        .await;
        assert_eq!(status, 201);
        site.server.url.clone()
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(receiver.hits().is_empty());

    // Two nodes come up on the same database; the delivery goes out once.
    let nodes: Vec<App> = vec![
        db.app().await.with_webhooks(setup(fast(3))),
        db.app().await.with_webhooks(setup(fast(3))),
    ];
    let _workers: Vec<_> = nodes.iter().map(|app| worker(app, &site_url)).collect();
    let hits = receiver.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(receiver.hits().len(), 1, "{hits:?}");
    check_signature(&hits[0]);
    assert_eq!(hits[0].json()["tag"]["current"]["name"], "Elections");
}

async fn payload_urls_follow_the_sites_routes(db: TestDb) {
    let site = hooked_site(&db, fast(3), None).await;
    let receiver = Receiver::start(&[]).await;
    let _worker = worker(&site.app, &site.server.url);
    for event in ["post.published", "tag.added"] {
        add_hook(&site, event, &format!("{}/{event}", receiver.url), None).await;
    }
    site.app
        .upload_routes(
            "collections:\n  /:\n    permalink: /{year}/{month}/{slug}/\n    template: index\n\
             taxonomies:\n  tag: /topic/{slug}/\n  author: /author/{slug}/\n",
        )
        .await
        .unwrap();
    let (status, body) = send(site.key(Method::POST, "/posts/?source=html").json(&json!({
        "posts": [{ "title": "Dam opens", "html": "<p>Water flows.</p>", "status": "published",
                    "published_at": "2026-03-05T10:00:00.000Z", "tags": [{ "name": "Energy" }] }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    let api_url = body["posts"][0]["url"].as_str().unwrap().to_owned();

    let hits = receiver.wait_for(2, Duration::from_secs(15)).await;
    let hit = |path: &str| {
        hits.iter()
            .find(|h| h.path == path)
            .unwrap_or_else(|| panic!("{path} in {hits:?}"))
            .json()
    };
    let published = hit("/post.published");
    let url = &published["post"]["current"]["url"];
    assert_eq!(
        *url,
        format!("{}/2026/03/dam-opens/", site.server.url),
        "{published}"
    );
    assert_eq!(*url, api_url, "the Admin API says the same");
    assert_eq!(
        published["post"]["current"]["tags"][0]["url"],
        format!("{}/topic/energy/", site.server.url)
    );
    let tag = hit("/tag.added");
    assert_eq!(
        tag["tag"]["current"]["url"],
        format!("{}/topic/energy/", site.server.url)
    );
}
