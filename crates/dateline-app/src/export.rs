//! Exporting the site as a Ghost export file.

use std::collections::HashMap;

use dateline_core::id::ObjectId;
use dateline_store::{
    Db, custom_theme_settings, labels, members, newsletters, posts, settings, tags, tiers, users,
};
use serde_json::Value;

use crate::ghost_json::{MemberRecord, Membership, SiteData, write};
use crate::{App, Result};

/// Posts and members are read this many at a time, so an export never holds one huge result
/// set.
const BATCH: u32 = 500;

impl App {
    /// The whole site as a Ghost 5 export document. `progress` gets (posts read, posts total).
    pub async fn export_ghost(&self, progress: crate::import::Progress<'_>) -> Result<Value> {
        let mut db = self.store.reader().await?;
        let total = posts::count(&mut db, dateline_core::post::PostType::Post).await?
            + posts::count(&mut db, dateline_core::post::PostType::Page).await?;
        let mut site = SiteData {
            users: users::all(&mut db).await?,
            tags: tags::all(&mut db).await?,
            posts: Vec::new(),
            settings: settings::all(&mut db)
                .await?
                .0
                .into_values()
                .filter(|s| !crate::ghost_json::INSTALL_SETTINGS.contains(&s.key.as_str()))
                .collect(),
            membership: membership(&mut db).await?,
        };
        loop {
            let after = site.posts.last().map(|p| p.id.clone());
            let batch = posts::batch_after(&mut db, after.as_ref(), BATCH).await?;
            if batch.is_empty() {
                break;
            }
            site.posts.extend(batch);
            progress(site.posts.len() as u64, total);
        }
        Ok(write::to_json(&site, dateline_core::time::now()))
    }
}

async fn membership(db: &mut impl Db) -> Result<Membership> {
    let mut out = Membership {
        newsletters: newsletters::all(db).await?,
        tiers: tiers::stored(db).await?,
        theme_settings: custom_theme_settings::all(db).await?,
        labels: labels::all(db).await?,
        members: Vec::new(),
    };
    loop {
        let after = out
            .members
            .last()
            .map_or_else(String::new, |m| m.member.id.to_string());
        let page = members::page_after(db, &after, BATCH).await?;
        if page.is_empty() {
            break;
        }
        let ids: Vec<&str> = page.iter().map(|m| m.id.as_str()).collect();
        let mut subscribed: HashMap<String, Vec<ObjectId>> = HashMap::new();
        for (member, newsletter) in members::newsletter_links(db, &ids).await? {
            subscribed
                .entry(member)
                .or_default()
                .extend(ObjectId::parse(&newsletter).ok());
        }
        let mut labelled: HashMap<String, Vec<ObjectId>> = HashMap::new();
        for (member, label) in labels::for_members(db, &ids).await? {
            labelled.entry(member).or_default().push(label.id);
        }
        for member in page {
            let mut newsletter_ids = subscribed.remove(member.id.as_str()).unwrap_or_default();
            newsletter_ids.sort();
            out.members.push(MemberRecord {
                newsletter_ids,
                label_ids: labelled.remove(member.id.as_str()).unwrap_or_default(),
                member,
            });
        }
    }
    Ok(out)
}
