//! The one clock. Times are kept at whole seconds, as Ghost keeps them, so that a timestamp
//! survives a trip through either database unchanged and sorts the same way in both.

use jiff::{Timestamp, TimestampRound, Unit};

/// Now, truncated to the second.
pub fn now() -> Timestamp {
    to_seconds(Timestamp::now())
}

/// `t` as Ghost writes times in exports, the Admin API, sitemaps and social cards: UTC with
/// milliseconds, `2025-09-08T10:30:00.000Z`.
pub fn ghost_utc(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// `t` truncated to the second.
pub fn to_seconds(t: Timestamp) -> Timestamp {
    t.round(
        TimestampRound::new()
            .smallest(Unit::Second)
            .mode(jiff::RoundMode::Trunc),
    )
    .unwrap_or(t)
}
