//! Slowing down password guessing. Every way a person signs in with a password (the admin's
//! login page, Ghost's `POST /ghost/api/admin/session/`) goes through
//! [`App::sign_in_limited`], so one budget of failures covers both doors.
//!
//! Two budgets are kept, as Ghost's brute-force limiter keeps them: failures per account (a
//! guesser cycling passwords for one editor) and failures per client address (one machine
//! trying many accounts). When either is spent, further attempts are refused before the
//! password is even checked, until the oldest failure in the window ages out; the refusal
//! says how long that is, for a `Retry-After` header. A correct password clears its account's
//! budget, but not the address's, so signing in to one's own account does not open a window
//! for guessing others from the same machine.
//!
//! The failures live in the database (`login_failures`), not in one node's memory: nodes
//! behind a load balancer share one budget, so adding a node does not add guesses, and a
//! restart does not forget them. Rows older than the window are deleted whenever a failure is
//! recorded, so a flood of made-up emails holds at most one window of rows.

use std::time::Duration;

use dateline_core::user::User;
use dateline_store::Store;
use dateline_store::login_failures::{self, Counted};
use jiff::{SignedDuration, Timestamp};

use crate::{App, AppError};

/// Failed attempts allowed for one account within [`WINDOW`].
pub const ACCOUNT_LIMIT: usize = 5;

/// Failed attempts allowed from one client address within [`WINDOW`], across accounts.
pub const ADDRESS_LIMIT: usize = 20;

/// How long a failure counts against its budgets.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// One kind of attempt's budgets, kept in the database under its purpose (`login` for
/// passwords, `reset` for reset links), so the two never spend each other's.
#[derive(Clone)]
pub struct LoginThrottle {
    store: Store,
    purpose: &'static str,
}

/// Why a sign-in did not happen.
#[derive(Debug)]
pub enum SignInRefusal {
    /// Too many recent failures for this account or address; nothing was checked.
    TooManyAttempts { retry_after: Duration },
    /// The sign-in itself failed (wrong password, or the database).
    Failed(AppError),
}

impl From<AppError> for SignInRefusal {
    fn from(err: AppError) -> Self {
        SignInRefusal::Failed(err)
    }
}

impl LoginThrottle {
    /// The budgets of `purpose` in `store`.
    pub fn new(store: Store, purpose: &'static str) -> Self {
        LoginThrottle { store, purpose }
    }

    /// How long to wait before `email` may be tried again from `address`; `None` when both
    /// budgets have room.
    pub async fn retry_after(
        &self,
        email: &str,
        address: &str,
        now: Timestamp,
    ) -> crate::Result<Option<Duration>> {
        let since = window_start(now);
        let account = account(email);
        let mut db = self.store.reader().await?;
        let mut wait = None;
        for (key, limit) in [
            (Counted::Account(&account), ACCOUNT_LIMIT),
            (Counted::Address(address), ADDRESS_LIMIT),
        ] {
            let times = login_failures::since(&mut db, self.purpose, key, since).await?;
            wait = wait.max(wait_for(&times, limit, now));
        }
        Ok(wait)
    }

    /// Counts a failure for `email` from `address`.
    pub async fn record_failure(
        &self,
        email: &str,
        address: &str,
        now: Timestamp,
    ) -> crate::Result<()> {
        let mut tx = self.store.begin().await?;
        login_failures::record(
            &mut tx,
            self.purpose,
            &account(email),
            address,
            now,
            window_start(now),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the failures of `email` after it signed in.
    pub async fn clear_account(&self, email: &str) -> crate::Result<()> {
        let mut tx = self.store.begin().await?;
        login_failures::clear_account(&mut tx, self.purpose, &account(email)).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Where the window that ends at `now` starts.
fn window_start(now: Timestamp) -> Timestamp {
    let window = SignedDuration::try_from(WINDOW).unwrap_or(SignedDuration::ZERO);
    now.checked_sub(window).unwrap_or(now)
}

/// How long until one more attempt fits a budget of `limit` failures in the window, given the
/// `recent` failures (oldest first, all inside the window); `None` while it fits now.
fn wait_for(recent: &[Timestamp], limit: usize, now: Timestamp) -> Option<Duration> {
    if recent.len() < limit {
        return None;
    }
    // The attempt that would fit again is the one after the oldest counted failure ages out.
    let oldest = recent[recent.len() - limit];
    let age = Duration::try_from(now.duration_since(oldest)).unwrap_or(Duration::ZERO);
    Some(WINDOW.saturating_sub(age))
}

/// Emails are compared as Ghost compares them: case does not make a second account.
fn account(email: &str) -> String {
    email.trim().to_lowercase()
}

impl App {
    /// [`App::sign_in`] held to the login budgets: refused outright while `email` or `address`
    /// (the client's IP address) has too many recent failures, and a wrong password counted.
    pub async fn sign_in_limited(
        &self,
        email: &str,
        password: &str,
        address: &str,
    ) -> Result<User, SignInRefusal> {
        let now = dateline_core::time::now();
        if let Some(retry_after) = self.login_throttle.retry_after(email, address, now).await? {
            return Err(SignInRefusal::TooManyAttempts { retry_after });
        }
        match self.sign_in(email, password).await {
            Ok(user) => {
                self.login_throttle.clear_account(email).await?;
                Ok(user)
            }
            Err(AppError::BadCredentials) => {
                self.login_throttle
                    .record_failure(email, address, dateline_core::time::now())
                    .await?;
                Err(SignInRefusal::Failed(AppError::BadCredentials))
            }
            Err(other) => Err(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + seconds).unwrap()
    }

    #[test]
    fn a_budget_waits_for_its_oldest_counted_failure() {
        let times: Vec<Timestamp> = (0..5).map(at).collect();
        assert_eq!(wait_for(&times[..4], 5, at(60)), None);
        assert_eq!(
            wait_for(&times, 5, at(60)),
            Some(WINDOW - Duration::from_secs(60))
        );
        // With more failures than the budget, the one that frees a slot is `limit` back.
        let more: Vec<Timestamp> = (0..7).map(at).collect();
        assert_eq!(
            wait_for(&more, 5, at(60)),
            Some(WINDOW - Duration::from_secs(58))
        );
    }

    #[test]
    fn accounts_ignore_case_and_spaces() {
        assert_eq!(account(" Ed@X.com"), "ed@x.com");
    }
}
