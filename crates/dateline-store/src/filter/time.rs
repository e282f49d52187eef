//! Dates in filters (read by `dateline_core::nql::time`) turned into the whole-second UTC
//! timestamps the store keeps, so that SQLite's RFC 3339 text compares in the same order as
//! PostgreSQL's `timestamptz`.

use dateline_core::nql::time::{EARLIEST, LATEST};
use jiff::{RoundMode, Timestamp, TimestampRound, Unit};

pub(super) use dateline_core::nql::time::{parse, resolve};

/// `t` as a stored time: whole seconds, within years 1 to 9999. Stored times are whole
/// seconds, so rounding a fractional bound up (for `>=` and `<`) or down (otherwise) keeps
/// every comparison exact.
pub(super) fn stored(t: Timestamp, round_up: bool) -> Timestamp {
    let mode = if round_up {
        RoundMode::Ceil
    } else {
        RoundMode::Trunc
    };
    let rounded = t
        .round(TimestampRound::new().smallest(Unit::Second).mode(mode))
        .unwrap_or(t);
    rounded.clamp(EARLIEST, LATEST)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_core::nql::{DateUnit, RelativeDate, Sign};

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn dates_and_times_parse_as_utc() {
        assert_eq!(parse("2025-09-01"), Some(at("2025-09-01T00:00:00Z")));
        assert_eq!(parse("2025-09-01 10:30"), Some(at("2025-09-01T10:30:00Z")));
        assert_eq!(
            parse("2025-09-01T10:30:00Z"),
            Some(at("2025-09-01T10:30:00Z"))
        );
        assert_eq!(
            parse("2025-02-27T19:03:00.000-05:00"),
            Some(at("2025-02-28T00:03:00Z"))
        );
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("2025-13-01"), None);
    }

    #[test]
    fn relative_dates_use_calendar_units_and_saturate() {
        let now = at("2025-03-31T12:00:00Z");
        let rel = |sign, amount, unit| RelativeDate { sign, amount, unit };
        assert_eq!(
            resolve(rel(Sign::Minus, 30, DateUnit::Days), now),
            at("2025-03-01T12:00:00Z")
        );
        assert_eq!(
            resolve(rel(Sign::Minus, 1, DateUnit::Months), now),
            at("2025-02-28T12:00:00Z")
        );
        assert_eq!(
            resolve(rel(Sign::Plus, 2, DateUnit::Weeks), now),
            at("2025-04-14T12:00:00Z")
        );
        assert_eq!(
            resolve(rel(Sign::Minus, 90, DateUnit::Minutes), now),
            at("2025-03-31T10:30:00Z")
        );
        assert_eq!(
            resolve(rel(Sign::Minus, u32::MAX, DateUnit::Years), now),
            EARLIEST
        );
        assert_eq!(
            resolve(rel(Sign::Plus, u32::MAX, DateUnit::Weeks), now),
            LATEST
        );
    }

    #[test]
    fn stored_times_are_whole_seconds_in_range() {
        let t = at("2025-09-08T10:30:00.5Z");
        assert_eq!(stored(t, false), at("2025-09-08T10:30:00Z"));
        assert_eq!(stored(t, true), at("2025-09-08T10:30:01Z"));
        assert_eq!(stored(Timestamp::MIN, false), EARLIEST);
        assert_eq!(stored(Timestamp::MAX, true), LATEST);
        assert_eq!(EARLIEST.to_string(), "0001-01-01T00:00:00Z");
        assert_eq!(LATEST.to_string(), "9999-12-30T22:00:00Z");
    }
}
