//! Members in and out of Ghost's member CSV (`id,email,name,note,subscribed_to_emails,
//! complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers`), so a list moves
//! between Ghost and Dateline, or in from a spreadsheet with just an `email` column.
//!
//! An import reads and checks the whole file before it writes anything: a malformed file (a row
//! with the wrong number of fields, no `email` column, text that is not UTF-8) is refused with
//! its line number and changes nothing. Rows whose address is not an address, or whose
//! `subscribed_to_emails` is neither true nor false, are skipped and reported by line; the
//! others land. They are written a chunk at a time, a few multi-row statements per chunk in one
//! transaction, so 100,000 rows take seconds, not minutes, and an import killed half-way leaves
//! whole members that running it again finds by address (it is idempotent by email).
//!
//! A new member is subscribed to the sign-up newsletters unless the row says false. An address
//! that is already a member (addresses are stored in lower case, so in any case; or twice in
//! the file) is never added again, and is never subscribed again: as in Ghost 5.130, a member
//! without subscriptions (who unsubscribed) stays without, one with subscriptions keeps them,
//! and a row saying `false` ends them; an address disabled after a bounce stays disabled. Unlike
//! Ghost, which overwrites a member's name and note with any the file has, the file only fills
//! a name or note the member lacks: what the newsroom edited stays. Labels are merged.
//! Each new member queues Ghost's `member.added` webhooks in its chunk's transaction, and each
//! member the file changes `member.edited`, with what changed as `previous`.
//! Dateline has no paid tiers or Stripe, so `complimentary_plan`, `stripe_customer_id` and
//! `tiers` are read past on import and left empty on export.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_store::filter::Resource;
use dateline_store::members::{self, Blanks, Member};
use dateline_store::{Tx, labels};
use jiff::Timestamp;

use crate::admin::Actor;
use crate::content::compile_filter;
use crate::members::admin::{LabelRef, MemberDetail, details, resolve_labels};
use crate::webhooks::outbox::Record;
use crate::{App, AppError, Result};

/// Ghost's export columns, in Ghost's order.
pub const COLUMNS: [&str; 11] = [
    "id",
    "email",
    "name",
    "note",
    "subscribed_to_emails",
    "complimentary_plan",
    "stripe_customer_id",
    "created_at",
    "deleted_at",
    "labels",
    "tiers",
];

/// Members written per transaction-free page of an export: memory stays flat however many.
const EXPORT_PAGE: u32 = 500;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// New members.
    pub imported: u64,
    /// Rows whose address was already a member (or earlier in the file): not added again.
    pub existing: u64,
    /// Rows skipped because the address is not one: (line, address as written, why).
    pub invalid: Vec<(u64, String, String)>,
}

/// The members a chunk of an import added, and those it changed (unsubscribed, a blank name
/// or note filled, labels added): Ghost's `member.added` and `member.edited`.
struct Written {
    added: Vec<String>,
    edited: Vec<String>,
}

/// One row as read, before anything is written.
struct Row {
    email: String,
    name: Option<String>,
    note: Option<String>,
    /// `None` when the file does not say: a new member is then subscribed, an existing one
    /// keeps what they chose.
    subscribed: Option<bool>,
    created_at: Option<Timestamp>,
    labels: Vec<String>,
}

impl App {
    /// [`App::import_members_csv`] through the Admin API: administrators only.
    pub async fn import_members_csv_as(
        &self,
        actor: &Actor,
        bytes: &[u8],
        extra_labels: &[String],
    ) -> Result<ImportReport> {
        actor.require(Role::Administrator)?;
        self.import_members_csv(bytes, extra_labels, &|_, _| {})
            .await
    }

    /// [`App::export_members_csv`] through the Admin API: administrators only.
    pub async fn export_members_csv_as(&self, actor: &Actor, out: impl Write) -> Result<u64> {
        actor.require(Role::Administrator)?;
        self.export_members_csv(out, &|_, _| {}).await
    }

