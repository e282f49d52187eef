//! Members in and out of Ghost's member CSV (`id,email,name,note,subscribed_to_emails,
//! complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers`), so a list moves
//! between Ghost and Dateline, or in from a spreadsheet with just an `email` column.
//!
//! An import reads and checks the whole file before it writes anything, then writes it in one
//! transaction: a malformed file (a row with the wrong number of fields, no `email` column,
//! text that is not UTF-8) is refused with its line number and changes nothing. Rows whose
//! address is not an address are skipped and reported by line. An address that is already a
//! member (in any case, or twice in the file) is never added again; it only gains the labels.
//! Each new member queues Ghost's `member.added` webhooks in that transaction.
//! Dateline has no paid tiers or Stripe, so `complimentary_plan`, `stripe_customer_id` and
//! `tiers` are read past on import and left empty on export.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_store::filter::Resource;
use dateline_store::labels;
use dateline_store::members::{self, Member};
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

/// One row as read, before anything is written.
struct Row {
    email: String,
    name: Option<String>,
    note: Option<String>,
    subscribed: bool,
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
        let signup: Vec<&str> = signup.iter().map(String::as_str).collect();
        // Labels are resolved once per name, not once per row.
        let mut label_ids: HashMap<String, String> = HashMap::new();
        for (done, row) in rows.into_iter().enumerate() {
            let mut names: Vec<&String> = Vec::new();
            for name in row.labels.iter().chain(extra_labels) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            let mut ids = Vec::with_capacity(names.len());
            for name in names {
                if let Some(id) = label_ids.get(name.as_str()) {
                    ids.push(id.clone());
                    continue;
                }
                let refs = [LabelRef {
                    name: Some(name.clone()),
                    ..LabelRef::default()
                }];
                if let Some(label) = resolve_labels(&mut tx, &refs, now).await?.pop() {
                    label_ids.insert(name.clone(), label.id.to_string());
                    ids.push(label.id.to_string());
                }
            }
            let member = Member {
                id: ObjectId::generate(),
                uuid: dateline_core::id::new_uuid(),
                email: row.email,
                name: row.name,
                note: row.note,
                status: "free".to_owned(),
                email_disabled: false,
                created_at: row.created_at.unwrap_or(now),
                updated_at: now,
            };
            let added = members::insert(&mut tx, &member).await?;
            let member_id = if added {
                report.imported += 1;
                let newsletters = if row.subscribed { &signup[..] } else { &[] };
                members::set_newsletters(&mut tx, member.id.as_str(), newsletters).await?;
                member.id.to_string()
            } else {
                report.existing += 1;
                match members::by_email(&mut tx, &member.email).await? {
                    Some(existing) => existing.id.to_string(),
                    None => continue,
                }
            };
            for (i, id) in ids.iter().enumerate() {
                let order = i64::try_from(i).unwrap_or(i64::MAX);
                labels::add_to_member(&mut tx, &member_id, id, order).await?;
            }
            if added {
                // In the import's transaction, like an added member's: a rolled-back import
                // announces nobody, a committed one everybody (labels included).
                self.webhook_changed(&mut tx, Record::Member(&member_id), None)
                    .await?;
            }
            let done = done as u64 + 1;
            if done.is_multiple_of(100) || done == total {
                progress(done, total);
            }
        }
        tx.commit().await?;
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
            let created_at = ghost_time(m.created_at);
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

/// `2025-09-08T10:30:00.000Z`, as Ghost writes dates.
fn ghost_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
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
        let subscribed = !matches!(
            field(subscribed_at)
                .map(|s| s.to_ascii_lowercase())
                .as_deref(),
            Some("false" | "0" | "no")
        );
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
