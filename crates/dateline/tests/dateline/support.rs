//! Running the real binary against a test database.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

use dateline_testkit::TestDb;

/// The `dateline` binary, configured through the environment for `db`.
pub fn dateline(db: &TestDb) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dateline"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATELINE_DATA", db.data_dir.path())
        .env("DATELINE_DATABASE_URL", &db.url)
        .env("DATELINE_LOG", "warn");
    cmd
}

pub fn run(db: &TestDb, args: &[&str]) -> Output {
    dateline(db)
        .args(args)
        .output()
        .expect("the dateline binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs and asserts success, returning stdout.
pub fn ok(db: &TestDb, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "dateline {args:?} failed with {}:\n{}{}",
        out.status,
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// Writes the shared Ghost fixture (or any bytes) into the test's data folder.
pub fn write_file(db: &TestDb, name: &str, bytes: &[u8]) -> String {
    let path = db.data_dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

/// An export with the volatile `exported_on` removed, for comparing two exports.
pub fn export_json(db: &TestDb) -> serde_json::Value {
    let out = ok(db, &["export", "-"]);
    let mut value: serde_json::Value = serde_json::from_str(&out).unwrap();
    value["db"][0]["meta"]["exported_on"] = serde_json::Value::Null;
    for role in value["db"][0]["data"]["roles"].as_array_mut().unwrap() {
        role["created_at"] = serde_json::Value::Null;
        role["updated_at"] = serde_json::Value::Null;
    }
    value
}

/// A `dateline serve` process on a free port; killed when dropped.
pub struct Served {
    pub child: Child,
    pub url: String,
}

impl Served {
    pub fn start(db: &TestDb) -> Served {
        let child = dateline(db)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("dateline serve starts");
        Served::adopt(child)
    }

    /// Takes over a `serve` started with piped stdout, reading the URLs it prints.
    pub fn adopt(mut child: Child) -> Served {
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("serve prints its URL").unwrap();
        let url = first
            .strip_prefix("Dateline is serving ")
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .trim_end_matches('/')
            .to_owned();
        let admin = lines.next().expect("serve prints the admin URL").unwrap();
        assert_eq!(admin, format!("Admin: {url}/admin/"));
        Served { child, url }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        reqwest::get(format!("{}{path}", self.url)).await.unwrap()
    }

    /// Sends SIGTERM and waits; returns whether the process exited 0.
    pub fn terminate(mut self) -> bool {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        exit.success()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