    /// Imports Ghost's member CSV (the CLI, whose user holds the database, or the Admin API
    /// through [`App::import_members_csv_as`]). Every member it touches also gets
    /// `extra_labels` (the CLI's `--label`, Ghost's import label). `progress(done, total)`
    /// follows the rows.
    pub async fn import_members_csv(
        &self,
        bytes: &[u8],
        extra_labels: &[String],
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<ImportReport> {
        let mut report = ImportReport::default();
        let rows = parse(bytes, &mut report)?;
        let total = rows.len() as u64;
        progress(0, total);
        let now = dateline_core::time::now();
        let mut tx = self.store.begin().await?;
        crate::newsletters::ensure_default(&mut tx, now).await?;
        let signup: Vec<String> = crate::newsletters::resolve(&mut tx, None)
            .await?
            .into_iter()
            .map(|n| n.id.to_string())
            .collect();
        let label_ids = resolve_names(&mut tx, &rows, extra_labels, now).await?;
        tx.commit().await?;
        let import = Import {
            signup: signup.iter().map(String::as_str).collect(),
            label_ids,
            extra_labels,
            now,
        };
        let mut done = 0;
        for chunk in rows.chunks(IMPORT_CHUNK) {
            let mut tx = self.store.begin().await?;
            // Webhooks say what an edit changed, so the members the chunk may change are
            // read first, and only when somebody listens.
            let hooked = dateline_store::webhooks::any(&mut tx).await?;
            let mut before = HashMap::new();
            if hooked {
                let emails: Vec<&str> = chunk.iter().map(|r| r.email.as_str()).collect();
                for member in members::by_emails(&mut tx, &emails).await? {
                    let id = member.id.to_string();
                    let snapshot = self.webhook_snapshot(&mut tx, Record::Member(&id)).await?;
                    before.insert(id, snapshot);
                }
            }
            let written = import.write(&mut tx, chunk, &mut report).await?;
            // In the chunk's transaction, like an added member's: a rolled-back chunk
            // announces nobody, a committed one everybody in it (labels included).
            if hooked {
                for id in &written.added {
                    self.webhook_changed(&mut tx, Record::Member(id), None)
                        .await?;
                }
                for id in &written.edited {
                    let snapshot = before.remove(id).flatten();
                    self.webhook_changed(&mut tx, Record::Member(id), snapshot)
                        .await?;
                }
            }
            tx.commit().await?;
            done += chunk.len() as u64;
            progress(done, total);
        }
        Ok(report)
    }

    /// Writes every member as Ghost's member CSV to `out`, a page at a time;
    /// `progress(done, total)` follows the members. Returns how many were written.
    pub async fn export_members_csv(
        &self,
        out: impl Write,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<u64> {
        let mut db = self.store.reader().await?;
        let total = members::count(&mut db).await?;
        progress(0, total);
        let mut writer = Export::start(out)?;
        let mut after = String::new();
        loop {
            let page = members::page_after(&mut db, &after, EXPORT_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id.to_string();
            writer.write(&details(&mut db, page).await?)?;
            progress(writer.done, total);
        }
        writer.finish()
    }

    /// The members an NQL `filter` and a `search` (name or address) select, as Ghost's member
    /// CSV: the admin's "export this list", which must hand over exactly the rows the
    /// newsroom is looking at. Administrators only.
    pub async fn export_matching_members_csv(
        &self,
        actor: &Actor,
        filter: Option<&str>,
        search: Option<&str>,
        out: impl Write,
    ) -> Result<u64> {
        actor.require(Role::Administrator)?;
        let filter = compile_filter(filter, Resource::Members, 1)?;
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        let mut db = self.store.reader().await?;
        let mut writer = Export::start(out)?;
        let mut after = String::new();
        loop {
            let page =
                members::matching_after(&mut db, filter.as_ref(), search, &after, EXPORT_PAGE)
                    .await?;
            let Some(last) = page.last() else { break };
            after = last.id.to_string();
            writer.write(&details(&mut db, page).await?)?;
        }
        writer.finish()
    }
}

/// Rows written per transaction. A chunk is a handful of statements whatever its size; between
/// chunks other writers (sign-ups, sessions) get their turn; and a chunk is all or nothing, so
/// an import killed half-way leaves whole members behind, whom running it again finds by address.
const IMPORT_CHUNK: usize = 1000;

/// What every chunk of one import shares.
struct Import<'a> {
    /// The newsletters a new member who is subscribed gets.
    signup: Vec<&'a str>,
    /// Label ids by name, for every name in the file and in `extra_labels`.
    label_ids: HashMap<String, String>,
    extra_labels: &'a [String],
    now: Timestamp,
}

impl Import<'_> {
    /// Writes one chunk of rows (distinct addresses) in `tx`; returns the ids of the members it
    /// added. A member who is here already keeps their subscriptions unless the row says
    /// `subscribed_to_emails = false` (an import can end mail, never start it again), keeps
    /// their name and note (the row's fill only blanks) and gains the row's labels.
    async fn write(&self, tx: &mut Tx, rows: &[Row], report: &mut ImportReport) -> Result<Written> {
        let emails: Vec<&str> = rows.iter().map(|r| r.email.as_str()).collect();
        let mut known: HashMap<String, Member> = by_email(members::by_emails(tx, &emails).await?);
        let fresh: Vec<Member> = rows
            .iter()
            .filter(|r| !known.contains_key(&r.email))
            .map(|r| self.member(r))
            .collect();
        let added: HashSet<String> = members::insert_many(tx, &fresh)
            .await?
            .into_iter()
            .collect();
        // An address taken between the read and the insert (a sign-up racing the import)
        // belongs to a member who is here already.
        let raced: Vec<&str> = fresh
            .iter()
            .filter(|m| !added.contains(m.id.as_str()))
            .map(|m| m.email.as_str())
            .collect();
        if !raced.is_empty() {
            known.extend(by_email(members::by_emails(tx, &raced).await?));
        }
        let new_ids: HashMap<&str, &str> = fresh
            .iter()
            .filter(|m| added.contains(m.id.as_str()))
            .map(|m| (m.email.as_str(), m.id.as_str()))
            .collect();

        let known_ids: Vec<&str> = known.values().map(|m| m.id.as_str()).collect();
        let mut held: HashMap<String, Vec<String>> = HashMap::new();
        for (member_id, label) in labels::for_members(tx, &known_ids).await? {
            held.entry(member_id)
                .or_default()
                .push(label.id.to_string());
        }
        let getting_mail: HashSet<String> = members::newsletter_links(tx, &known_ids)
            .await?
            .into_iter()
            .map(|(member_id, _)| member_id)
            .collect();

        let mut subscriptions: Vec<(&str, &str)> = Vec::new();
        let mut unsubscribe: Vec<&str> = Vec::new();
        let mut fills: Vec<Blanks<'_>> = Vec::new();
        let mut links: Vec<(&str, &str, i64)> = Vec::new();
        let mut edited: HashSet<&str> = HashSet::new();
        for row in rows {
            let (id, held) = if let Some(&id) = new_ids.get(row.email.as_str()) {
                report.imported += 1;
                if row.subscribed != Some(false) {
                    subscriptions.extend(self.signup.iter().map(|&n| (id, n)));
                }
                (id, &[][..])
            } else {
                report.existing += 1;
                let Some(member) = known.get(&row.email) else {
                    // Deleted while the import ran: nobody to update.
                    continue;
                };
                let id = member.id.as_str();
                if row.subscribed == Some(false) && getting_mail.contains(id) {
                    unsubscribe.push(id);
                    edited.insert(id);
                }
                if (member.name.is_none() && row.name.is_some())
                    || (member.note.is_none() && row.note.is_some())
                {
                    edited.insert(id);
                    fills.push(Blanks {
                        member_id: id,
                        name: row.name.as_deref(),
                        note: row.note.as_deref(),
                    });
                }
                (id, held.get(id).map_or(&[][..], Vec::as_slice))
            };
            // New labels go after the ones a member has, each once.
            let mut order = held.len();
            let mut chosen: Vec<&str> = Vec::new();
            for name in row.labels.iter().chain(self.extra_labels) {
                let Some(label) = self.label_ids.get(name) else {
                    continue;
                };
                if held.contains(label) || chosen.contains(&label.as_str()) {
                    continue;
                }
                chosen.push(label);
                if !new_ids.contains_key(row.email.as_str()) {
                    edited.insert(id);
                }
                links.push((id, label, i64::try_from(order).unwrap_or(i64::MAX)));
                order += 1;
            }
        }
        members::subscribe_many(tx, &subscriptions).await?;
        members::unsubscribe_all(tx, &unsubscribe).await?;
        members::fill_blanks(tx, &fills, self.now).await?;
        labels::add_to_members(tx, &links).await?;
        Ok(Written {
            added: new_ids.into_values().map(str::to_owned).collect(),
            edited: edited.into_iter().map(str::to_owned).collect(),
        })
    }

    /// The member a row adds. A joining date in the future becomes now, as in Ghost: the admin
    /// would never list such a member among the newest.
    fn member(&self, row: &Row) -> Member {
        Member {
            id: ObjectId::generate(),
            uuid: dateline_core::id::new_uuid(),
            email: row.email.clone(),
            name: row.name.clone(),
            note: row.note.clone(),
            status: "free".to_owned(),
            email_disabled: false,
            created_at: row
                .created_at
                .filter(|t| *t <= self.now)
                .unwrap_or(self.now),
            updated_at: self.now,
        }
    }
}

fn by_email(found: Vec<Member>) -> HashMap<String, Member> {
    found.into_iter().map(|m| (m.email.clone(), m)).collect()
}

/// The id of every label the file and `extra` name, each name found (or created) once.
async fn resolve_names(
    tx: &mut Tx,
    rows: &[Row],
    extra: &[String],
    now: Timestamp,
) -> Result<HashMap<String, String>> {
    let mut ids: HashMap<String, String> = HashMap::new();
    for name in rows.iter().flat_map(|r| &r.labels).chain(extra) {
        if ids.contains_key(name) {
            continue;
        }
        let refs = [LabelRef {
            name: Some(name.clone()),
            ..LabelRef::default()
        }];
        if let Some(label) = resolve_labels(tx, &refs, now).await?.pop() {
            ids.insert(name.clone(), label.id.to_string());
        }
    }
    Ok(ids)
}

/// A CSV export under way: Ghost's header, then members a page at a time.
struct Export<W: Write> {
    writer: csv::Writer<W>,
    done: u64,
}

impl<W: Write> Export<W> {
    fn start(out: W) -> Result<Self> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        writer.write_record(COLUMNS).map_err(csv_error)?;
        Ok(Export { writer, done: 0 })
    }

