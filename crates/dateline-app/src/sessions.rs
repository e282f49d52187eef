//! Staff sessions: what signing in through the Admin API (`POST /ghost/api/admin/session/`)
//! creates. The browser keeps a random token in a cookie; the database keeps only its SHA-256,
//! so neither a leaked backup nor a read-only SQL injection can be turned into a sign-in.
//! A session lasts [`SESSION_LIFETIME`] from sign-in (Ghost's `admin:sessionMaxAge`), and is
//! bound to the origin it was created from, which every later request must repeat.

use dateline_core::user::User;
use dateline_store::sessions::{self, StaffSession};
use dateline_store::users;
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

use crate::{App, Result};

/// Ghost's default `admin:sessionMaxAge`: 180 days.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(180 * 24);

/// A session just created: the token goes to the client once and is never seen again.
#[derive(Debug)]
pub struct NewSession {
    pub token: String,
    pub expires_at: Timestamp,
}

/// A live session and whom it signs in.
#[derive(Debug)]
pub struct Session {
    pub user: User,
    /// The origin (`https://example.com`) the session was created from.
    pub origin: String,
}

impl App {
    /// Opens a session for `user`, who has just proved their password.
    pub async fn start_session(
        &self,
        user: &User,
        origin: &str,
        user_agent: Option<&str>,
        now: Timestamp,
    ) -> Result<NewSession> {
        let token = dateline_core::id::random_hex(32);
        let expires_at = now.saturating_add(SESSION_LIFETIME).unwrap_or(now);
        let mut tx = self.store.begin().await?;
        // Signing in is rare enough to be the moment to forget sessions that ran out.
        sessions::delete_expired(&mut tx, now).await?;
        sessions::insert(
            &mut tx,
            &StaffSession {
                token_hash: token_hash(&token),
                user_id: user.id.clone(),
                origin: origin.to_owned(),
                user_agent: user_agent.map(str::to_owned),
                created_at: now,
                expires_at,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(NewSession { token, expires_at })
    }

    /// The session a cookie token names, if it is live at `now` and its user may still sign in.
    /// An expired session is deleted on the way.
    pub async fn session(&self, token: &str, now: Timestamp) -> Result<Option<Session>> {
        let hash = token_hash(token);
        let mut db = self.store.reader().await?;
        let Some(stored) = sessions::by_token_hash(&mut db, &hash).await? else {
            return Ok(None);
        };
        if stored.expires_at <= now {
            drop(db);
            let mut tx = self.store.begin().await?;
            sessions::delete(&mut tx, &hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        let user = users::by_id(&mut db, &stored.user_id)
            .await?
            .filter(crate::auth::may_sign_in);
        Ok(user.map(|user| Session {
            user,
            origin: stored.origin,
        }))
    }

    /// Signs out: the token stops working at once.
    pub async fn end_session(&self, token: &str) -> Result<()> {
        let mut tx = self.store.begin().await?;
        sessions::delete(&mut tx, &token_hash(token)).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// What the database keeps of a secret token (sessions, magic links, reset and invitation
/// links): its SHA-256, so a stolen copy of the database opens nothing. The tokens are random
/// and long, so no salt or slow hash is needed.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
