use dateline_testkit::{Backend, TestDb};

use crate::support::{ok, run, stderr};

#[tokio::test]
async fn every_command_has_help_and_the_binary_a_version() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let version = ok(&db, &["--version"]);
    assert_eq!(
        version.trim(),
        format!("dateline {}", env!("CARGO_PKG_VERSION"))
    );
    for command in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["setup", "--help"],
        vec!["integration", "--help"],
        vec!["integration", "create", "--help"],
        vec!["import", "--help"],
        vec!["export", "--help"],
        vec!["newsletter", "send", "--help"],
    ] {
        let out = ok(&db, &command);
        assert!(out.contains("Usage: dateline"), "{command:?}: {out}");
    }
    let help = ok(&db, &["serve", "--help"]);
    for setting in [
        "--data",
        "DATELINE_DATA",
        "--bind",
        "DATELINE_BIND",
        "--url",
        "DATELINE_URL",
        "--database-url",
        "DATELINE_DATABASE_URL",
        "--smtp-url",
        "DATELINE_SMTP_URL",
        "--smtp-ca-file",
        "DATELINE_SMTP_CA_FILE",
    ] {
        assert!(help.contains(setting), "serve --help mentions {setting}");
    }
    let unknown = run(&db, &["publish-everything"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("unrecognized subcommand"));
}