    fn write(&mut self, page: &[MemberDetail]) -> Result<()> {
        for d in page {
            let m = &d.member;
            let labels = d
                .labels
                .iter()
                .map(|l| l.name.as_str())
                .collect::<Vec<_>>()
                .join(",");
            let created_at = dateline_core::time::ghost_utc(m.created_at);
            let subscribed = if d.newsletters.is_empty() {
                "false"
            } else {
                "true"
            };
            self.writer
                .write_record([
                    m.id.as_str(),
                    &m.email,
                    &cell(m.name.as_deref().unwrap_or("")),
                    &cell(m.note.as_deref().unwrap_or("")),
                    subscribed,
                    "",
                    "",
                    &created_at,
                    "",
                    &cell(&labels),
                    "",
                ])
                .map_err(csv_error)?;
            self.done += 1;
        }
        Ok(())
    }

    /// Flushes what is written; returns how many members that was.
    fn finish(mut self) -> Result<u64> {
        self.writer
            .flush()
            .map_err(|e| AppError::invalid("csv", e.to_string()))?;
        Ok(self.done)
    }
}

/// A cell a spreadsheet would run as a formula gets a leading `'`, as Ghost's export does.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn csv_error(err: csv::Error) -> AppError {
    AppError::invalid("csv", err.to_string())
}

