//! `{{price plan}}`, `{{price tier.monthly_price currency=tier.currency}}` or
//! `{{price amount=500 currency="USD"}}`: an amount in the currency's smallest unit (cents),
//! written as Ghost writes prices: `$5`, `$5.50`, with `numberFormat="long"` always two decimals
//! (`$5.00`) and `currencyFormat="code"` the code instead of the symbol (`USD 5`).

use handlebars::{
    Context, Handlebars, Helper, HelperDef, JsonRender, RenderContext, RenderError, ScopedJson,
};
use serde_json::Value as Json;

use super::{hash_text, text};

pub(crate) struct Price;

impl HelperDef for Price {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let param = h.param(0).map(|p| p.value());
        let amount = match param {
            Some(Json::Object(plan)) => plan.get("amount").and_then(number),
            Some(value) => number(value),
            None => None,
        }
        .or_else(|| h.hash_get("amount").and_then(|v| number(v.value())));
        let Some(amount) = amount else {
            return text("");
        };
        let currency = hash_text(h, "currency")
            .or_else(|| match param {
                Some(Json::Object(plan)) => plan.get("currency").map(|c| c.render()),
                _ => None,
            })
            .unwrap_or_else(|| "USD".to_owned())
            .to_ascii_uppercase();
        let long = hash_text(h, "numberFormat").is_some_and(|f| f == "long");
        let units = amount / 100.0;
        let number = if long || units.fract() != 0.0 {
            format!("{units:.2}")
        } else {
            format!("{units:.0}")
        };
        let by_code = hash_text(h, "currencyFormat").is_some_and(|f| f == "code");
        let written = match symbol(&currency) {
            Some(symbol) if !by_code => format!("{symbol}{number}"),
            _ => format!("{currency} {number}"),
        };
        text(written)
    }
}

fn number(value: &Json) -> Option<f64> {
    match value {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Symbols of the currencies Ghost's Stripe setup offers most; others are written by code.
fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "AUD" => "A$",
        "CAD" => "CA$",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn writes_prices_like_ghost() {
        let data = json!({"plan": {"amount": 500, "currency": "usd"}, "tier": {"monthly_price": 550, "currency": "EUR"}});
        assert_eq!(
            render(
                r#"{{price plan}}|{{price tier.monthly_price currency=tier.currency}}|{{price amount=500 currency="IQD"}}|{{price plan numberFormat="long"}}|{{price plan currencyFormat="code"}}"#,
                data
            ),
            "$5|€5.50|IQD 5|$5.00|USD 5"
        );
    }
}
