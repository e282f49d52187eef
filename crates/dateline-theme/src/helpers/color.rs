//! Ghost 6's colour helpers, for themes that derive colours from `@site.accent_color` or a
//! `@custom` colour setting: `{{color_to_rgba @site.accent_color 0.1}}` gives
//! `rgba(255, 26, 117, 0.1)` for a tinted background, and `{{contrast_text_color
//! @site.accent_color}}` gives `#FFFFFF` or `#000000`, whichever reads better on it.
//!
//! Both read colours as Ghost's colour library does for what themes pass (hex with `#`, 3, 4, 6
//! or 8 digits, and `rgb()`/`rgba()`); named colours and `hsl()` are not read, and get Ghost's
//! answer for a colour it cannot parse. An empty or missing colour is Ghost's default
//! `#15171A`.

use handlebars::{Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, ScopedJson};
use serde_json::Value as Json;

use super::text;

/// The colour Ghost uses when a theme passes none.
const DEFAULT: Rgb = Rgb(21.0, 23.0, 26.0);

/// The alpha Ghost uses when a theme passes none, or not a number.
const DEFAULT_ALPHA: f64 = 0.25;

/// Red, green and blue, each 0–255.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(f64, f64, f64);

impl Rgb {
    /// The colour a helper argument names: `None` when it names one that cannot be read.
    fn of(argument: Option<&Json>) -> Option<Rgb> {
        match argument {
            Some(Json::String(s)) if !s.trim().is_empty() => parse(s.trim()),
            _ => Some(DEFAULT),
        }
    }

    /// Ghost's YIQ brightness test (shared with Portal): dark text from 186 up.
    fn contrast_text(self) -> &'static str {
        let Rgb(r, g, b) = self;
        if r * 0.299 + g * 0.587 + b * 0.114 >= 186.0 {
            "#000000"
        } else {
            "#FFFFFF"
        }
    }

    /// CSS as Ghost's colour library writes it: `rgb(…)` when opaque, `rgba(…)` otherwise.
    fn css(self, alpha: f64) -> String {
        let Rgb(r, g, b) = self;
        let (r, g, b) = (r.round(), g.round(), b.round());
        if alpha == 1.0 {
            format!("rgb({r}, {g}, {b})")
        } else {
            format!("rgba({r}, {g}, {b}, {alpha})")
        }
    }
}

/// `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(r, g, b)` or `rgba(r, g, b, a)` (commas or
/// spaces); any alpha it carries is dropped, as both helpers replace or ignore it.
fn parse(color: &str) -> Option<Rgb> {
    if let Some(hex) = color.strip_prefix('#') {
        return parse_hex(hex);
    }
    let lower = color.to_ascii_lowercase();
    let inner = lower
        .strip_prefix("rgba(")
        .or_else(|| lower.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let mut channels = inner
        .split(|c: char| c == ',' || c == '/' || c.is_whitespace())
        .filter(|part| !part.is_empty());
    let mut channel = || -> Option<f64> {
        let value: i64 = channels.next()?.parse().ok()?;
        Some(value.clamp(0, 255) as f64)
    };
    let rgb = Rgb(channel()?, channel()?, channel()?);
    // At most an alpha may follow.
    match channels.next() {
        Some(alpha) if alpha.trim_end_matches('%').parse::<f64>().is_err() => None,
        _ if channels.next().is_some() => None,
        _ => Some(rgb),
    }
}

fn parse_hex(hex: &str) -> Option<Rgb> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok().map(f64::from);
    let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok().map(f64::from);
    match hex.len() {
        3 | 4 => Some(Rgb(digit(0)? * 17.0, digit(1)? * 17.0, digit(2)? * 17.0)),
        6 | 8 => Some(Rgb(pair(0)?, pair(2)?, pair(4)?)),
        _ => None,
    }
}

/// The alpha argument as Ghost reads it: a number, or text read as JavaScript's `parseFloat`
/// reads it (`"0.5"`, `"0.5 "`), clamped to 0–1; anything else is 0.25.
fn alpha(argument: Option<&Json>) -> f64 {
    let value = match argument {
        Some(Json::Number(n)) => n.as_f64(),
        Some(Json::String(s)) => parse_float_prefix(s),
        _ => None,
    };
    value
        .filter(|a| a.is_finite())
        // `+ 0.0` turns -0 into 0, which JavaScript prints as `0`.
        .map_or(DEFAULT_ALPHA, |a| a.clamp(0.0, 1.0) + 0.0)
}

/// The longest leading decimal number in `text` after leading white space, as `parseFloat`.
fn parse_float_prefix(text: &str) -> Option<f64> {
    let text = text.trim_start();
    (1..=text.len())
        .rev()
        .filter(|end| text.is_char_boundary(*end))
        .find_map(|end| {
            let candidate = &text[..end];
            // Rust also reads `inf` and `nan`, which `parseFloat` would not stop at.
            let numeric = candidate
                .bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
            numeric.then(|| candidate.parse::<f64>().ok()).flatten()
        })
}

