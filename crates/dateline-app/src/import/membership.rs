//! Importing the readers' side of an export (see [`crate::ghost_json::Membership`]), after the
//! posts and in the same transaction.
//!
//! Newsletters are matched by id or slug, labels by id, name or slug, tiers by id or slug, and
//! members by id or email: what is here already is left as it is. A member who is here already
//! (by id, or by address under another id) is merged into the one here: they get the file's
//! labels, its name and note where the site has none, and its bounce (a disabled address stays
//! disabled, and one the file disabled is disabled here too); their status stays the site's.
//! An import never subscribes a reader here again to a newsletter they could have left: a
//! member who is here already gains only the file's subscriptions to newsletters this import
//! adds, and none when they get no newsletter here at all (they unsubscribed, which Ghost's
//! member CSV import also respects). Links are added, never removed, so importing the same
//! file again changes nothing.
//!
//! Members are written in batches ([`MEMBER_BATCH`]), each looked up, merged and written in a
//! few statements; a batch ends as writing its records one by one would, including a reader
//! the file lists twice (see [`Landing`]).

use std::collections::{HashMap, HashSet};

use dateline_core::id::ObjectId;
use dateline_store::labels::{self, LabelKey};
use dateline_store::members::{Blanks, Member};
use dateline_store::{Tx, custom_theme_settings, members, newsletters, tiers};
use jiff::Timestamp;

use super::{ImportReport, conflict};
use crate::ghost_json::{MemberRecord, Membership};
use crate::{AppError, Result};

/// Called once per record written, for the progress bar.
pub(super) type Tick<'a> = &'a mut (dyn FnMut() + Send);

pub(super) async fn write(
    tx: &mut Tx,
    site: Membership,
    report: &mut ImportReport,
    tick: Tick<'_>,
) -> Result<()> {
    // The file's newsletter id → the one here, and whether this import added it.
    let mut newsletter_ids: HashMap<ObjectId, (ObjectId, bool)> = HashMap::new();
    for (index, newsletter) in site.newsletters.iter().enumerate() {
        let here = match newsletters::find(tx, newsletter.id.as_str()).await? {
            Some(found) => Some(found),
            None => newsletters::find(tx, &newsletter.slug).await?,
        };
        let id = match here {
            Some(found) => {
                report.newsletters_matched += 1;
                (found.id, false)
            }
            None => {
                newsletters::insert(tx, newsletter)
                    .await
                    .map_err(|e| conflict("newsletters", index, newsletter.id.as_str(), e))?;
                report.newsletters_added += 1;
                (newsletter.id.clone(), true)
            }
        };
        newsletter_ids.insert(newsletter.id.clone(), id);
        tick();
    }

    for (index, tier) in site.tiers.iter().enumerate() {
        if tiers::exists(tx, &tier.id, &tier.slug).await? {
            report.tiers_matched += 1;
        } else {
            tiers::insert(tx, tier)
                .await
                .map_err(|e| conflict("products", index, &tier.id, e))?;
            report.tiers_added += 1;
        }
        tick();
    }

    for (theme, value) in &site.theme_settings {
        if custom_theme_settings::put(tx, theme, value).await? {
            report.theme_settings_written += 1;
        }
        tick();
    }

    let mut label_ids: HashMap<ObjectId, ObjectId> = HashMap::new();
    for label in &site.labels {
        let id = match labels::find(tx, LabelKey::Id(label.id.as_str())).await? {
            Some(found) => {
                report.labels_matched += 1;
                found.id
            }
            // The label here with the same name or slug, if any, else this one, inserted.
            None => {
                let stored = labels::find_or_insert(tx, label).await?;
                if stored.id == label.id {
                    report.labels_added += 1;
                } else {
                    report.labels_matched += 1;
                }
                stored.id
            }
        };
        label_ids.insert(label.id.clone(), id);
        tick();
    }

    let mut file = site.members.into_iter().enumerate();
    let batch = MemberBatch {
        newsletter_ids: &newsletter_ids,
        label_ids: &label_ids,
        now: dateline_core::time::now(),
    };
    loop {
        let records: Vec<(usize, MemberRecord)> = file.by_ref().take(MEMBER_BATCH).collect();
        if records.is_empty() {
            break;
        }
        let count = records.len();
        batch.write(tx, records, report).await?;
        for _ in 0..count {
            tick();
        }
    }
    Ok(())
}

