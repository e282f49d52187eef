//! Test harness. Every test gets its own database: a SQLite file in a temporary folder, or a
//! fresh schema in the PostgreSQL named by `DATELINE_TEST_POSTGRES_URL` (dropped afterwards).
//! [`backend_tests!`] runs one test body on both; without the variable the PostgreSQL half says
//! it was skipped, and the test script says so loudly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod scripted_smtp;
mod smtp;

use std::path::Path;

pub use smtp::{Received, SinkTls, SmtpSink};

use dateline_app::App;
use dateline_http::AppState;
use dateline_store::Store;
use sqlx::Connection;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub const POSTGRES_ENV: &str = "DATELINE_TEST_POSTGRES_URL";

/// The Ghost 5.130 export shared by every developer (`../shared/fixtures`).
pub fn ghost_fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/ghost-5.130")
}

/// The site a real Ghost rendered that the tests compare Dateline with, page by page and
/// answer by answer: `DATELINE_GHOST_ORACLE` when set (a capture laid out as the shared
/// fixture, such as `scripts/ghost-capture` makes), otherwise the shared fixture.
pub fn ghost_oracle_dir() -> std::path::PathBuf {
    std::env::var_os("DATELINE_GHOST_ORACLE").map_or_else(ghost_fixture_dir, Into::into)
}

pub fn ghost_export() -> Vec<u8> {
    std::fs::read(ghost_fixture_dir().join("ghost-export.json")).expect("the shared Ghost fixture")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database of its own for one test, and a data folder beside it.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pub data_dir: TempDir,
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// `None` when the backend is PostgreSQL and no server is configured.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        let data_dir = tempfile::tempdir().expect("a temporary folder");
        match backend {
            Backend::Sqlite => Some(TestDb {
                backend,
                url: format!("sqlite:{}", data_dir.path().join("dateline.db").display()),
                data_dir,
                postgres: None,
            }),
            Backend::Postgres => {
                let base = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty())?;
                let schema = format!("t_{}", dateline_core::id::random_hex(8));
                let mut conn = sqlx::PgConnection::connect(&base)
                    .await
                    .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but unreachable: {e}"));
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(&mut conn)
                    .await
                    .expect("create a test schema");
                let sep = if base.contains('?') { '&' } else { '?' };
                let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
                Some(TestDb {
                    backend,
                    url,
                    data_dir,
                    postgres: Some((base, schema)),
                })
            }
        }
    }

    pub async fn app(&self) -> App {
        App::new(
            Store::connect(&self.url)
                .await
                .expect("connect to the test database"),
        )
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((base, schema)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside async; a short-lived runtime on its own thread drops the schema.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&base).await.ok()?;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                    .execute(&mut conn)
                    .await
                    .ok()
            })
        })
        .join();
    }
}

/// The HTTP app served in-process on a free loopback port.
pub struct TestServer {
    pub url: String,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    /// The data folder images are served from.
    pub media_dir: TempDir,
}

impl TestServer {
    pub async fn start(app: App) -> TestServer {
        Self::start_as(app, None).await
    }

    /// Serves with `public_url` as the site's address (absolute links use it), e.g. the
    /// `http://localhost:2368` of the Ghost fixtures, while listening on a free port.
    pub async fn start_as(app: App, public_url: Option<&str>) -> TestServer {
        let data_dir = tempfile::tempdir().expect("a temporary folder");
        Self::start_in(app, public_url, data_dir).await
    }

    /// Serves from `data_dir` (its `themes/`, its images), e.g. after installing a theme there.
    pub async fn start_in(app: App, public_url: Option<&str>, media_dir: TempDir) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("bound address"));
        let site_url = public_url.map_or_else(|| url.clone(), str::to_owned);
        let (stop, stopped) = oneshot::channel::<()>();
        let state = AppState::new(app, site_url, media_dir.path())
            .await
            .expect("the active theme loads");
        tokio::spawn(dateline_http::serve(listener, state, async move {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder().build().expect("an HTTP client");
        TestServer {
            url,
            client,
            stop: Some(stop),
            media_dir,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("the test server answers")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Runs each named `async fn(TestDb)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::TestDb::new($crate::Backend::Sqlite).await.unwrap();
                    super::$name(db).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    match $crate::TestDb::new($crate::Backend::Postgres).await {
                        Some(db) => super::$name(db).await,
                        None => eprintln!(
                            "SKIPPED on PostgreSQL: {} is not set", $crate::POSTGRES_ENV
                        ),
                    }
                }
            )+
        }
    };
}
