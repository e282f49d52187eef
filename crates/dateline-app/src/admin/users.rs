//! Staff users through the Admin API: every role may list and read the team (Ghost's
//! permissions for `user`: browse and read for everyone).

use dateline_core::id::ObjectId;
use dateline_core::user::User;
use dateline_store::filter::{self, Resource};
use dateline_store::{posts, users};

use super::Actor;
use crate::content::{ListQuery, Listing, compile_filter, count_map, paginate};
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
        let mut all = users::all(&mut db).await?;
        if let Some(f) = compile_filter(query.filter.as_deref(), Resource::Authors, 1)? {
            let keep = filter::matching_ids(&mut db, Resource::Authors, &f).await?;
            all.retain(|u| keep.contains(&u.id));
        }
        let items = all
            .into_iter()
            .map(|u| {
                let n = counts.get(u.id.as_str()).copied().unwrap_or(0);
                (u, n)
            })
            .collect();
        Ok(paginate(items, query))
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