/// Members read, merged and written together. A batch costs a few statements whatever its
/// size (two lookups, the subscriptions of those found, one multi-row insert, the merges, the
/// links) instead of several per member, so a list of 100,000 readers is not a million round
/// trips. It bounds only the statements and what is held beyond the file: every batch is in
/// the import's one transaction, so the import stays all or nothing.
const MEMBER_BATCH: usize = 1000;

/// The savepoint around each batch's insert, undone to name the member the database refuses.
const MEMBER_SAVEPOINT: &str = "import_members";

/// What every batch of one import shares: where the file's newsletters and labels are here.
struct MemberBatch<'a> {
    /// The file's newsletter id → the one here, and whether this import added it.
    newsletter_ids: &'a HashMap<ObjectId, (ObjectId, bool)>,
    label_ids: &'a HashMap<ObjectId, ObjectId>,
    /// When merged members changed.
    now: Timestamp,
}

/// A member one of the batch's records lands on, as the records so far left them: one who was
/// here already or one the batch adds. Later records of the same member (by id, or by address
/// under another id) merge into it as they would into the stored member, so a batch ends where
/// writing its records one by one would.
struct Landing {
    member: Member,
    /// The place in the file of the record that adds this member; `None` if it was here.
    adds: Option<usize>,
    /// Gets at least one newsletter: only then can the import add one they never had.
    gets_mail: bool,
    /// Was here, and the file filled their name or note.
    filled: bool,
    /// Was here, and the file disabled their address.
    disabled: bool,
}

impl MemberBatch<'_> {
    /// Writes a batch of records (with their places in the file) under the module's rules.
    async fn write(
        &self,
        tx: &mut Tx,
        records: Vec<(usize, MemberRecord)>,
        report: &mut ImportReport,
    ) -> Result<()> {
        let ids: Vec<&str> = records.iter().map(|(_, r)| r.member.id.as_str()).collect();
        let emails: Vec<&str> = records
            .iter()
            .map(|(_, r)| r.member.email.as_str())
            .collect();
        let mut here = members::by_ids(tx, &ids).await?;
        here.extend(members::by_emails(tx, &emails).await?);
        let mut landings = Landings::default();
        for member in here {
            landings.add(member, None);
        }
        let stored: Vec<&str> = landings.all.iter().map(|l| l.member.id.as_str()).collect();
        let getting_mail: HashSet<String> = members::newsletter_links(tx, &stored)
            .await?
            .into_iter()
            .map(|(member, _)| member)
            .collect();
        for landing in &mut landings.all {
            landing.gets_mail = getting_mail.contains(landing.member.id.as_str());
        }

        // (landing, newsletter here) and (landing, label here, order), each pair once: the
        // first wins, as `ON CONFLICT DO NOTHING` has it.
        let mut subscriptions: Vec<(usize, &ObjectId)> = Vec::new();
        let mut labelled: Vec<(usize, &ObjectId, i64)> = Vec::new();
        let (mut subscribed_to, mut labelled_with) = (HashSet::new(), HashSet::new());
        for (index, record) in records {
            let MemberRecord {
                member,
                newsletter_ids: file_newsletters,
                label_ids: file_labels,
            } = record;
            let (at, added) = match landings.find(&member) {
                Some(at) => {
                    report.members_matched += 1;
                    landings.all[at].merge(member);
                    (at, false)
                }
                None => {
                    report.members_added += 1;
                    (landings.add(member, Some(index)), true)
                }
            };
            // A member here gains only newsletters this import adds, and only if they get
            // mail at all; one the file adds gets all of theirs.
            let landing = &mut landings.all[at];
            let gets_mail = landing.gets_mail;
            for (newsletter, new_here) in file_newsletters
                .iter()
                .filter_map(|n| self.newsletter_ids.get(n))
            {
                if added || (gets_mail && *new_here) {
                    landing.gets_mail = true;
                    if subscribed_to.insert((at, newsletter)) {
                        subscriptions.push((at, newsletter));
                    }
                }
            }
            let mapped = file_labels.iter().filter_map(|l| self.label_ids.get(l));
            for (order, label) in mapped.enumerate() {
                if labelled_with.insert((at, label)) {
                    labelled.push((at, label, i64::try_from(order).unwrap_or(i64::MAX)));
                }
            }
        }

        insert_new(tx, &landings.all).await?;
        let fills: Vec<Blanks<'_>> = landings
            .all
            .iter()
            .filter(|l| l.filled)
            .map(|l| Blanks {
                member_id: l.member.id.as_str(),
                name: l.member.name.as_deref(),
                note: l.member.note.as_deref(),
            })
            .collect();
        members::fill_blanks(tx, &fills, self.now).await?;
        let disabled: Vec<&str> = landings
            .all
            .iter()
            .filter(|l| l.disabled)
            .map(|l| l.member.id.as_str())
            .collect();
        members::set_emails_disabled(tx, &disabled, true, self.now).await?;
        let id = |at: usize| landings.all[at].member.id.as_str();
        let subscriptions: Vec<(&str, &str)> = subscriptions
            .iter()
            .map(|(at, newsletter)| (id(*at), newsletter.as_str()))
            .collect();
        members::subscribe_many(tx, &subscriptions).await?;
        let labelled: Vec<(&str, &str, i64)> = labelled
            .iter()
            .map(|(at, label, order)| (id(*at), label.as_str(), *order))
            .collect();
        labels::add_to_members(tx, &labelled).await?;
        Ok(())
    }
}

