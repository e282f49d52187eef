//! Admin API keys: the short-lived JWT an integration signs with its admin key, checked as Ghost
//! 5.130 checks it (`services/auth/api-key/admin.js` with `jsonwebtoken`'s `verify`), so that
//! `@tryghost/admin-api` and hand-written clients work unchanged and get Ghost's errors.
//!
//! A token is `base64url(header).base64url(payload).base64url(signature)`. The header's `kid`
//! names the key (the id half of `<id>:<secret>`), the signature is HMAC-SHA256 keyed with the
//! hex-decoded secret, and the payload must carry an `aud` ending in `admin` or `admin/` (Ghost's
//! `/?admin/?$`, which also admits versioned audiences such as `/v5/admin/`) and an `iat` less
//! than five minutes old. `exp` and `nbf` are honoured when present. The checks run in
//! `jsonwebtoken`'s order, so a token with two faults gets the error Ghost would give.
//!
//! One deliberate difference: Ghost accepts an `iat` in the future, which lets a token live for
//! as long as its signer likes. Dateline refuses an `iat` more than [`MAX_AGE_SECS`] ahead.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dateline_core::id::ObjectId;
use dateline_store::integrations::{self, KeyKind};
use hmac::{Hmac, KeyInit, Mac};
use jiff::Timestamp;
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::admin::Actor;
use crate::{App, Result};

/// Ghost's `maxAge: '5m'`.
pub const MAX_AGE_SECS: i64 = 5 * 60;

/// What Ghost's `jsonwebtoken` says when the audience does not match `/?admin/?$`.
const AUDIENCE_MESSAGE: &str = r"jwt audience invalid. expected: /\/?admin\/?$/";

/// Why a token was refused, with Ghost's message (`Display`) and code ([`TokenRefusal::code`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefusal {
    /// `Authorization` is there but not `Ghost <token>`.
    #[error("Authorization header format is \"Authorization: Ghost [token]\"")]
    BadHeader,
    /// Not a JWT at all (Ghost answers 400 here, not 401).
    #[error("Invalid token")]
    Malformed,
    /// No `kid` in the header (400 in Ghost).
    #[error("Admin API kid missing.")]
    MissingKid,
    #[error("Unknown Admin API Key")]
    UnknownKey,
    /// A Content API key's id was used.
    #[error("Invalid API Key type")]
    WrongKeyType,
    /// Signature, algorithm, dates or audience: `jsonwebtoken`'s reason, e.g. `jwt expired`.
    #[error("Invalid token: {0}")]
    Invalid(String),
}

impl TokenRefusal {
    /// Ghost's stable code for the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            TokenRefusal::BadHeader => "INVALID_AUTH_HEADER",
            TokenRefusal::Malformed | TokenRefusal::Invalid(_) => "INVALID_JWT",
            TokenRefusal::MissingKid => "MISSING_ADMIN_API_KID",
            TokenRefusal::UnknownKey => "UNKNOWN_ADMIN_API_KEY",
            TokenRefusal::WrongKeyType => "INVALID_API_KEY_TYPE",
        }
    }

    /// Ghost answers these with 400 `BadRequestError`; the rest are 401 `UnauthorizedError`.
    pub fn is_bad_request(&self) -> bool {
        matches!(self, TokenRefusal::Malformed | TokenRefusal::MissingKid)
    }
}

/// A token split and decoded, not yet trusted.
struct Parsed<'t> {
    signed: &'t str,
    signature: Vec<u8>,
    header: Map<String, Value>,
    payload: Map<String, Value>,
}

impl App {
    /// The `Authorization` header's value checked as an Admin API token at `now`.
    pub async fn admin_key_actor(&self, authorization: &str, now: Timestamp) -> Result<Actor> {
        let token = token_from_header(authorization)?;
        let parsed = parse(token)?;
        let kid = match parsed.header.get("kid") {
            Some(Value::String(kid)) if !kid.is_empty() => kid.as_str(),
            _ => return Err(TokenRefusal::MissingKid.into()),
        };
        let mut db = self.store.reader().await?;
        let key = integrations::key_by_id(&mut db, kid)
            .await?
            .ok_or(TokenRefusal::UnknownKey)?;
        if key.kind != KeyKind::Admin {
            return Err(TokenRefusal::WrongKeyType.into());
        }
        // An undecodable stored secret can verify nothing; it reads as a bad signature.
        let secret = hex::decode(&key.secret).unwrap_or_default();
        verify(&parsed, &secret, now)?;
        Ok(Actor::Integration {
            id: key.integration_id,
        })
    }
}

/// `Ghost <token>`; Ghost compares the scheme without regard to case.
fn token_from_header(header: &str) -> Result<&str, TokenRefusal> {
    let mut parts = header.split(' ');
    match (parts.next(), parts.next()) {
        (Some(scheme), Some(token))
            if scheme.eq_ignore_ascii_case("ghost") && !token.is_empty() =>
        {
            Ok(token)
        }
        _ => Err(TokenRefusal::BadHeader),
    }
}

fn parse(token: &str) -> Result<Parsed<'_>, TokenRefusal> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenRefusal::Malformed);
    };
    let json_object = |part: &str| -> Option<Map<String, Value>> {
        let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
        match serde_json::from_slice(&bytes).ok()? {
            Value::Object(map) => Some(map),
            _ => None,
        }
    };
    let header_map = json_object(header).ok_or(TokenRefusal::Malformed)?;
    let payload_map = json_object(payload).ok_or(TokenRefusal::Malformed)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenRefusal::Malformed)?;
    Ok(Parsed {
        signed: &token[..header.len() + 1 + payload.len()],
        signature,
        header: header_map,
        payload: payload_map,
    })
}

