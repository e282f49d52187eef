//! Dates in filters: `'2025-09-01'`, `'2025-09-01T10:30:00+03:00'` and `now-30d`. One reading
//! for the SQL compiler in the store and for the in-memory evaluator, so a collection's filter
//! selects the same posts in a listing as in a post's URL.

use jiff::Span;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::{DateUnit, RelativeDate, Sign};

/// 0001-01-01T00:00:00Z and jiff's last whole second, 9999-12-30T22:00:00Z: both database
/// engines can store them, and SQLite's text order sorts them right (jiff writes years before
/// 1 with a sign and six digits).
pub const EARLIEST: Timestamp = Timestamp::constant(-62_135_596_800, 0);
pub const LATEST: Timestamp = Timestamp::constant(253_402_207_200, 0);

/// A date, or a date and time. Without an offset it is UTC, as every time is kept, and a date
/// alone is midnight UTC.
pub fn parse(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(t) = text.parse::<Timestamp>() {
        return Some(t);
    }
    let civil = text.parse::<jiff::civil::DateTime>().ok()?;
    civil.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// `now` moved by `date`, in UTC's calendar (so months and years have their real lengths).
/// Far beyond what can be stored, it stops at [`EARLIEST`] or [`LATEST`].
pub fn resolve(date: RelativeDate, now: Timestamp) -> Timestamp {
    let amount = match date.sign {
        Sign::Minus => -i64::from(date.amount),
        Sign::Plus => i64::from(date.amount),
    };
    let span = match date.unit {
        DateUnit::Seconds => Span::new().try_seconds(amount),
        DateUnit::Minutes => Span::new().try_minutes(amount),
        DateUnit::Hours => Span::new().try_hours(amount),
        DateUnit::Days => Span::new().try_days(amount),
        DateUnit::Weeks => Span::new().try_weeks(amount),
        DateUnit::Months => Span::new().try_months(amount),
        DateUnit::Years => Span::new().try_years(amount),
    };
    let moved = span
        .ok()
        .and_then(|span| now.to_zoned(TimeZone::UTC).checked_add(span).ok());
    match (moved, date.sign) {
        (Some(z), _) => z.timestamp(),
        (None, Sign::Minus) => EARLIEST,
        (None, Sign::Plus) => LATEST,
    }
}
