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
//! The counts live in memory: they are per node and forgotten on restart, which costs an
//! attacker nothing they could not get by waiting out the window, and keeps a table of
//! attacker-chosen keys out of the database.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dateline_core::user::User;

use crate::{App, AppError};

/// Failed attempts allowed for one account within [`WINDOW`].
pub const ACCOUNT_LIMIT: usize = 5;

/// Failed attempts allowed from one client address within [`WINDOW`], across accounts.
pub const ADDRESS_LIMIT: usize = 20;

/// How long a failure counts against its budgets.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Past this many tracked keys, keys whose failures all aged out are dropped, so a flood of
/// made-up emails cannot grow the table without end.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(String),
}

/// The failure counts, shared by every clone of the [`App`].
#[derive(Debug, Clone, Default)]
pub struct LoginThrottle {
    failures: Arc<Mutex<HashMap<Key, VecDeque<Instant>>>>,
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
    /// How long to wait before `email` may be tried again from `address`; `None` when both
    /// budgets have room.
    pub fn retry_after(&self, email: &str, address: &str, now: Instant) -> Option<Duration> {
        let failures = self.lock();
        [
            (account(email), ACCOUNT_LIMIT),
            (Key::Address(address.to_owned()), ADDRESS_LIMIT),
        ]
        .into_iter()
        .filter_map(|(key, limit)| {
            let times = failures.get(&key)?;
            let recent: Vec<&Instant> = times
                .iter()
                .filter(|t| now.duration_since(**t) < WINDOW)
                .collect();
            // The attempt that would fit again is the one after the oldest counted failure
            // ages out.
            (recent.len() >= limit).then(|| {
                let oldest = recent[recent.len() - limit];
                WINDOW.saturating_sub(now.duration_since(*oldest))
            })
        })
        .max()
    }

    /// Counts a wrong password for `email` from `address`.
    pub fn record_failure(&self, email: &str, address: &str, now: Instant) {
        let mut failures = self.lock();
        if failures.len() > PRUNE_ABOVE {
            failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
        }
        for key in [account(email), Key::Address(address.to_owned())] {
            let times = failures.entry(key).or_default();
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) >= WINDOW)
            {
                times.pop_front();
            }
            times.push_back(now);
        }
    }

    /// Forgets the failures of `email` after it signed in.
    pub fn clear_account(&self, email: &str) {
        self.lock().remove(&account(email));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, VecDeque<Instant>>> {
        // A panic while holding the lock leaves plain counts behind, still usable.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Emails are compared as Ghost compares them: case does not make a second account.
fn account(email: &str) -> Key {
    Key::Account(email.trim().to_lowercase())
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
        if let Some(retry_after) = self
            .login_throttle
            .retry_after(email, address, Instant::now())
        {
            return Err(SignInRefusal::TooManyAttempts { retry_after });
        }
        match self.sign_in(email, password).await {
            Ok(user) => {
                self.login_throttle.clear_account(email);
                Ok(user)
            }
            Err(AppError::BadCredentials) => {
                self.login_throttle
                    .record_failure(email, address, Instant::now());
                Err(SignInRefusal::Failed(AppError::BadCredentials))
            }
            Err(other) => Err(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_refused_after_its_budget_until_the_window_passes() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        for i in 0..ACCOUNT_LIMIT {
            assert_eq!(throttle.retry_after("Ed@x.com", "1.2.3.4", start), None);
            throttle.record_failure("ed@x.com", "1.2.3.4", start + Duration::from_secs(i as u64));
        }
        let now = start + Duration::from_secs(60);
        let wait = throttle.retry_after(" ED@x.com", "5.6.7.8", now).unwrap();
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        assert_eq!(throttle.retry_after("other@x.com", "5.6.7.8", now), None);
        assert_eq!(
            throttle.retry_after("ed@x.com", "5.6.7.8", start + WINDOW),
            None
        );
        throttle.clear_account("ed@x.com");
        assert_eq!(throttle.retry_after("ed@x.com", "5.6.7.8", now), None);
    }

    #[test]
    fn an_address_is_refused_across_accounts() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..ADDRESS_LIMIT {
            throttle.record_failure(&format!("u{i}@x.com"), "1.2.3.4", now);
        }
        assert!(throttle.retry_after("new@x.com", "1.2.3.4", now).is_some());
        assert_eq!(throttle.retry_after("new@x.com", "9.9.9.9", now), None);
    }
}
