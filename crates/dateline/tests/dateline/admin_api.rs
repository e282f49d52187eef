//! The Admin API: both ways in (admin-key JWTs and staff sessions), the resources, and Ghost's
//! permissions by role.

mod auth;
mod emails;
mod formats;
mod images;
mod labels;
mod listed_sources;
mod members;
mod newsletters;
mod offers;
mod permissions;
mod posts;
mod session;
mod settings;
mod tags;
mod users;
mod webhooks;

use dateline_app::App;
use dateline_app::setup::OwnerInput;
use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_core::user::User;
use dateline_testkit::{TestDb, TestServer, ghost_export};
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};

pub const OWNER_EMAIL: &str = "desk@example.com";
pub const PASSWORD: &str = "a long enough password";

/// Makes the owner every test site has (`OWNER_EMAIL`, `PASSWORD`), as first-run setup does.
pub async fn add_owner(app: &App) -> User {
    app.create_owner(OwnerInput {
        site_title: "The New Region",
        name: "Editorial Desk",
        email: OWNER_EMAIL,
        password: PASSWORD,
    })
    .await
    .unwrap()
}

/// A served site with an owner and an integration, and the integration's admin key.
pub struct Site {
    pub app: App,
    pub server: TestServer,
    pub key_id: ObjectId,
    pub secret: String,
}

impl Site {
    /// A fresh site: just the owner.
    pub async fn new(db: &TestDb) -> Site {
        Site::on(db.app().await).await
    }

    /// A fresh site (just the owner) on `app`, e.g. one mailing through a test SMTP server.
    pub async fn on(app: App) -> Site {
        add_owner(&app).await;
        Site::serve(app).await
    }

    /// The shared Ghost fixture imported (owner `editor@example.com`, author `thenewregion@…`).
    pub async fn imported(db: &TestDb) -> Site {
        let app = db.app().await;
        app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();
        Site::serve(app).await
    }

    /// A node serving `app` with an integration key of its own, e.g. a second node on a
    /// database another `Site` serves.
    pub async fn serve(app: App) -> Site {
        let keys = app.create_integration("Tests").await.unwrap();
        let (id, secret) = keys.admin_api_key.split_once(':').unwrap();
        let server = TestServer::start(app.clone()).await;
        Site {
            app,
            server,
            key_id: ObjectId::parse(id).unwrap(),
            secret: secret.to_owned(),
        }
    }

    /// A token as `@tryghost/admin-api` makes it: issued now, valid for five minutes.
    pub fn token(&self) -> String {
        let now = jiff::Timestamp::now().as_second();
        self.token_with(&json!({ "iat": now, "exp": now + 300, "aud": "/admin/" }))
    }

    pub fn token_with(&self, claims: &Value) -> String {
        dateline_app::api_keys::sign_token(&self.key_id, &self.secret, claims).unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/ghost/api/admin{path}", self.server.url)
    }

    /// A request authenticated with the integration's key.
    pub fn key(&self, method: Method, path: &str) -> RequestBuilder {
        self.server
            .client
            .request(method, self.url(path))
            .header("Authorization", format!("Ghost {}", self.token()))
    }

    /// A request authenticated with a session cookie, from the site's own origin.
    pub fn session(&self, method: Method, path: &str, cookie: &str) -> RequestBuilder {
        self.server
            .client
            .request(method, self.url(path))
            .header("Cookie", cookie)
            .header("Origin", &self.server.url)
    }

    /// Signs in and returns the `Cookie` header value to send back.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let res = self
            .server
            .client
            .post(self.url("/session/"))
            .header("Origin", &self.server.url)
            .json(&json!({ "username": email, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "sign in as {email}");
        let set = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        set.split(';').next().unwrap().to_owned()
    }

    /// A staff member with `role`, signed in; returns the user and their cookie.
    pub async fn staff(&self, name: &str, role: Role) -> (User, String) {
        let user = add_staff(&self.app, name, role).await;
        let cookie = self.sign_in(&user.email, PASSWORD).await;
        (user, cookie)
    }
}

/// Adds a staff user straight to the store (user management is not part of this API yet).
pub async fn add_staff(app: &App, name: &str, role: Role) -> User {
    let now = dateline_core::time::now();
    let slug = dateline_core::slug::slugify(name);
    let user = User::new_account(
        name,
        slug.clone(),
        format!("{slug}@example.com"),
        dateline_app::password::hash(PASSWORD).unwrap(),
        role,
        now,
    );
    let mut tx = app.store.begin().await.unwrap();
    dateline_store::users::insert(&mut tx, &user).await.unwrap();
    tx.commit().await.unwrap();
    user
}

/// Sends and returns status and JSON (`null` for an empty body).
pub async fn send(req: RequestBuilder) -> (u16, Value) {
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

/// The first error of a Ghost error envelope.
pub fn error(body: &Value) -> &Value {
    &body["errors"][0]
}
