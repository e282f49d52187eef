//! What the Admin API does, whoever asks: staff signed in with a session, or an integration with
//! its admin key. Every use case takes the [`Actor`] and applies Ghost's permissions for its role
//! before it reads or writes; the HTTP layer only finds out who is asking.

pub mod posts;
pub mod settings;
pub mod tags;
pub mod users;

use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_core::user::User;
use dateline_store::users as user_store;

use crate::{App, AppError, Result};

/// Who is making an Admin API request.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A staff member, with their own role.
    Staff(Box<User>),
    /// An integration's admin key. Ghost gives these its "Admin Integration" role: an
    /// administrator's rights over content, settings and staff, but never the owner's.
    Integration { id: ObjectId },
}

impl Actor {
    /// The role whose permissions apply.
    pub fn role(&self) -> Role {
        match self {
            Actor::Staff(user) => user.role,
            Actor::Integration { .. } => Role::Administrator,
        }
    }

    /// Refuses unless the actor's role is at least `least`.
    pub fn require(&self, least: Role) -> Result<()> {
        if self.role() >= least {
            Ok(())
        } else {
            Err(AppError::no_permission(format!(
                "This needs the {least} role or above."
            )))
        }
    }
}

impl App {
    /// The staff user a write is made as. An integration writes as the site's owner, as in
    /// Ghost, so its stories have an author and its HTML is trusted.
    pub(crate) async fn writer(&self, actor: &Actor) -> Result<User> {
        match actor {
            Actor::Staff(user) => Ok(user.as_ref().clone()),
            Actor::Integration { .. } => {
                let mut db = self.store.reader().await?;
                user_store::all(&mut db)
                    .await?
                    .into_iter()
                    .find(|u| u.role == Role::Owner)
                    .ok_or_else(|| {
                        AppError::invalid(
                            "authors",
                            "the site has no owner yet; run `dateline setup` first",
                        )
                    })
            }
        }
    }
}