/// A batch's members by id and by address, in the order they were found or added.
#[derive(Default)]
struct Landings {
    all: Vec<Landing>,
    by_id: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
}

impl Landings {
    /// Adds a member (once: the lookups by id and by address may both find one); returns its
    /// place.
    fn add(&mut self, member: Member, adds: Option<usize>) -> usize {
        if let Some(&at) = self.by_id.get(member.id.as_str()) {
            return at;
        }
        let at = self.all.len();
        self.by_id.insert(member.id.to_string(), at);
        self.by_email.insert(member.email.clone(), at);
        self.all.push(Landing {
            member,
            adds,
            gets_mail: false,
            filled: false,
            disabled: false,
        });
        at
    }

    /// The member a record of the file is: the one with its id, else the one with its address.
    fn find(&self, record: &Member) -> Option<usize> {
        self.by_id
            .get(record.id.as_str())
            .or_else(|| self.by_email.get(&record.email))
            .copied()
    }
}

impl Landing {
    /// Merges a record of the file into this member: a bounce, a name and a note where there
    /// is none. The status and the address stay.
    fn merge(&mut self, record: Member) {
        let member = &mut self.member;
        // A member the batch adds is inserted as merged; only one who was here is updated.
        let here = self.adds.is_none();
        if record.email_disabled && !member.email_disabled {
            member.email_disabled = true;
            self.disabled |= here;
        }
        if member.name.is_none() && record.name.is_some() {
            member.name = record.name;
            self.filled |= here;
        }
        if member.note.is_none() && record.note.is_some() {
            member.note = record.note;
            self.filled |= here;
        }
    }
}

/// Inserts the members the batch adds in one statement per few thousand. When the database
/// refuses them (a uuid taken here, or twice in the file), the savepoint undoes the statement
/// and they are inserted one by one, so the error names the record, as it did before batches.
async fn insert_new(tx: &mut Tx, landings: &[Landing]) -> Result<()> {
    let fresh: Vec<(usize, &Member)> = landings
        .iter()
        .filter_map(|l| l.adds.map(|index| (index, &l.member)))
        .collect();
    if fresh.is_empty() {
        return Ok(());
    }
    let rows: Vec<Member> = fresh.iter().map(|(_, m)| (*m).clone()).collect();
    tx.savepoint(MEMBER_SAVEPOINT).await?;
    let inserted: HashSet<String> = match members::insert_many(tx, &rows).await {
        Ok(ids) => ids.into_iter().collect(),
        Err(err) if err.is_unique_violation() => {
            tx.rollback_to(MEMBER_SAVEPOINT).await?;
            let mut ids = HashSet::new();
            for (index, member) in &fresh {
                let added = members::insert(tx, member)
                    .await
                    .map_err(|e| conflict("members", *index, member.id.as_str(), e))?;
                if added {
                    ids.insert(member.id.to_string());
                }
            }
            ids
        }
        Err(err) => return Err(err.into()),
    };
    tx.release(MEMBER_SAVEPOINT).await?;
    // Not inserted: the address signed up here (PostgreSQL) after the batch looked for it.
    // Importing again merges it; this run must not link readers it did not write.
    match fresh
        .iter()
        .find(|(_, m)| !inserted.contains(m.id.as_str()))
    {
        Some((index, member)) => Err(AppError::Conflict {
            record: format!("members[{index}] (id {})", member.id),
            reason: format!("{} became a member while the import ran", member.email),
        }),
        None => Ok(()),
    }
}