/// Reads and checks every row; nothing is written unless the whole file reads.
fn parse(bytes: &[u8], report: &mut ImportReport) -> Result<Vec<Row>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| malformed(&e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect::<Vec<_>>();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let Some(email_at) = column("email") else {
        return Err(AppError::invalid(
            "csv",
            "line 1: the file has no `email` column (Ghost's member CSV starts with \
             id,email,name,…)",
        ));
    };
    let (name_at, note_at, subscribed_at, created_at, labels_at) = (
        column("name"),
        column("note"),
        column("subscribed_to_emails"),
        column("created_at"),
        column("labels"),
    );
    let mut rows: Vec<Row> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| malformed(&e))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |at: Option<usize>| {
            at.and_then(|i| record.get(i))
                .map(str::to_owned)
                .filter(|s| !s.is_empty())
        };
        let written = record.get(email_at).unwrap_or_default().to_owned();
        if written.is_empty() && record.iter().all(str::is_empty) {
            continue;
        }
        let email = match crate::setup::validate_email(&written) {
            Ok(email) => email.to_lowercase(),
            Err(err) => {
                let why = match err {
                    AppError::Invalid { message, .. } => message,
                    other => other.to_string(),
                };
                report.invalid.push((line, written, why));
                continue;
            }
        };
        let subscribed = match field(subscribed_at)
            .map(|s| s.to_ascii_lowercase())
            .as_deref()
        {
            None => None,
            Some("true" | "1" | "yes") => Some(true),
            Some("false" | "0" | "no") => Some(false),
            // Neither: a guess either way could mail someone who never asked for it.
            Some(other) => {
                report.invalid.push((
                    line,
                    written,
                    format!("subscribed_to_emails is `{other}`, not true or false"),
                ));
                continue;
            }
        };
        let labels = field(labels_at)
            .map(|l| {
                l.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let created = field(created_at)
            .and_then(|t| t.parse::<Timestamp>().ok())
            .map(dateline_core::time::to_seconds);
        if !seen.insert(email.clone()) {
            // Twice in one file: the first row counts, the second is an existing member.
            report.existing += 1;
            continue;
        }
        rows.push(Row {
            email,
            name: field(name_at),
            note: field(note_at),
            subscribed,
            created_at: created,
            labels,
        });
    }
    Ok(rows)
}

