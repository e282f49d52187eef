//! Unsubscribe keys: an HMAC of the member's uuid under the site's secret, so a link works
//! without signing in but nobody can unsubscribe someone else by guessing.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The key for `member_uuid` under `secret`, as lowercase hex.
pub fn key(secret: &str, member_uuid: &str) -> String {
    // HMAC accepts keys of any length, so `mac` never fails; an empty key would verify nothing.
    mac(secret, member_uuid)
        .map(|m| hex::encode(m.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `key` is the one [`key`] gives, compared in constant time.
pub fn verify(secret: &str, member_uuid: &str, key: &str) -> bool {
    match hex::decode(key) {
        Ok(bytes) => mac(secret, member_uuid).is_some_and(|m| m.verify_slice(&bytes).is_ok()),
        Err(_) => false,
    }
}

fn mac(secret: &str, member_uuid: &str) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(member_uuid.as_bytes());
    Some(mac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_verify_only_for_their_member() {
        let k = key("secret", "uuid-1");
        assert!(verify("secret", "uuid-1", &k));
        assert!(!verify("secret", "uuid-2", &k));
        assert!(!verify("other", "uuid-1", &k));
        assert!(!verify("secret", "uuid-1", "zz"));
    }
}