/// `jsonwebtoken`'s `verify` with Ghost's options: HS256 only, audience `/?admin/?$`, `maxAge`
/// five minutes, no clock tolerance.
fn verify(token: &Parsed<'_>, secret: &[u8], now: Timestamp) -> Result<(), TokenRefusal> {
    let invalid = |reason: &str| TokenRefusal::Invalid(reason.to_owned());
    if token.signature.is_empty() {
        return Err(invalid("jwt signature is required"));
    }
    if token.header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(invalid("invalid algorithm"));
    }
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret).map_err(|_| invalid("invalid signature"))?;
    mac.update(token.signed.as_bytes());
    // `verify_slice` compares in constant time, so timing reveals nothing about the signature.
    mac.verify_slice(&token.signature)
        .map_err(|_| invalid("invalid signature"))?;

    let clock = now.as_second() as f64;
    let claim = |name: &str| token.payload.get(name);
    if let Some(nbf) = claim("nbf") {
        let nbf = nbf.as_f64().ok_or_else(|| invalid("invalid nbf value"))?;
        if nbf > clock {
            return Err(invalid("jwt not active"));
        }
    }
    if let Some(exp) = claim("exp") {
        let exp = exp.as_f64().ok_or_else(|| invalid("invalid exp value"))?;
        if clock >= exp {
            return Err(invalid("jwt expired"));
        }
    }
    if !audience_matches(claim("aud")) {
        return Err(invalid(AUDIENCE_MESSAGE));
    }
    let iat = claim("iat")
        .and_then(Value::as_f64)
        .ok_or_else(|| invalid("iat required when maxAge is specified"))?;
    if clock >= iat + MAX_AGE_SECS as f64 {
        return Err(invalid("maxAge exceeded"));
    }
    if iat > clock + MAX_AGE_SECS as f64 {
        return Err(invalid("jwt issued in the future"));
    }
    Ok(())
}

/// Ghost's `/?admin/?$` against a string `aud` or any string of an array of them.
fn audience_matches(aud: Option<&Value>) -> bool {
    let matches = |a: &str| a.ends_with("admin") || a.ends_with("admin/");
    match aud {
        Some(Value::String(a)) => matches(a),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).any(matches),
        _ => false,
    }
}

/// Signs a token the way `@tryghost/admin-api` does; for tests and tools that talk to a site.
pub fn sign_token(key_id: &ObjectId, secret_hex: &str, claims: &Value) -> Option<String> {
    let header = serde_json::json!({ "alg": "HS256", "typ": "JWT", "kid": key_id });
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let secret = hex::decode(secret_hex).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret).ok()?;
    mac.update(signed.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    Some(format!("{signed}.{signature}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn token(claims: Value) -> String {
        sign_token(
            &ObjectId::parse("6b0a71728161d82b79d23953").unwrap(),
            SECRET,
            &claims,
        )
        .unwrap()
    }

    fn check(token: &str, now: i64) -> Result<(), TokenRefusal> {
        let parsed = parse(token)?;
        verify(
            &parsed,
            &hex::decode(SECRET).unwrap(),
            Timestamp::from_second(now).unwrap(),
        )
    }

    #[test]
    fn ghost_client_tokens_verify() {
        let t = token(serde_json::json!({ "iat": 1000, "exp": 1300, "aud": "/admin/" }));
        assert_eq!(check(&t, 1000), Ok(()));
        assert_eq!(check(&t, 1299), Ok(()));
        let versioned = token(serde_json::json!({ "iat": 1000, "aud": "/v5/admin/" }));
        assert_eq!(check(&versioned, 1000), Ok(()));
    }

    #[test]
    fn refusals_carry_jsonwebtokens_reasons() {
        let reason = |t: &str, now| match check(t, now) {
            Err(TokenRefusal::Invalid(r)) => r,
            other => panic!("{other:?}"),
        };
        let t = token(serde_json::json!({ "iat": 1000, "exp": 1300, "aud": "/admin/" }));
        assert_eq!(reason(&t, 1300), "jwt expired");
        let old = token(serde_json::json!({ "iat": 1000, "aud": "/admin/" }));
        assert_eq!(reason(&old, 1300), "maxAge exceeded");
        let content = token(serde_json::json!({ "iat": 1000, "aud": "/content/" }));
        assert_eq!(reason(&content, 1000), AUDIENCE_MESSAGE);
        let no_iat = token(serde_json::json!({ "aud": "/admin/" }));
        assert_eq!(
            reason(&no_iat, 1000),
            "iat required when maxAge is specified"
        );
        let future = token(serde_json::json!({ "iat": 5000, "aud": "/admin/" }));
        assert_eq!(reason(&future, 1000), "jwt issued in the future");
        let mut forged = t.clone();
        forged.pop();
        forged.push(if t.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(reason(&forged, 1000), "invalid signature");
    }

    #[test]
    fn headers_and_shapes() {
        assert_eq!(token_from_header("Ghost abc"), Ok("abc"));
        assert_eq!(token_from_header("ghost abc"), Ok("abc"));
        assert_eq!(
            token_from_header("Bearer abc"),
            Err(TokenRefusal::BadHeader)
        );
        assert_eq!(token_from_header("Ghost"), Err(TokenRefusal::BadHeader));
        assert!(matches!(parse("a.b"), Err(TokenRefusal::Malformed)));
        assert!(matches!(parse("not.a.jwt"), Err(TokenRefusal::Malformed)));
    }
}
