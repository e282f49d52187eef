//! An SMTP server that answers as the test says, for what a real one ([`crate::SmtpSink`])
//! cannot be made to do on cue: refuse one recipient at one step, hang up in the middle of a
//! message, wait for the test before answering. It keeps the messages it took (ended by their
//! `.` and answered with a 2xx) apart from the transactions whose connection closed before
//! their `.`, which a real server discards.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A point in a transaction where the server answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Mail,
    /// `RCPT TO` for this address.
    Rcpt(String),
    /// The `DATA` command.
    Data,
    /// The `.` after the message.
    EndOfData,
}

/// What the server does at a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The usual reply: `250` (or `354` to DATA).
    Accept,
    /// This reply line, e.g. `451 4.3.0 try later`.
    Reply(String),
    /// Closes the connection without a word.
    HangUp,
    /// Says this reply, then closes the connection (to DATA: in the middle of the message).
    HangUpAfter(String),
}

/// Decides each answer from the step and the transaction's recipients so far; it may wait
/// (for the test to do something) before answering.
pub type Script =
    Arc<dyn Fn(Step, Vec<String>) -> Pin<Box<dyn Future<Output = Answer> + Send>> + Send + Sync>;

/// A message the server took.
#[derive(Debug, Clone)]
pub struct Taken {
    pub rcpt_to: Vec<String>,
    /// The message as sent, dot-stuffing undone.
    pub data: String,
}

impl Taken {
    pub fn message_id(&self) -> Option<&str> {
        self.data
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .map(str::trim)
    }
}

#[derive(Default)]
struct Record {
    taken: Vec<Taken>,
    /// The recipients of each transaction cut off before its `.`.
    cut_off: Vec<Vec<String>>,
}

/// The server, on a free loopback port until dropped.
pub struct ScriptedSmtp {
    pub port: u16,
    record: Arc<Mutex<Record>>,
    task: tokio::task::JoinHandle<()>,
}

impl ScriptedSmtp {
    pub async fn start(script: Script) -> ScriptedSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let record = Arc::new(Mutex::new(Record::default()));
        let kept = record.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(converse(stream, script.clone(), kept.clone()));
            }
        });
        ScriptedSmtp { port, record, task }
    }

    /// A server that takes everything.
    pub async fn accepting() -> ScriptedSmtp {
        ScriptedSmtp::start(Arc::new(|_, _| Box::pin(async { Answer::Accept }))).await
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn taken(&self) -> Vec<Taken> {
        self.record.lock().unwrap().taken.clone()
    }

    /// The recipients of the transactions whose connection closed before their `.`.
    pub fn cut_off(&self) -> Vec<Vec<String>> {
        self.record.lock().unwrap().cut_off.clone()
    }

    /// [`Self::cut_off`] once it holds `n` transactions, or after five seconds: the server
    /// reads that a connection closed on its own time, after the client has moved on.
    pub async fn cut_off_once(&self, n: usize) -> Vec<Vec<String>> {
        for _ in 0..250 {
            if self.record.lock().unwrap().cut_off.len() >= n {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        self.cut_off()
    }
}

impl Drop for ScriptedSmtp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn converse(stream: TcpStream, script: Script, record: Arc<Mutex<Record>>) {
    let mut stream = BufReader::new(stream);
    let mut rcpts: Vec<String> = Vec::new();
    if say(&mut stream, "220 scripted ESMTP").await.is_err() {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_owned();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let (step, usual) = match verb.as_str() {
            "EHLO" | "HELO" => {
                if say(&mut stream, "250-scripted\r\n250-8BITMIME\r\n250 SMTPUTF8")
                    .await
                    .is_err()
                {
                    return;
                }
                continue;
            }
            "QUIT" => {
                let _ = say(&mut stream, "221 bye").await;
                return;
            }
            "MAIL" => {
                rcpts.clear();
                (Step::Mail, "250 OK")
            }
            "RCPT" => {
                let to = command
                    .split_once('<')
                    .and_then(|(_, rest)| rest.split_once('>'))
                    .map(|(to, _)| to.to_owned())
                    .unwrap_or_default();
                (Step::Rcpt(to), "250 OK")
            }
            "DATA" => (Step::Data, "354 end with <CRLF>.<CRLF>"),
            _ => {
                if say(&mut stream, "250 OK").await.is_err() {
                    return;
                }
                continue;
            }
        };
        let answer = script(step.clone(), rcpts.clone()).await;
        let (reply, hang_up) = match answer {
            Answer::HangUp => return,
            Answer::Accept => (usual.to_owned(), false),
            Answer::Reply(reply) => (reply, false),
            Answer::HangUpAfter(reply) => (reply, true),
        };
        let positive = reply.starts_with('2') || reply.starts_with('3');
        if say(&mut stream, &reply).await.is_err() {
            return;
        }
        if hang_up {
            if step == Step::Data {
                record.lock().unwrap().cut_off.push(rcpts.clone());
            }
            return;
        }
        match step {
            Step::Rcpt(to) if positive => rcpts.push(to),
            Step::Data if positive => {
                let Some(data) = read_data(&mut stream).await else {
                    record.lock().unwrap().cut_off.push(rcpts.clone());
                    return;
                };
                let reply = match script(Step::EndOfData, rcpts.clone()).await {
                    Answer::HangUp | Answer::HangUpAfter(_) => return,
                    Answer::Accept => "250 2.0.0 queued".to_owned(),
                    Answer::Reply(reply) => reply,
                };
                if reply.starts_with('2') {
                    record.lock().unwrap().taken.push(Taken {
                        rcpt_to: rcpts.clone(),
                        data,
                    });
                }
                if say(&mut stream, &reply).await.is_err() {
                    return;
                }
            }
            _ => {}
        }
    }
}

/// The message up to its `.` line; `None` when the connection closed first.
async fn read_data(stream: &mut BufReader<TcpStream>) -> Option<String> {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if stream.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        if line == ".\r\n" {
            return Some(data);
        }
        data.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}

async fn say(stream: &mut BufReader<TcpStream>, reply: &str) -> std::io::Result<()> {
    let stream = stream.get_mut();
    stream.write_all(reply.as_bytes()).await?;
    stream.write_all(b"\r\n").await
}
