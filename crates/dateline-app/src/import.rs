//! Importing a Ghost export into this site, in one transaction.
//!
//! Importing is idempotent: records whose id is already here are left alone, tags are matched
//! by slug and staff by email, so importing the same file twice changes nothing. A record that
//! collides with different content here (a post slug taken by another post) is kept under a
//! free slug, as Ghost's importer does.
//!
//! Posts are written in batches ([`BATCH`]): one query finds which of a batch's ids and slugs
//! are here already, and multi-row `INSERT`s write the rest, so a PostgreSQL import is not one
//! round trip per row. Each batch runs inside a savepoint: when the database refuses it (a
//! post's uuid is taken), the batch is undone and written post by post to name the post.
//!
//! Each post written gets its first revision in the same batch ([`crate::revisions::IMPORTED`],
//! dated at the import), so history and restore work for imported stories at once.
//!
//! The readers' side (newsletters, tiers, themes' custom settings, labels, members) follows the
//! settings in the same transaction: see [`membership`].

use std::collections::HashMap;

use dateline_core::id::ObjectId;
use dateline_core::post::{Post, PostType};
use dateline_core::role::Role;
use dateline_store::{Tx, posts, settings, tags, users};
use jiff::Timestamp;

use crate::ghost_json::read::{self, Export};
use crate::{App, AppError, ContentChanged, Result, unique_slug};

mod membership;

/// Posts checked and written together. Each holds its body three times (HTML, Markdown, plain
/// text) until written, so this bounds the import's memory beyond the file itself.
const BATCH: usize = 200;

/// The savepoint around each batch of posts.
const BATCH_SAVEPOINT: &str = "import_batch";

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
    pub newsletters_added: u64,
    pub newsletters_matched: u64,
    pub tiers_added: u64,
    pub tiers_matched: u64,
    /// Values of themes' custom settings that were new or different.
    pub theme_settings_written: u64,
    pub labels_added: u64,
    pub labels_matched: u64,
    pub members_added: u64,
    /// Members here already (by id or email): merged, never duplicated.
    pub members_matched: u64,
}

/// Called with (records done, records in the file) as the import goes.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Send + Sync);

impl App {
    /// Checks the whole file first, then writes it in one transaction: a bad file or a crash
    /// part-way leaves the database as it was.
    pub async fn import_ghost(&self, bytes: &[u8], progress: Progress<'_>) -> Result<ImportReport> {
        let mut site = read::parse(bytes)?;
        let warnings = std::mem::take(&mut site.warnings);
        let mut report = self.write_site(&mut site, progress).await?;
        report.warnings = warnings;
        self.events.emit(ContentChanged::Everything);
        Ok(report)
    }

    async fn write_site(
        &self,
        site: &mut Export<'_>,
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
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
        for (user_index, mut user) in std::mem::take(&mut site.users).into_iter().enumerate() {
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
                        .map_err(|e| conflict("users", user_index, user.id.as_str(), e))?;
                    report.users_added += 1;
                    user_ids.insert(user.id.clone(), user.id);
                }
            }
            tick(&mut done);
        }

        let mut tag_ids: HashMap<ObjectId, ObjectId> = HashMap::new();
        // Parents first, so a child's parent_id always points at a stored tag.
        let (roots, children): (Vec<_>, Vec<_>) = std::mem::take(&mut site.tags)
            .into_iter()
            .partition(|t| t.parent_id.is_none());
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

        let mut batch = PostBatch {
            imported_at: now,
            fallback_author: first_owner(&mut tx).await?,
            tag_ids: &tag_ids,
            user_ids: &user_ids,
            report: &mut report,
            posts: Vec::with_capacity(BATCH),
        };
        for (index, post) in site.posts().enumerate() {
            batch.posts.push((index, post?));
            if batch.posts.len() == BATCH {
                for _ in 0..batch.write(&mut tx).await? {
                    tick(&mut done);
                }
            }
        }
        for _ in 0..batch.write(&mut tx).await? {
            tick(&mut done);
        }

        for setting in &site.settings {
            if settings::upsert(&mut tx, setting, now).await? {
                report.settings_written += 1;
            }
            tick(&mut done);
        }

        let membership = std::mem::take(&mut site.membership);
        membership::write(&mut tx, membership, &mut report, &mut || tick(&mut done)).await?;
        tx.commit().await?;
        self.store.refresh_statistics().await?;
        progress(total, total);
        Ok(report)
    }
}

