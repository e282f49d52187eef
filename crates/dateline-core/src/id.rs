//! Object ids in Ghost's format: 24 lowercase hex characters (12 bytes), so that ids from a
//! Ghost export survive an import unchanged and the APIs return ids in the shape clients expect.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A 24-hex object id. Imported ids are kept as they are, and Ghost's owner id `"1"` is the one
/// exception Ghost itself makes, so any non-empty id of hex digits is accepted on parse.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ObjectId(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not an object id (expected up to 24 hex digits)")]
pub struct InvalidId(pub String);

impl ObjectId {
    /// A fresh id: 4 bytes of seconds since the epoch then 8 random bytes, like a MongoDB
    /// ObjectId, so new ids sort roughly by creation time as Ghost's do.
    pub fn generate() -> Self {
        let secs = crate::time::now().as_second() as u32;
        let mut bytes = [0u8; 12];
        bytes[..4].copy_from_slice(&secs.to_be_bytes());
        fill_random(&mut bytes[4..]);
        ObjectId(hex::encode(bytes))
    }

    pub fn parse(text: &str) -> Result<Self, InvalidId> {
        let ok =
            !text.is_empty() && text.len() <= 24 && text.bytes().all(|b| b.is_ascii_hexdigit());
        if ok {
            Ok(ObjectId(text.to_ascii_lowercase()))
        } else {
            Err(InvalidId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Fills `buf` from the operating system's random source. The OS source failing is not
/// something a web server can recover from, so it aborts loudly rather than hand out weak keys.
pub fn fill_random(buf: &mut [u8]) {
    if let Err(err) = getrandom::fill(buf) {
        panic!("the operating system's random source failed: {err}");
    }
}

/// `n` random bytes as lowercase hex (API keys, tokens).
pub fn random_hex(n_bytes: usize) -> String {
    let mut buf = vec![0u8; n_bytes];
    fill_random(&mut buf);
    hex::encode(buf)
}

pub fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_24_hex_and_distinct() {
        let a = ObjectId::generate();
        let b = ObjectId::generate();
        assert_eq!(a.as_str().len(), 24);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn parse_accepts_ghost_ids_and_refuses_junk() {
        assert!(ObjectId::parse("6b0a71b88161d82b79d23c5b").is_ok());
        assert!(ObjectId::parse("1").is_ok());
        assert!(ObjectId::parse("").is_err());
        assert!(ObjectId::parse("xyz").is_err());
        assert!(ObjectId::parse("6b0a71b88161d82b79d23c5b00").is_err());
    }
}