/// `{{color_to_rgba color alpha}}`.
pub(crate) struct ColorToRgba;

impl HelperDef for ColorToRgba {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let alpha = alpha(h.param(1).map(|p| p.value()));
        match Rgb::of(h.param(0).map(|p| p.value())) {
            Some(rgb) => text(rgb.css(alpha)),
            // What Ghost prints when its colour library cannot read the colour.
            None => text(DEFAULT.css(DEFAULT_ALPHA)),
        }
    }
}

/// `{{contrast_text_color color}}`.
pub(crate) struct ContrastTextColor;

impl HelperDef for ContrastTextColor {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let color = Rgb::of(h.param(0).map(|p| p.value()));
        text(color.map_or("#FFFFFF", Rgb::contrast_text))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Rgb, parse, parse_float_prefix};
    use crate::helpers::testing::render;

    #[test]
    fn color_to_rgba_matches_ghost() {
        let cases = [
            (
                r##"{{color_to_rgba "#FF1A75" 0.1}}"##,
                "rgba(255, 26, 117, 0.1)",
            ),
            (
                r##"{{color_to_rgba "#f1a" "0.5"}}"##,
                "rgba(255, 17, 170, 0.5)",
            ),
            (r##"{{color_to_rgba "#ff1a7580" 1}}"##, "rgb(255, 26, 117)"),
            (r##"{{color_to_rgba " #000000 " 7}}"##, "rgb(0, 0, 0)"),
            (r##"{{color_to_rgba "#000000" -1}}"##, "rgba(0, 0, 0, 0)"),
            (
                r##"{{color_to_rgba "rgb(10, 20, 30)" "0.75px"}}"##,
                "rgba(10, 20, 30, 0.75)",
            ),
            (r##"{{color_to_rgba "#000000"}}"##, "rgba(0, 0, 0, 0.25)"),
            (
                r##"{{color_to_rgba "#000000" "half"}}"##,
                "rgba(0, 0, 0, 0.25)",
            ),
            (r##"{{color_to_rgba "" 0.5}}"##, "rgba(21, 23, 26, 0.5)"),
            (
                r##"{{color_to_rgba missing 0.5}}"##,
                "rgba(21, 23, 26, 0.5)",
            ),
            (
                r##"{{color_to_rgba "#12345" 0.5}}"##,
                "rgba(21, 23, 26, 0.25)",
            ),
            (
                r##"{{color_to_rgba "ffffff" 0.5}}"##,
                "rgba(21, 23, 26, 0.25)",
            ),
        ];
        for (template, expected) in cases {
            assert_eq!(render(template, json!({})), expected, "{template}");
        }
    }

    #[test]
    fn contrast_text_color_matches_ghost() {
        // Ghost's own cases: the YIQ threshold sits between #b9b9b9 and #bbbbbb.
        let cases = [
            ("#ffffff", "#000000"),
            ("#000000", "#FFFFFF"),
            ("#cccccc", "#000000"),
            ("#333333", "#FFFFFF"),
            ("#dacafe", "#000000"),
            ("#ffa5b1", "#000000"),
            ("#a3e6ff", "#000000"),
            ("#b9b9b9", "#FFFFFF"),
            ("#bbbbbb", "#000000"),
            ("", "#FFFFFF"),
            ("not a colour", "#FFFFFF"),
        ];
        for (color, expected) in cases {
            let html = render("{{contrast_text_color color}}", json!({ "color": color }));
            assert_eq!(html, expected, "{color}");
        }
        let site = json!({"$site": {"url": "http://localhost:2368", "accent_color": "#FF1A75"}});
        assert_eq!(
            render("{{contrast_text_color @site.accent_color}}", site),
            "#FFFFFF"
        );
    }

    #[test]
    fn reads_css_colours() {
        assert_eq!(parse("#0f0"), Some(Rgb(0.0, 255.0, 0.0)));
        assert_eq!(parse("RGBA(1 2 3 / 50%)"), Some(Rgb(1.0, 2.0, 3.0)));
        assert_eq!(parse("rgb(300, -4, 3)"), Some(Rgb(255.0, 0.0, 3.0)));
        assert_eq!(parse("rgb(1, 2)"), None);
        assert_eq!(parse("rgb(1, 2, 3, 4, 5)"), None);
        assert_eq!(parse("#ggg"), None);
        assert_eq!(parse("red"), None);
        assert_eq!(parse_float_prefix(" 0.5em"), Some(0.5));
        assert_eq!(parse_float_prefix("infinity"), None);
    }
}
