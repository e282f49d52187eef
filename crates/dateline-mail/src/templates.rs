//! The built-in email templates, one folder each under `templates/`: `subject` and `body.txt`
//! are rendered without HTML escaping, `body.html` with it, and the HTML part then gets the
//! shared stylesheet inlined into `style` attributes, because many mail clients ignore `<style>`.

use std::sync::OnceLock;

use handlebars::Handlebars;
use serde::Serialize;

/// The names of the built-in templates.
const TEMPLATES: &[(&str, &str, &str, &str)] = &[
    (
        "magic_link",
        include_str!("../templates/magic_link/subject"),
        include_str!("../templates/magic_link/body.txt"),
        include_str!("../templates/magic_link/body.html"),
    ),
    (
        "newsletter",
        include_str!("../templates/newsletter/subject"),
        include_str!("../templates/newsletter/body.txt"),
        include_str!("../templates/newsletter/body.html"),
    ),
    (
        "password_reset",
        include_str!("../templates/password_reset/subject"),
        include_str!("../templates/password_reset/body.txt"),
        include_str!("../templates/password_reset/body.html"),
    ),
    (
        "staff_invitation",
        include_str!("../templates/staff_invitation/subject"),
        include_str!("../templates/staff_invitation/body.txt"),
        include_str!("../templates/staff_invitation/body.html"),
    ),
];

/// Shared by every HTML template; inlined, and also kept in `<head>` for the media queries that
/// clients which do read `<style>` apply on small screens.
const STYLESHEET: &str = include_str!("../templates/style.css");

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("email template: {0}")]
    Render(String),
    #[error("inlining the email's CSS: {0}")]
    Inline(String),
}

/// A rendered email, before it is addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

struct Engines {
    html: Handlebars<'static>,
    plain: Handlebars<'static>,
}

fn engines() -> Result<&'static Engines, TemplateError> {
    static ENGINES: OnceLock<Result<Engines, String>> = OnceLock::new();
    ENGINES
        .get_or_init(|| {
            let mut html = Handlebars::new();
            let mut plain = Handlebars::new();
            plain.register_escape_fn(handlebars::no_escape);
            html.set_strict_mode(true);
            plain.set_strict_mode(true);
            for (name, subject, text, body) in TEMPLATES {
                plain
                    .register_template_string(&format!("{name}/subject"), subject.trim())
                    .map_err(|e| e.to_string())?;
                plain
                    .register_template_string(&format!("{name}/body.txt"), text)
                    .map_err(|e| e.to_string())?;
                html.register_template_string(&format!("{name}/body.html"), body)
                    .map_err(|e| e.to_string())?;
            }
            Ok(Engines { html, plain })
        })
        .as_ref()
        .map_err(|e| TemplateError::Render(e.clone()))
}

/// Renders the template `name` with `data`.
pub fn render(name: &str, data: &impl Serialize) -> Result<Rendered, TemplateError> {
    let engines = engines()?;
    let render_err = |e: handlebars::RenderError| TemplateError::Render(e.to_string());
    let subject = engines
        .plain
        .render(&format!("{name}/subject"), data)
        .map_err(render_err)?;
    let text = engines
        .plain
        .render(&format!("{name}/body.txt"), data)
        .map_err(render_err)?;
    let html = engines
        .html
        .render(&format!("{name}/body.html"), data)
        .map_err(render_err)?;
    let html = html.replace("/*STYLESHEET*/", STYLESHEET);
    let inliner = css_inline::CSSInliner::options()
        .keep_style_tags(true)
        .keep_at_rules(true)
        .load_remote_stylesheets(false)
        .build();
    let html = inliner
        .inline(&html)
        .map_err(|e| TemplateError::Inline(e.to_string()))?;
    Ok(Rendered {
        subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn magic_links_render_with_inlined_css() {
        let out = render(
            "magic_link",
            &json!({"site_title": "The Desk", "site_url": "https://x.example", "link": "https://x.example/members/?token=a&b", "signup": true}),
        )
        .unwrap();
        assert_eq!(out.subject, "Confirm your subscription to The Desk");
        assert!(out.text.contains("https://x.example/members/?token=a&b"));
        assert!(
            out.html
                .contains("https://x.example/members/?token=a&amp;b")
        );
        assert!(out.html.contains("style=\""), "CSS is inlined");
    }
}
