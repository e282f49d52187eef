//! Importing a Ghost export into this site, in one transaction.
//!
//! Importing is idempotent: records whose id is already here are left alone, tags are matched
//! by slug and staff by email, so importing the same file twice changes nothing. A record that
//! collides with different content here (a post slug taken by another post) is kept under a
//! free slug, as Ghost's importer does.

use std::collections::HashMap;

use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_store::{posts, settings, tags, users};

use crate::ghost_json::{SiteData, read};
use crate::{App, AppError, ContentChanged, Result, unique_slug};

/// What an import did, for the summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// What the file had that could not be kept, one line each.
    pub warnings: Vec<String>,
    pub posts_added: u64,
    pub pages_added: u64,
    pub posts_skipped: u64,
    pub tags_added: u64,
    pub tags_matched: u64,
    pub users_added: u64,
    pub users_matched: u64,
    pub settings_written: u64,
}

/// Called with (records done, records in the file) as the import goes.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Send + Sync);

impl App {
    /// Checks the whole file first, then writes it in one transaction: a bad file or a crash
    /// part-way leaves the database as it was.
    pub async fn import_ghost(&self, bytes: &[u8], progress: Progress<'_>) -> Result<ImportReport> {
        let mut site = read::parse(bytes)?;
        let warnings = std::mem::take(&mut site.warnings);
        let mut report = self.write_site(site, progress).await?;
        report.warnings = warnings;
        self.events.emit(ContentChanged::Everything);
        Ok(report)
    }

    async fn write_site(&self, site: SiteData, progress: Progress<'_>) -> Result<ImportReport> {
        let total = site.record_count();
        let mut done = 0u64;
        let tick = |n: &mut u64| {
            *n += 1;
            if n.is_multiple_of(64) || *n == total {
                progress(*n, total);
            }
        };
        let now = dateline_core::time::now();
        let mut report = ImportReport::default();
        let mut tx = self.store.begin().await?;
        progress(0, total);

        let mut user_ids: HashMap<ObjectId, ObjectId> = HashMap::new();
        let site_has_owner = users::owner_exists(&mut tx).await?;
        for (user_index, mut user) in site.users.into_iter().enumerate() {
            let here = match users::by_id(&mut tx, &user.id).await? {
                Some(existing) => Some(existing.id),
                None => users::by_email(&mut tx, &user.email).await?.map(|u| u.id),
            };
            match here {
                Some(id) => {
                    report.users_matched += 1;
                    user_ids.insert(user.id.clone(), id);
                }
                None => {
                    if site_has_owner && user.role == Role::Owner {
                        user.role = Role::Administrator;
                    }
                    if users::slug_taken(&mut tx, &user.slug).await? {
                        user.slug = unique_slug::user(&mut tx, &user.name).await?;
                    }
                    users::insert(&mut tx, &user)
                        .await
                        .map_err(|e| conflict("users", user_index, &user.id, e))?;
                    report.users_added += 1;
                    user_ids.insert(user.id.clone(), user.id);
                }
            }
            tick(&mut done);
        }

        let mut tag_ids: HashMap<ObjectId, ObjectId> = HashMap::new();
        // Parents first, so a child's parent_id always points at a stored tag.
        let (roots, children): (Vec<_>, Vec<_>) =
            site.tags.into_iter().partition(|t| t.parent_id.is_none());
        for mut tag in roots.into_iter().chain(children) {
            let here = match tags::by_id(&mut tx, &tag.id).await? {
                Some(existing) => Some(existing.id),
                None => tags::by_slug(&mut tx, &tag.slug).await?.map(|t| t.id),
            };
            match here {
                Some(id) => {
                    report.tags_matched += 1;
                    tag_ids.insert(tag.id.clone(), id);
                }
                None => {
                    tag.parent_id = tag.parent_id.and_then(|p| tag_ids.get(&p).cloned());
                    tags::insert(&mut tx, &tag).await?;
                    report.tags_added += 1;
                    tag_ids.insert(tag.id.clone(), tag.id);
                }
            }
            tick(&mut done);
        }

        let fallback_author = first_owner(&mut tx).await?;
        for (post_index, mut post) in site.posts.into_iter().enumerate() {
            if posts::exists(&mut tx, &post.id).await? {
                report.posts_skipped += 1;
                tick(&mut done);
                continue;
            }
            if posts::slug_taken(&mut tx, &post.slug).await? {
                post.slug = unique_slug::post(&mut tx, &post.slug).await?;
            }
            post.tag_ids = remap(&post.tag_ids, &tag_ids);
            post.author_ids = remap(&post.author_ids, &user_ids);
            if post.author_ids.is_empty() {
                post.author_ids.extend(fallback_author.clone());
            }
            posts::insert(&mut tx, &post)
                .await
                .map_err(|e| conflict("posts", post_index, &post.id, e))?;
            match post.post_type {
                dateline_core::post::PostType::Post => report.posts_added += 1,
                dateline_core::post::PostType::Page => report.pages_added += 1,
            }
            tick(&mut done);
        }

        for setting in &site.settings {
            if settings::upsert(&mut tx, setting, now).await? {
                report.settings_written += 1;
            }
            tick(&mut done);
        }
        tx.commit().await?;
        progress(total, total);
        Ok(report)
    }
}

/// A record the file allows but this site refuses (a unique uuid or email already taken):
/// named by its place in the file, with the database's reason.
fn conflict(
    table: &'static str,
    index: usize,
    id: &ObjectId,
    err: dateline_store::StoreError,
) -> AppError {
    if err.is_unique_violation() {
        AppError::Conflict {
            record: format!("{table}[{index}] (id {id})"),
            reason: err.to_string(),
        }
    } else {
        AppError::Store(err)
    }
}

fn remap(ids: &[ObjectId], map: &HashMap<ObjectId, ObjectId>) -> Vec<ObjectId> {
    let mut out: Vec<ObjectId> = Vec::with_capacity(ids.len());
    for id in ids.iter().filter_map(|id| map.get(id)) {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

async fn first_owner(db: &mut impl dateline_store::Db) -> Result<Option<ObjectId>> {
    Ok(users::all(db)
        .await?
        .into_iter()
        .find(|u| u.role == Role::Owner)
        .map(|u| u.id))
}
