//! Signing staff in by email and password.

use dateline_core::user::User;
use dateline_store::users;

use crate::password::{self, Verified};
use crate::{App, AppError, Result};

impl App {
    /// Checks a staff member's email and password. A Ghost bcrypt hash that verifies is
    /// upgraded to Argon2id in the same call. Unknown email and wrong password give the same
    /// error, so the answer does not reveal who has an account.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<User> {
        let mut db = self.store.reader().await?;
        let user = users::by_email(&mut db, email.trim()).await?;
        drop(db);
        let Some(mut user) = user else {
            // Spend the same time as a real check so timing does not reveal who exists.
            let _ = password::verify(password, DUMMY_HASH);
            return Err(AppError::BadCredentials);
        };
        if !may_sign_in(&user) {
            return Err(AppError::BadCredentials);
        }
        match password::verify(password, &user.password_hash) {
            Verified::No => Err(AppError::BadCredentials),
            Verified::Yes => Ok(user),
            Verified::YesRehash => {
                let upgraded = password::hash(password)?;
                let mut tx = self.store.begin().await?;
                users::set_password_hash(&mut tx, &user.id, &upgraded, dateline_core::time::now())
                    .await?;
                tx.commit().await?;
                user.password_hash = upgraded;
                Ok(user)
            }
        }
    }
}

/// Ghost's active statuses: suspended (`inactive`) and `locked` staff cannot sign in, and their
/// sessions stop working.
pub(crate) fn may_sign_in(user: &User) -> bool {
    matches!(user.status.as_str(), "active" | "warn-1" | "warn-2")
}

/// An Argon2id hash of a random string, verified against when the email is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4ZYD1rK0zQ2lX1kqJ6n1V1i1gq0P0Jw0mX1b6yZ0h2s";
