//! A real SMTP server for tests: `smtp_sink.py` (Python's aiosmtpd) on a free loopback port,
//! writing each message it accepts to a folder the test reads. It can be stopped and started
//! again on the same port, to play an SMTP server that is down for a while. It speaks plain
//! SMTP, or STARTTLS or TLS from the first byte with a certificate for 127.0.0.1 and
//! `localhost` from a CA made for it ([`SmtpSink::ca_file`], made with `openssl`), and may
//! require a login.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt_to: Vec<String>,
    pub headers: serde_json::Map<String, Value>,
    pub text: String,
    pub html: String,
    /// Whether the message came over TLS.
    pub tls: bool,
    /// Who signed in to send it.
    pub login: Option<String>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
    }

    /// The first `http…` URL in the plain-text part that contains `needle`.
    pub fn link_containing(&self, needle: &str) -> Option<String> {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(needle))
            .map(str::to_owned)
    }
}

/// How a sink protects its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkTls {
    /// Offers STARTTLS and refuses mail before it (`smtp://…?tls=required`).
    StartTls,
    /// TLS from the first byte (`smtps://…`).
    Implicit,
}

pub struct SmtpSink {
    pub port: u16,
    dir: TempDir,
    child: Option<Child>,
    tls: Option<SinkTls>,
    /// The one user and password it takes, when it requires a login.
    login: Option<(String, String)>,
}

impl SmtpSink {
    /// Starts a plain server (no TLS, no login) on a free port and waits until it answers.
    pub async fn start() -> SmtpSink {
        SmtpSink::start_with(None, None).await
    }

    /// Starts a server that speaks `tls` and, with `login`, takes mail only from that user
    /// and password.
    pub async fn start_tls(tls: SinkTls, login: Option<(&str, &str)>) -> SmtpSink {
        SmtpSink::start_with(Some(tls), login).await
    }

    /// Starts a plain server that takes mail only from `user` with `password` (a login in
    /// plain text, as to a relay on the same network).
    pub async fn start_plain_login(user: &str, password: &str) -> SmtpSink {
        SmtpSink::start_with(None, Some((user, password))).await
    }

    async fn start_with(tls: Option<SinkTls>, login: Option<(&str, &str)>) -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut sink = SmtpSink {
            port,
            dir: tempfile::tempdir().expect("a temporary folder"),
            child: None,
            tls,
            login: login.map(|(u, p)| (u.to_owned(), p.to_owned())),
        };
        if tls.is_some() {
            make_certificates(&sink.certs());
        }
        sink.resume().await;
        sink
    }

    /// The URL Dateline is given (`--smtp-url`): plain SMTP as to a local relay,
    /// `smtp://…?tls=required` or `smtps://…` as the sink speaks, with its user and password.
    pub fn url(&self) -> String {
        let login = match &self.login {
            Some((user, password)) => format!("{user}:{password}@"),
            None => String::new(),
        };
        let port = self.port;
        match self.tls {
            None => format!("smtp://{login}127.0.0.1:{port}"),
            Some(SinkTls::StartTls) => format!("smtp://{login}127.0.0.1:{port}?tls=required"),
            Some(SinkTls::Implicit) => format!("smtps://{login}127.0.0.1:{port}"),
        }
    }

    /// The certificate (PEM) of the CA that signed the sink's own (`--smtp-ca-file`), when
    /// it speaks TLS.
    pub fn ca_file(&self) -> Option<PathBuf> {
        self.tls.map(|_| self.certs().join("ca.pem"))
    }

    /// Where the certificates live: beside the messages, which are only the `.json` files.
    fn certs(&self) -> PathBuf {
        self.dir.path().join("certs")
    }

    /// Kills the server: connections are refused until [`SmtpSink::resume`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, keeping what it received.
    pub async fn resume(&mut self) {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("smtp_sink.py");
        let mut command = Command::new("python3");
        command
            .arg(script)
            .arg(self.port.to_string())
            .arg(self.dir.path());
        if let Some(tls) = self.tls {
            command.arg(match tls {
                SinkTls::StartTls => "--starttls",
                SinkTls::Implicit => "--tls",
            });
            command
                .arg("--cert")
                .arg(self.certs().join("server.pem"))
                .arg("--key")
                .arg(self.certs().join("server.key"));
        }
        if let Some((user, password)) = &self.login {
            command.arg("--login").arg(format!("{user}:{password}"));
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs (aiosmtpd is installed by scripts/test)");
        self.child = Some(child);
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the SMTP sink did not start on port {} (is aiosmtpd installed?)",
            self.port
        );
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Received> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.dir.path()).expect("the sink's folder") {
            let path = entry.expect("a folder entry").path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let value: Value =
                serde_json::from_slice(&std::fs::read(&path).expect("a message")).expect("JSON");
            out.push(Received {
                rcpt_to: value["rcpt_to"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
                headers: value["headers"].as_object().cloned().unwrap_or_default(),
                text: value["text"].as_str().unwrap_or_default().to_owned(),
                html: value["html"].as_str().unwrap_or_default().to_owned(),
                tls: value["tls"].as_bool().unwrap_or_default(),
                login: value["login"].as_str().map(str::to_owned),
            });
        }
        out
    }

    /// Waits (up to `timeout`) until at least `n` messages arrived, and returns them all.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n || tokio::time::Instant::now() >= deadline {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A CA and a certificate it signed for 127.0.0.1 and `localhost`, in `dir`: `ca.pem`,
/// `server.pem` and `server.key` (P-256 keys, two days).
fn make_certificates(dir: &Path) {
    std::fs::create_dir_all(dir).expect("a folder for certificates");
    std::fs::write(
        dir.join("ca.cnf"),
        "[req]\ndistinguished_name = dn\nprompt = no\nx509_extensions = ext\n\
         [dn]\nCN = Dateline test CA\n\
         [ext]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n\
         subjectKeyIdentifier = hash\n",
    )
    .expect("the CA's openssl config");
    std::fs::write(
        dir.join("server.cnf"),
        "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = localhost\n\
         [ext]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n\
         extendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1,DNS:localhost\n",
    )
    .expect("the server's openssl config");
    let key = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let steps: [&[&str]; 3] = [
        &[
            &["req", "-x509", "-config", "ca.cnf"],
            &key[..],
            &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2"],
        ]
        .concat(),
        &[
            &["req", "-new", "-config", "server.cnf"],
            &key[..],
            &["-keyout", "server.key", "-out", "server.csr"],
        ]
        .concat(),
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "2",
            "-days",
            "2",
            "-extfile",
            "server.cnf",
            "-extensions",
            "ext",
            "-out",
            "server.pem",
        ],
    ];
    for args in steps {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs (Debian's openssl package)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}