fn malformed(err: &csv::Error) -> AppError {
    let line = err.position().map_or(0, |p| p.line());
    let why = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8".to_owned(),
        _ => err.to_string(),
    };
    AppError::invalid("csv", format!("line {line}: {why}; nothing was imported"))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{ImportReport, parse};

    /// One data row as a spreadsheet might hold it.
    #[derive(Debug, Clone)]
    struct Written {
        /// An address, or (when `bad`) text that is not one.
        email: String,
        bad: bool,
        name: String,
        note: String,
        subscribed: Option<bool>,
        labels: Vec<String>,
    }

    fn written() -> impl Strategy<Value = Written> {
        (
            "[a-zA-Z0-9._+-]{1,12}",
            prop::bool::weighted(0.1),
            // Commas, quotes, line breaks, formula signs and spaces at either end.
            "[ a-zA-Z,\"'=+\n\u{e9}-]{0,20}",
            "[ a-zA-Z,\"\n]{0,20}",
            prop::option::of(any::<bool>()),
            prop::collection::vec("[a-zA-Z0-9][a-zA-Z0-9 ]{0,8}", 0..3),
        )
            .prop_map(|(local, bad, name, note, subscribed, labels)| Written {
                email: if bad {
                    local
                } else {
                    format!("{local}@Example.com")
                },
                bad,
                name,
                note,
                subscribed,
                labels,
            })
    }

    /// The file a CSV writer makes of `rows`, and the line each row starts on.
    fn file(rows: &[Written]) -> (Vec<u8>, Vec<u64>) {
        let mut out = Vec::new();
        let mut lines = Vec::new();
        let mut writer = csv::Writer::from_writer(&mut out);
        writer
            .write_record(["email", "name", "note", "subscribed_to_emails", "labels"])
            .unwrap();
        for row in rows {
            writer.flush().unwrap();
            lines.push(writer.get_ref().iter().filter(|&&b| b == b'\n').count() as u64 + 1);
            let subscribed = row.subscribed.map_or(String::new(), |s| s.to_string());
            writer
                .write_record([
                    row.email.as_str(),
                    &row.name,
                    &row.note,
                    &subscribed,
                    &row.labels.join(", "),
                ])
                .unwrap();
        }
        drop(writer);
        (out, lines)
    }

    fn blank_is_none(text: &str) -> Option<String> {
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }

    proptest! {
        /// What a CSV writer wrote reads back field for field; each bad address is reported on
        /// the line its row starts on, and a repeated address (in any case) counts once.
        #[test]
        fn written_rows_read_back(rows in prop::collection::vec(written(), 0..30)) {
            let (bytes, lines) = file(&rows);
            let mut report = ImportReport::default();
            let read = parse(&bytes, &mut report).unwrap();
            let mut seen = std::collections::HashSet::new();
            let mut expected_invalid = Vec::new();
            let mut expected = Vec::new();
            let mut repeated = 0;
            for (row, line) in rows.iter().zip(&lines) {
                if row.bad {
                    expected_invalid.push(*line);
                } else if !seen.insert(row.email.to_lowercase()) {
                    repeated += 1;
                } else {
                    expected.push(row);
                }
            }
            let invalid: Vec<u64> = report.invalid.iter().map(|(line, _, _)| *line).collect();
            prop_assert_eq!(invalid, expected_invalid);
            prop_assert_eq!(report.existing, repeated);
            prop_assert_eq!(read.len(), expected.len());
            for (got, want) in read.iter().zip(expected) {
                prop_assert_eq!(&got.email, &want.email.to_lowercase());
                prop_assert_eq!(&got.name, &blank_is_none(&want.name));
                prop_assert_eq!(&got.note, &blank_is_none(&want.note));
                prop_assert_eq!(got.subscribed, want.subscribed);
                let labels: Vec<String> = want.labels.iter().filter_map(|l| blank_is_none(l)).collect();
                prop_assert_eq!(&got.labels, &labels);
            }
        }

        /// Any bytes at all: an answer, never a panic, and never more members than lines.
        #[test]
        fn any_bytes_are_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let mut report = ImportReport::default();
            if let Ok(rows) = parse(&bytes, &mut report) {
                let lines = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
                prop_assert!(rows.len() + report.invalid.len() <= lines);
            }
        }
    }
}