/// Posts read from the file and not yet written, with what writing them needs.
struct PostBatch<'a> {
    /// When the import ran: the date of each post's first revision.
    imported_at: Timestamp,
    fallback_author: Option<ObjectId>,
    tag_ids: &'a HashMap<ObjectId, ObjectId>,
    user_ids: &'a HashMap<ObjectId, ObjectId>,
    report: &'a mut ImportReport,
    /// With each post's place in the file's `posts` table.
    posts: Vec<(usize, Post)>,
}

impl PostBatch<'_> {
    /// Writes the batch's posts, leaving out those already here and renaming colliding slugs,
    /// then empties it. Returns how many posts it dealt with.
    async fn write(&mut self, tx: &mut Tx) -> Result<usize> {
        let batch = std::mem::take(&mut self.posts);
        let count = batch.len();
        let ids: Vec<&str> = batch.iter().map(|(_, p)| p.id.as_str()).collect();
        let slugs: Vec<&str> = batch.iter().map(|(_, p)| p.slug.as_str()).collect();
        let mut here = posts::existing_ids(tx, &ids).await?;
        // Slugs in use, here or earlier in this batch.
        let mut used = posts::taken_slugs(tx, &slugs).await?;
        let mut pending: Vec<(usize, Post)> = Vec::with_capacity(batch.len());
        for (index, mut post) in batch {
            // A second record with the same id is "already here", as it is once the first
            // is written.
            if !here.insert(post.id.to_string()) {
                self.report.posts_skipped += 1;
                continue;
            }
            if used.contains(&post.slug) {
                // The free slug is found in the database, so what is pending must be in it.
                write_posts(tx, &mut pending, self.imported_at).await?;
                post.slug = unique_slug::post(tx, &post.slug).await?;
            }
            used.insert(post.slug.clone());
            post.tag_ids = remap(&post.tag_ids, self.tag_ids);
            post.author_ids = remap(&post.author_ids, self.user_ids);
            if post.author_ids.is_empty() {
                post.author_ids.extend(self.fallback_author.clone());
            }
            match post.post_type {
                PostType::Post => self.report.posts_added += 1,
                PostType::Page => self.report.pages_added += 1,
            }
            pending.push((index, post));
        }
        write_posts(tx, &mut pending, self.imported_at).await?;
        Ok(count)
    }
}

/// Inserts `pending` in as few statements as the store allows, then empties it. When the
/// database refuses the batch, the savepoint undoes it and the posts are inserted one by one,
/// so the error names the post that caused it. Each post written gets its first revision, dated
/// `imported_at`.
async fn write_posts(
    tx: &mut Tx,
    pending: &mut Vec<(usize, Post)>,
    imported_at: Timestamp,
) -> Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    let (indices, posts_only): (Vec<usize>, Vec<Post>) = pending.drain(..).unzip();
    tx.savepoint(BATCH_SAVEPOINT).await?;
    match posts::insert_many(tx, &posts_only).await {
        Ok(()) => {}
        Err(err) if err.is_unique_violation() => {
            tx.rollback_to(BATCH_SAVEPOINT).await?;
            for (index, post) in indices.iter().zip(&posts_only) {
                posts::insert(tx, post)
                    .await
                    .map_err(|e| conflict("posts", *index, post.id.as_str(), e))?;
            }
        }
        Err(err) => return Err(err.into()),
    }
    tx.release(BATCH_SAVEPOINT).await?;
    let ids: Vec<&str> = posts_only.iter().map(|p| p.id.as_str()).collect();
    crate::revisions::keep_imported(tx, &ids, imported_at).await
}

/// A record the file allows but this site refuses (a unique uuid or email already taken):
/// named by its place in the file, with the database's reason.
fn conflict(
    table: &'static str,
    index: usize,
    id: &str,
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
