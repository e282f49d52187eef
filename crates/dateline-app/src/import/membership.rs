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

use std::collections::HashMap;

use dateline_core::id::ObjectId;
use dateline_store::labels::{self, LabelKey};
use dateline_store::{Tx, custom_theme_settings, members, newsletters, tiers};

use super::{ImportReport, conflict};
use crate::Result;
use crate::ghost_json::{MemberRecord, Membership};

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

    for (index, record) in site.members.into_iter().enumerate() {
        write_member(tx, index, record, &newsletter_ids, &label_ids, report).await?;
        tick();
    }
    Ok(())
}

async fn write_member(
    tx: &mut Tx,
    index: usize,
    record: MemberRecord,
    newsletter_ids: &HashMap<ObjectId, (ObjectId, bool)>,
    label_ids: &HashMap<ObjectId, ObjectId>,
    report: &mut ImportReport,
) -> Result<()> {
    let MemberRecord {
        member,
        newsletter_ids: subscribed,
        label_ids: labelled,
    } = record;
    let here = match members::by_id(tx, member.id.as_str()).await? {
        Some(found) => Some(found),
        None => members::by_email(tx, &member.email).await?,
    };
    let (id, added) = match here {
        Some(mut found) => {
            report.members_matched += 1;
            let mut changed = false;
            if member.email_disabled && !found.email_disabled {
                found.email_disabled = true;
                changed = true;
            }
            if found.name.is_none() && member.name.is_some() {
                found.name = member.name;
                changed = true;
            }
            if found.note.is_none() && member.note.is_some() {
                found.note = member.note;
                changed = true;
            }
            if changed {
                members::update(tx, &found).await?;
            }
            (found.id, false)
        }
        None => {
            members::insert(tx, &member)
                .await
                .map_err(|e| conflict("members", index, member.id.as_str(), e))?;
            report.members_added += 1;
            (member.id, true)
        }
    };
    let gets_mail = added || !members::newsletter_ids(tx, id.as_str()).await?.is_empty();
    let wanted = subscribed.iter().filter_map(|n| newsletter_ids.get(n));
    for (newsletter, new_here) in wanted {
        if added || (gets_mail && *new_here) {
            members::subscribe(tx, id.as_str(), newsletter.as_str()).await?;
        }
    }
    for (order, label) in labelled.iter().filter_map(|l| label_ids.get(l)).enumerate() {
        let order = i64::try_from(order).unwrap_or(i64::MAX);
        labels::add_to_member(tx, id.as_str(), label.as_str(), order).await?;
    }
    Ok(())
}
