//! CSRF tokens for the admin. A signed-in page's token is derived from its session token,
//! which only the server and the HttpOnly cookie know, so it is bound to that session and
//! dies with it; a forged page on another site can neither read it nor guess it. The login
//! and setup pages, before any session, derive theirs from a random cookie of their own
//! (`dateline-admin-csrf`), which a forged form cannot set.

use sha2::{Digest, Sha256};

use crate::error::HttpError;
use axum::http::StatusCode;

/// The header the admin's scripts send the token in.
pub const HEADER: &str = "x-csrf-token";

/// The cookie behind the token of the pages shown before signing in.
pub const PRE_SESSION_COOKIE: &str = "dateline-admin-csrf";

/// The token that goes with `secret` (a session token, or the pre-session cookie).
pub fn token_for(secret: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(b"dateline admin csrf\0");
    hash.update(secret.as_bytes());
    hex::encode(hash.finalize())[..40].to_owned()
}

/// Refuses unless `sent` is `expected`, compared in constant time.
pub fn check(expected: &str, sent: &str) -> Result<(), HttpError> {
    let same = expected.len() == sent.len()
        && expected
            .bytes()
            .zip(sent.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same && !expected.is_empty() {
        return Ok(());
    }
    Err(HttpError::new(
        StatusCode::FORBIDDEN,
        "NoPermissionError",
        "This form has expired. Reload the page and try again.",
    )
    .with_context("The request did not carry this session's CSRF token."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_their_secret() {
        let a = token_for("session-a");
        assert_eq!(a.len(), 40);
        assert!(check(&a, &a).is_ok());
        assert!(check(&a, &token_for("session-b")).is_err());
        assert!(check(&a, "").is_err());
        assert!(check("", "").is_err());
    }
}
