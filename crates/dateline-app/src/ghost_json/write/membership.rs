//! Writing the readers' side of a site as Ghost 5 has it: `newsletters`, `products`,
//! `custom_theme_settings`, `labels`, `members`, `members_newsletters`, `members_labels`.
//! Ghost's importer fills the columns left out here (newsletter design, Stripe ids) with its
//! defaults; see `read::membership` for why Dateline keeps none of them.

use dateline_store::custom_theme_settings::CustomValue;
use dateline_store::labels::Label;
use dateline_store::members::Member;
use dateline_store::newsletters::Newsletter;
use dateline_store::tiers::Tier;
use serde_json::{Map, Value, json};

use super::{derived_id, time};
use crate::ghost_json::{MemberRecord, Membership};

pub(super) fn insert_tables(data: &mut Map<String, Value>, m: &Membership) {
    data.insert(
        "newsletters".into(),
        m.newsletters.iter().map(newsletter).collect(),
    );
    data.insert("products".into(), m.tiers.iter().map(tier).collect());
    data.insert(
        "custom_theme_settings".into(),
        m.theme_settings
            .iter()
            .map(|(theme, v)| theme_setting(theme, v))
            .collect(),
    );
    data.insert("labels".into(), m.labels.iter().map(label).collect());
    data.insert(
        "members".into(),
        m.members.iter().map(|r| member(&r.member)).collect(),
    );
    data.insert(
        "members_newsletters".into(),
        m.members.iter().flat_map(subscriptions).collect(),
    );
    data.insert(
        "members_labels".into(),
        m.members.iter().flat_map(member_labels).collect(),
    );
}

fn newsletter(n: &Newsletter) -> Value {
    json!({
        "id": n.id, "uuid": n.uuid, "name": n.name, "slug": n.slug,
        "description": n.description, "sender_name": n.sender_name,
        "sender_email": n.sender_email,
        // Ghost's word for "no reply-to of its own": replies go to the sender.
        "sender_reply_to": n.sender_reply_to.as_deref().unwrap_or("newsletter"),
        "status": n.status, "visibility": "members",
        "subscribe_on_signup": u8::from(n.subscribe_on_signup), "sort_order": n.sort_order,
        "header_image": n.header_image, "show_feature_image": u8::from(n.show_feature_image),
        "footer_content": n.footer_content,
        "created_at": time(n.created_at), "updated_at": time(n.updated_at),
    })
}

fn tier(t: &Tier) -> Value {
    let prices = t.prices.as_ref();
    json!({
        "id": t.id, "name": t.name, "slug": t.slug, "active": u8::from(t.active),
        "welcome_page_url": t.welcome_page_url, "visibility": t.visibility,
        "trial_days": t.trial_days, "description": t.description, "type": t.tier_type,
        "currency": prices.map(|p| &p.currency),
        "monthly_price": prices.and_then(|p| p.monthly_price),
        "yearly_price": prices.and_then(|p| p.yearly_price),
        "created_at": time(t.created_at), "updated_at": time(t.updated_at),
        "monthly_price_id": null, "yearly_price_id": null,
    })
}

fn theme_setting(theme: &str, v: &CustomValue) -> Value {
    json!({
        "id": derived_id(&format!("{theme}/{}", v.key), 'c'), "theme": theme, "key": v.key,
        "type": v.kind, "value": v.value,
    })
}

fn label(l: &Label) -> Value {
    json!({
        "id": l.id, "name": l.name, "slug": l.slug,
        "created_at": time(l.created_at), "updated_at": time(l.updated_at),
    })
}

fn member(m: &Member) -> Value {
    json!({
        "id": m.id, "uuid": m.uuid, "email": m.email, "status": m.status, "name": m.name,
        "note": m.note, "email_disabled": u8::from(m.email_disabled),
        "created_at": time(m.created_at), "updated_at": time(m.updated_at),
    })
}

fn subscriptions(r: &MemberRecord) -> impl Iterator<Item = Value> + '_ {
    r.newsletter_ids.iter().map(move |n| {
        json!({
            "id": derived_id(&format!("{}{n}", r.member.id), 'n'),
            "member_id": r.member.id, "newsletter_id": n,
        })
    })
}

fn member_labels(r: &MemberRecord) -> impl Iterator<Item = Value> + '_ {
    r.label_ids.iter().enumerate().map(move |(order, l)| {
        json!({
            "id": derived_id(&format!("{}{l}", r.member.id), 'l'),
            "member_id": r.member.id, "label_id": l, "sort_order": order,
        })
    })
}
