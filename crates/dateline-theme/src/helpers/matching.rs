//! `{{#match a "=" b}}…{{else}}…{{/match}}`: Ghost's comparison block. With one argument it
//! tests truthiness, with two equality, with three the operator in the middle (`=`, `!=`,
//! `<`, `>`, `<=`, `>=`, `~` contains, `~^` starts with, `~$` ends with). Outside a block it
//! prints, and as a subexpression returns, `true` or `false`.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, JsonTruthy, Output,
    RenderContext, RenderError, Renderable, ScopedJson,
};
use serde_json::Value as Json;

pub(crate) struct Match;

impl HelperDef for Match {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        Ok(ScopedJson::Derived(Json::Bool(matches(h))))
    }

    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let result = matches(h);
        if h.template().is_none() {
            out.write(if result { "true" } else { "false" })?;
            return Ok(());
        }
        match if result { h.template() } else { h.inverse() } {
            Some(template) => template.render(r, ctx, rc, out),
            None => Ok(()),
        }
    }
}

/// `(__dateline_length list)`: the `list.length` of Handlebars.js (see `engine::dialect`).
pub(crate) struct Length;

impl HelperDef for Length {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let length = match h.param(0).map(|p| p.value()) {
            Some(Json::Array(items)) => items.len(),
            Some(Json::String(text)) => text.chars().count(),
            _ => 0,
        };
        Ok(ScopedJson::Derived(Json::from(length)))
    }
}

fn matches(h: &Helper<'_>) -> bool {
    let values: Vec<&Json> = h.params().iter().map(|p| p.value()).collect();
    match values.as_slice() {
        [value] => value.is_truthy(false),
        [left, right] => equal(left, right),
        [left, operator, right] => compare(left, &operator.render(), right),
        _ => false,
    }
}

/// Ghost compares with `===`; a number and the same number written as text count as equal
/// here, because `limit=3` and `limit="3"` mean the same to a theme author.
fn equal(left: &Json, right: &Json) -> bool {
    match (left, right) {
        (Json::Number(_), Json::String(_)) | (Json::String(_), Json::Number(_)) => {
            left.render() == right.render()
        }
        (Json::Null, Json::String(s)) | (Json::String(s), Json::Null) => s.is_empty(),
        _ => left == right,
    }
}

fn compare(left: &Json, operator: &str, right: &Json) -> bool {
    let numbers = number(left).zip(number(right));
    let (l, r) = (left.render(), right.render());
    match operator {
        "=" => equal(left, right),
        "!=" => !equal(left, right),
        "<" => numbers.is_some_and(|(a, b)| a < b),
        ">" => numbers.is_some_and(|(a, b)| a > b),
        "<=" => numbers.is_some_and(|(a, b)| a <= b),
        ">=" => numbers.is_some_and(|(a, b)| a >= b),
        "~" => l.contains(&r),
        "~^" => l.starts_with(&r),
        "~$" => l.ends_with(&r),
        _ => false,
    }
}

fn number(value: &Json) -> Option<f64> {
    match value {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn chains_with_else_match_and_reads_lengths() {
        let t = r#"{{#match a "x"}}1{{else match a "y"}}2{{else}}3{{/match}}{{#match list.length ">=" 2}}L{{/match}}"#;
        assert_eq!(render(t, json!({"a": "y", "list": [1, 2]})), "2L");
        assert_eq!(render(t, json!({"a": "z", "list": [1]})), "3");
    }

    #[test]
    fn compares_like_ghost() {
        let data = json!({"layout": "Stacked", "n": 3, "empty": ""});
        let t = r#"{{#match layout "Stacked"}}S{{else}}-{{/match}}{{#match n ">" 2}}G{{/match}}{{#match n "=" "3"}}E{{/match}}{{#match empty}}x{{else}}F{{/match}}{{#match layout "~^" "Sta"}}P{{/match}}{{#match layout "!=" "Stacked"}}N{{/match}}"#;
        assert_eq!(render(t, data.clone()), "SGEFP");
        assert_eq!(
            render(
                r#"{{match n 3}}{{#if (match layout "Other")}}y{{else}}n{{/if}}"#,
                data
            ),
            "truen"
        );
        assert_eq!(
            render(
                r#"{{^match layout "Other"}}inverted{{/match}}"#,
                json!({"layout": "A"})
            ),
            "inverted"
        );
    }
}
