//! Reading the readers' side of an export: `newsletters`, `products` (tiers),
//! `custom_theme_settings`, and, when the file has them, `members`, `labels`,
//! `members_newsletters` and `members_labels`.
//!
//! What Dateline has no column for is dropped here, on purpose:
//! - newsletters: `visibility`, `feedback_enabled` and the design fields (`show_header_icon`,
//!   `show_header_title`, `show_header_name`, `title_font_category`, `body_font_category`,
//!   `show_badge`, colours, corners…): Dateline's newsletter email has one design, styled by
//!   its template, and every newsletter is open to every member. A `sender_reply_to` of
//!   `newsletter` (Ghost's default) is Dateline's no reply-to; `support` names a Ghost setting
//!   Dateline does not have, so it becomes the default too.
//! - tiers: Stripe price ids and benefits: Dateline takes no payments.
//! - members: `transient_id`, `geolocation`, `expertise`, e-mail open counts and last-seen
//!   times: Ghost recomputes or reissues them, and Dateline has no analytics to put them in.

use std::collections::{HashMap, HashSet};

use dateline_core::id::ObjectId;
use dateline_store::custom_theme_settings::CustomValue;
use dateline_store::labels::Label;
use dateline_store::members::Member;
use dateline_store::newsletters::Newsletter;
use dateline_store::tiers::{Tier, TierPrices};

use super::{Record, Result, Tables, records};
use crate::ghost_json::{MemberRecord, Membership};

