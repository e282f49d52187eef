//! `{{total_members}}` and `{{total_paid_members}}`: how many members the site has, rounded
//! down and humanised as Ghost shows it (`30`, `550+`, `5,500+`, `550k+`, `5.5m+`). The counts
//! are fetched like a `{{#get}}` query, only by pages that show them.

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext};

use super::root;
use crate::data_query::{DataQuery, note_missing};

/// The query both helpers note; its result is `{"total": n, "paid": n}`.
pub const MEMBER_TOTALS: &str = "$member_totals";

/// Which count: all members, or the paying ones.
pub(crate) struct TotalMembers {
    pub paid: bool,
}

impl HelperDef for TotalMembers {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let query = DataQuery {
            resource: MEMBER_TOTALS.to_owned(),
            filter: None,
            limit: None,
            order: None,
            page: None,
            include: None,
        };
        let Some(totals) = root(ctx, "$get").get(query.key()) else {
            note_missing(query);
            return Ok(());
        };
        let count = totals[if self.paid { "paid" } else { "total" }]
            .as_u64()
            .unwrap_or(0);
        out.write(&rounded(count))?;
        Ok(())
    }
}

/// Ghost's rounding: exact up to 50, then down to a step that grows with the count.
fn rounded(count: u64) -> String {
    let floor = |step: u64| count / step * step;
    match count {
        0..=50 => count.to_string(),
        51..=100 => format!("{}+", floor(10)),
        101..=1_000 => format!("{}+", floor(50)),
        1_001..=10_000 => format!("{}+", thousands(floor(100))),
        10_001..=100_000 => format!("{}+", thousands(floor(1_000))),
        100_001..=1_000_000 => format!("{}k+", floor(10_000) / 1_000),
        _ => {
            let tenths = floor(100_000) / 100_000;
            match tenths % 10 {
                0 => format!("{}m+", tenths / 10),
                rest => format!("{}.{rest}m+", tenths / 10),
            }
        }
    }
}

/// `5500` → `5,500`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::rounded;
    use crate::data_query::collecting;
    use crate::helpers::testing::render;

    #[test]
    fn counts_are_rounded_as_ghost_rounds_them() {
        for (count, shown) in [
            (0, "0"),
            (30, "30"),
            (50, "50"),
            (55, "50+"),
            (580, "550+"),
            (1_225, "1,200+"),
            (5_555, "5,500+"),
            (55_555, "55,000+"),
            (555_555, "550k+"),
            (3_000_000, "3m+"),
            (5_555_555, "5.5m+"),
        ] {
            assert_eq!(rounded(count), shown, "{count}");
        }
    }

    #[test]
    fn the_counts_are_asked_for_once_and_then_shown() {
        let template = "{{total_members}} / {{total_paid_members}}";
        let (html, missing) = collecting(|| render(template, json!({})));
        assert_eq!((html.as_str(), missing.len()), (" / ", 1));
        let key = missing[0].key();
        let data = json!({"$get": {key: {"total": 1225, "paid": 3}}});
        assert_eq!(render(template, data), "1,200+ / 3");
    }
}
