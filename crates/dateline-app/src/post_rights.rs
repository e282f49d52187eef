//! Who may write or delete which story, as Ghost's post model decides it (`permissible` in
//! `models/post.js` and `relations/authors.js`): editors and above may do anything; authors
//! publish their own stories; contributors write drafts of their own and nothing else.
//! [`App::save_post`](crate::App::save_post) applies these inside its transaction, so every
//! path that saves a story (Admin API, admin, scripts) is held to the same rules.

use dateline_core::post::{Post, PostStatus};
use dateline_core::role::Role;
use dateline_core::user::User;

use crate::{AppError, Result};

/// Whether `actor` may save `after` over `before` (`None` for a new story).
pub fn check_write(actor: &User, before: Option<&Post>, after: &Post) -> Result<()> {
    if actor.role >= Role::Editor {
        return Ok(());
    }
    let contributor = actor.role == Role::Contributor;
    match before {
        None => {
            if after.author_ids.first() != Some(&actor.id) {
                return Err(AppError::no_permission(
                    "You can only create posts with yourself as the primary author.",
                ));
            }
        }
        Some(before) => {
            if !before.author_ids.contains(&actor.id) {
                return Err(AppError::no_permission(
                    "You can only edit posts you are an author of.",
                ));
            }
            if before.author_ids != after.author_ids {
                return Err(AppError::no_permission(
                    "Only editors and administrators can change a post's authors.",
                ));
            }
            if before.visibility != after.visibility {
                return Err(AppError::no_permission(
                    "Only editors and administrators can change a post's access.",
                ));
            }
            if contributor && before.status != PostStatus::Draft {
                return Err(AppError::no_permission(
                    "Contributors can only edit drafts.",
                ));
            }
        }
    }
    if contributor && after.status != PostStatus::Draft {
        return Err(AppError::no_permission(
            "Contributors save drafts; an editor publishes them.",
        ));
    }
    Ok(())
}

/// Whether `actor` may delete `post`: authors their own stories, contributors their own drafts.
pub fn check_delete(actor: &User, post: &Post) -> Result<()> {
    if actor.role >= Role::Editor {
        return Ok(());
    }
    if post.author_ids.first() != Some(&actor.id) {
        return Err(AppError::no_permission(
            "You can only delete posts you are the primary author of.",
        ));
    }
    if actor.role == Role::Contributor && post.status != PostStatus::Draft {
        return Err(AppError::no_permission(
            "Contributors can only delete drafts.",
        ));
    }
    Ok(())
}
