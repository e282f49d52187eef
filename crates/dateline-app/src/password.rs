//! Staff passwords: Argon2id for everything Dateline hashes, and bcrypt (Ghost's) accepted so
//! that staff moving from Ghost keep their passwords; a bcrypt hash is replaced by an Argon2id
//! one at the first successful sign-in.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::AppError;

/// Marks an account that has no usable password (imported without one): nothing verifies.
pub const NO_PASSWORD: &str = "!";

/// Argon2id with OWASP's 2023 minimum (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

pub fn hash(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    dateline_core::id::fill_random(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Hashing(e.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Hashing(e.to_string()))
}

/// The outcome of checking a password against a stored hash.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Correct, but stored in an older scheme: store [`hash`] of it instead.
    YesRehash,
}

pub fn verify(password: &str, stored: &str) -> Verified {
    if is_bcrypt(stored) {
        return match bcrypt::verify(password, stored) {
            Ok(true) => Verified::YesRehash,
            _ => Verified::No,
        };
    }
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verified::No;
    };
    match argon2().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Verified::Yes,
        Err(_) => Verified::No,
    }
}

fn is_bcrypt(stored: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"]
        .iter()
        .any(|prefix| stored.starts_with(prefix))
}

/// Ghost's own rule for staff passwords: at least 10 characters.
pub fn check_strength(password: &str) -> Result<(), AppError> {
    if password.chars().count() < 10 {
        return Err(AppError::invalid(
            "password",
            "must be at least 10 characters long",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert_eq!(verify("correct horse battery", &h), Verified::Yes);
        assert_eq!(verify("wrong", &h), Verified::No);
    }

    #[test]
    fn ghost_bcrypt_hash_verifies_and_asks_for_rehash() {
        // From the Ghost 5.130 fixture export; its README gives the password.
        let ghost = "$2a$10$3BB2.Mr8Sh1uj0hcCu9UmeXrPYxbtcx6J3BCt/8C7GReV/mYVLJZC";
        assert_eq!(verify("EditorialDesk!2025pw", ghost), Verified::YesRehash);
        assert_eq!(verify("nope", ghost), Verified::No);
    }

    #[test]
    fn no_password_never_verifies() {
        assert_eq!(verify("", NO_PASSWORD), Verified::No);
        assert_eq!(verify("!", NO_PASSWORD), Verified::No);
    }
}
