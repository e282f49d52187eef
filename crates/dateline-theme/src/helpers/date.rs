//! `{{date}}`: a date in the site's timezone, with a moment.js format
//! (`{{date published_at format="MMM D, YYYY"}}`) or relative (`{{date timeago="true"}}`).
//! Without an argument it reads the current post's `published_at`, as Ghost does. Names and
//! digits follow the language of what is around it (see [`language`]).

use handlebars::{Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, ScopedJson};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use serde_json::Value as Json;

use super::{hash_flag, hash_text, root, text, this};
use crate::moment;

pub(crate) struct DateHelper;

impl HelperDef for DateHelper {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let site = root(ctx, "$site");
        let timezone = site["timezone"]
            .as_str()
            .and_then(|name| TimeZone::get(name).ok())
            .unwrap_or(TimeZone::UTC);
        let locale = language(ctx, rc);
        let now = Timestamp::now().to_zoned(timezone.clone());
        let time = match h.param(0) {
            Some(param) => parse(param.value(), &timezone),
            None => match this(ctx, rc, "published_at") {
                Json::Null => Some(now.clone()),
                published => parse(published, &timezone),
            },
        };
        let Some(time) = time else {
            return text("");
        };
        if hash_flag(h, "timeago") {
            return text(moment::time_ago(&time, &now));
        }
        let format = hash_text(h, "format");
        text(moment::format(
            &time,
            format.as_deref().unwrap_or(moment::DEFAULT_FORMAT),
            locale,
        ))
    }
}

/// The language words and numbers are written in here: the current post's (a card of an
/// Arabic story on an English front page is marked `lang="ar"`), else the page's (an
/// article's corrections), else the site's.
pub(super) fn language<'a>(ctx: &'a Context, rc: &'a RenderContext<'_, '_>) -> &'a str {
    this(ctx, rc, "lang")
        .as_str()
        .or_else(|| root(ctx, "$page")["lang"].as_str())
        .or_else(|| root(ctx, "$site")["locale"].as_str())
        .unwrap_or("en")
}

/// An ISO 8601 string (with offset, or a bare date read in the site's timezone) or epoch
/// milliseconds, in the site's timezone. Anything else is no date.
fn parse(value: &Json, timezone: &TimeZone) -> Option<Zoned> {
    match value {
        Json::String(s) => s
            .parse::<Timestamp>()
            .ok()
            .map(|t| t.to_zoned(timezone.clone()))
            .or_else(|| {
                s.parse::<jiff::civil::DateTime>()
                    .ok()
                    .and_then(|dt| dt.to_zoned(timezone.clone()).ok())
            }),
        Json::Number(n) => n
            .as_i64()
            .and_then(|ms| Timestamp::from_millisecond(ms).ok())
            .map(|t| t.to_zoned(timezone.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn formats_in_the_site_timezone() {
        let data = json!({"post": {"published_at": "2025-09-08T10:30:00Z"}});
        assert_eq!(
            render("{{#post}}{{date}}{{/post}}", data.clone()),
            "Sep 8, 2025"
        );
        assert_eq!(
            render(
                r#"{{date post.published_at format="YYYY-MM-DD HH:mm"}}"#,
                data
            ),
            "2025-09-08 13:30"
        );
        assert_eq!(
            render(r#"{{date "2025-12-31" format="Do MMMM"}}"#, json!({})),
            "31st December"
        );
    }

    #[test]
    fn names_and_digits_follow_the_post_then_the_page() {
        let data = json!({
            "$page": {"lang": "ckb"},
            "post": {"published_at": "2025-09-08T10:30:00Z", "lang": "ar"},
            "correction": {"created_at": "2025-09-08T10:30:00Z"}
        });
        assert_eq!(
            render(
                "{{#post}}{{date}}{{/post}}|{{#correction}}{{date created_at}}{{/correction}}",
                data
            ),
            "8 سبتمبر 2025|٨ ئەیلوول ٢٠٢٥"
        );
    }

    #[test]
    fn an_unset_date_prints_nothing_and_timeago_reads_relative() {
        assert_eq!(render("{{date missing}}", json!({})), "");
        let ago = render(
            r#"{{date "2001-01-01T00:00:00Z" timeago="true"}}"#,
            json!({}),
        );
        assert!(ago.ends_with("years ago"), "{ago}");
    }
}
