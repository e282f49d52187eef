//! Staff users through the Admin API: every role may list and read the team (Ghost's
//! permissions for `user`: browse and read for everyone).

use dateline_core::id::ObjectId;
use dateline_core::user::User;
use dateline_store::filter::Resource;
use dateline_store::{posts, users};

use super::Actor;
use crate::content::{ListQuery, Listing, count_map, counted_listing};
use crate::{App, Result};

/// How a single staff user is asked for.
pub enum UserKey<'a> {
    Id(&'a str),
    Slug(&'a str),
    Email(&'a str),
    /// The signed-in staff member; an integration is nobody.
    Me,
}

impl App {
    /// Every staff user, suspended ones too, with their number of published posts.
    pub async fn staff_users(&self, query: &ListQuery) -> Result<Listing<(User, u64)>> {
        let mut db = self.store.reader().await?;
        let counts = count_map(posts::published_count_by_author(&mut db).await?);
        let all = users::all(&mut db).await?;
        counted_listing(&mut db, all, |u| &u.id, &counts, Resource::Authors, query).await
    }

    pub async fn staff_user(&self, actor: &Actor, key: UserKey<'_>) -> Result<Option<(User, u64)>> {
        let mut db = self.store.reader().await?;
        let user = match key {
            UserKey::Id(id) => match ObjectId::parse(id) {
                Ok(id) => users::by_id(&mut db, &id).await?,
                Err(_) => None,
            },
            UserKey::Slug(slug) => users::by_slug(&mut db, slug).await?,
            UserKey::Email(email) => users::by_email(&mut db, email).await?,
            UserKey::Me => match actor {
                Actor::Staff(me) => users::by_id(&mut db, &me.id).await?,
                Actor::Integration { .. } => None,
            },
        };
        let Some(user) = user else { return Ok(None) };
        let counts = count_map(posts::published_count_by_author(&mut db).await?);
        let n = counts.get(user.id.as_str()).copied().unwrap_or(0);
        Ok(Some((user, n)))
    }
}