pub(super) fn read(data: &Tables<'_>, warnings: &mut Vec<String>) -> Result<Membership> {
    let newsletters = records(data, "newsletters")?
        .map(|r| read_newsletter(&r))
        .collect::<Result<Vec<_>>>()?;
    let tiers = records(data, "products")?
        .map(|r| read_tier(&r))
        .collect::<Result<Vec<_>>>()?;
    let theme_settings = records(data, "custom_theme_settings")?
        .map(|r| read_theme_setting(&r))
        .collect::<Result<Vec<_>>>()?;
    let labels = records(data, "labels")?
        .map(|r| read_label(&r))
        .collect::<Result<Vec<_>>>()?;
    let mut members = records(data, "members")?
        .map(|r| {
            Ok(MemberRecord {
                member: read_member(&r)?,
                newsletter_ids: Vec::new(),
                label_ids: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    attach_member_links(data, &mut members, &newsletters, &labels, warnings)?;
    Ok(Membership {
        newsletters,
        tiers,
        theme_settings,
        labels,
        members,
    })
}

/// One of `allowed` (the first is the default when the field is absent).
fn one_of(r: &Record<'_>, field: &'static str, allowed: &[&str]) -> Result<String> {
    match r.opt_str(field)? {
        None => Ok(allowed.first().copied().unwrap_or_default().to_owned()),
        Some(v) if allowed.contains(&v.as_str()) => Ok(v),
        Some(v) => Err(r.error(
            field,
            format!(
                "has an unknown value `{v}` (expected {})",
                allowed.join(", ")
            ),
        )),
    }
}

fn opt_number(r: &Record<'_>, field: &'static str) -> Result<Option<i64>> {
    match r.fields.get(field) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(_) => r.number(field).map(Some),
    }
}

fn slug_or_name(r: &Record<'_>, name: &str) -> Result<String> {
    Ok(r.opt_str("slug")?
        .unwrap_or_else(|| dateline_core::slug::slugify(name)))
}

fn read_newsletter(r: &Record<'_>) -> Result<Newsletter> {
    let name = r.str("name")?;
    let created_at = r.time("created_at")?;
    Ok(Newsletter {
        id: r.id("id")?,
        uuid: r
            .opt_str("uuid")?
            .unwrap_or_else(dateline_core::id::new_uuid),
        slug: slug_or_name(r, &name)?,
        name,
        description: r.opt_str("description")?,
        sender_name: r.opt_str("sender_name")?,
        sender_email: r.opt_str("sender_email")?,
        sender_reply_to: r.opt_str("sender_reply_to")?.filter(|a| a.contains('@')),
        footer_content: r.opt_str("footer_content")?,
        subscribe_on_signup: r.flag("subscribe_on_signup", true)?,
        status: one_of(r, "status", &["active", "archived"])?,
        sort_order: r.number("sort_order")?,
        header_image: r.opt_str("header_image")?,
        show_feature_image: r.flag("show_feature_image", true)?,
        updated_at: r.opt_time("updated_at")?.unwrap_or(created_at),
        created_at,
    })
}

fn read_tier(r: &Record<'_>) -> Result<Tier> {
    let name = r.str("name")?;
    let created_at = r.time("created_at")?;
    let prices = r
        .opt_str("currency")?
        .map(|currency| {
            Ok(TierPrices {
                currency,
                monthly_price: opt_number(r, "monthly_price")?,
                yearly_price: opt_number(r, "yearly_price")?,
            })
        })
        .transpose()?;
    Ok(Tier {
        id: r.id("id")?.to_string(),
        slug: slug_or_name(r, &name)?,
        name,
        description: r.opt_str("description")?,
        active: r.flag("active", true)?,
        tier_type: one_of(r, "type", &["paid", "free"])?,
        visibility: one_of(r, "visibility", &["none", "public"])?,
        welcome_page_url: r.opt_str("welcome_page_url")?,
        trial_days: r.number("trial_days")?,
        prices,
        updated_at: r.opt_time("updated_at")?.unwrap_or(created_at),
        created_at,
    })
}

fn read_theme_setting(r: &Record<'_>) -> Result<(String, CustomValue)> {
    Ok((
        r.str("theme")?,
        CustomValue {
            key: r.str("key")?,
            kind: one_of(r, "type", &["text", "select", "boolean", "color", "image"])?,
            value: r.opt_str("value")?,
        },
    ))
}

fn read_label(r: &Record<'_>) -> Result<Label> {
    let name = r.str("name")?;
    let created_at = r.time("created_at")?;
    Ok(Label {
        id: r.id("id")?,
        slug: slug_or_name(r, &name)?,
        name,
        updated_at: r.opt_time("updated_at")?.unwrap_or(created_at),
        created_at,
    })
}

fn read_member(r: &Record<'_>) -> Result<Member> {
    // Addresses are kept in lower case, as the admin and sign-ups store them, so a merge by
    // address finds the member here whatever the case in the file.
    let email = r.str("email")?.trim().to_lowercase();
    if !email.contains('@') {
        return Err(r.error("email", format!("`{email}` is not an email address")));
    }
    let created_at = r.time("created_at")?;
    Ok(Member {
        id: r.id("id")?,
        uuid: r
            .opt_str("uuid")?
            .unwrap_or_else(dateline_core::id::new_uuid),
        email,
        name: r.opt_str("name")?.filter(|n| !n.is_empty()),
        note: r.opt_str("note")?.filter(|n| !n.is_empty()),
        status: one_of(r, "status", &["free", "paid", "comped"])?,
        email_disabled: r.flag("email_disabled", false)?,
        updated_at: r.opt_time("updated_at")?.unwrap_or(created_at),
        created_at,
    })
}

/// Fills each member's subscriptions and ordered labels. As with posts' links, a link to a
/// record the file does not contain is left out with a warning.
fn attach_member_links(
    data: &Tables<'_>,
    members: &mut [MemberRecord],
    newsletters: &[Newsletter],
    labels: &[Label],
    warnings: &mut Vec<String>,
) -> Result<()> {
    let index: HashMap<&str, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.member.id.as_str(), i))
        .collect();
    let newsletter_ids: HashSet<&str> = newsletters.iter().map(|n| n.id.as_str()).collect();
    let label_ids: HashSet<&str> = labels.iter().map(|l| l.id.as_str()).collect();
    let mut found: Vec<(usize, i64, usize, bool, ObjectId)> = Vec::new();
    for (table, field, known) in [
        ("members_newsletters", "newsletter_id", &newsletter_ids),
        ("members_labels", "label_id", &label_ids),
    ] {
        for (seq, r) in records(data, table)?.enumerate() {
            let member_id = r.str("member_id")?;
            let target = r.id(field)?;
            let Some(&member) = index.get(member_id.as_str()) else {
                warnings.push(format!(
                    "{table}[{}]: member `{member_id}` is not in the file; link skipped",
                    r.index
                ));
                continue;
            };
            if !known.contains(target.as_str()) {
                warnings.push(format!(
                    "{table}[{}]: {field} `{target}` is not in the file; link skipped",
                    r.index
                ));
                continue;
            }
            let is_label = table == "members_labels";
            let order = if is_label { r.number("sort_order")? } else { 0 };
            found.push((member, order, seq, is_label, target));
        }
    }
    found.sort_by_key(|(member, order, seq, is_label, _)| (*member, *is_label, *order, *seq));
    for (member, _, _, is_label, target) in found {
        let record = &mut members[member];
        let list = if is_label {
            &mut record.label_ids
        } else {
            &mut record.newsletter_ids
        };
        if !list.contains(&target) {
            list.push(target);
        }
    }
    Ok(())
}
