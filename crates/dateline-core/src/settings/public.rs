//! Ghost's public settings: what the Content API's `/settings/` answers and what themes read
//! as `@site`, one object in Ghost's key order, with Ghost's defaults for keys a site never set
//! and the values Ghost derives (members access, addresses, `lang`, `url`, `version`).

use serde_json::{Map, Value, json};

use super::Settings;

/// The Ghost release whose API and theme data Dateline answers as (`@site.version`, the
/// Content API's `version`; its `Content-Version` header is `v` and this).
pub const GHOST_VERSION: &str = "5.130";

/// The public keys, in Ghost's order, with Ghost's default for a site that never set them.
const PUBLIC: &[(&str, &str)] = &[
    ("title", "\"\""),
    ("description", "\"\""),
    ("logo", "null"),
    ("icon", "null"),
    ("accent_color", "\"#15171A\""),
    ("cover_image", "null"),
    ("facebook", "null"),
    ("twitter", "null"),
    ("locale", "\"en\""),
    ("timezone", "\"Etc/UTC\""),
    ("codeinjection_head", "null"),
    ("codeinjection_foot", "null"),
    ("navigation", "[]"),
    ("secondary_navigation", "[]"),
    ("meta_title", "null"),
    ("meta_description", "null"),
    ("og_image", "null"),
    ("og_title", "null"),
    ("og_description", "null"),
    ("twitter_image", "null"),
    ("twitter_title", "null"),
    ("twitter_description", "null"),
    ("members_support_address", "\"noreply\""),
];

/// Keys after the members block, also stored.
const PUBLIC_LATER: &[(&str, &str)] = &[
    ("portal_button_style", "\"icon-and-text\""),
    ("portal_button_signup_text", "\"Subscribe\""),
    ("portal_button_icon", "null"),
    ("portal_signup_terms_html", "null"),
    ("portal_signup_checkbox_required", "false"),
    ("portal_plans", "[\"free\"]"),
    ("portal_default_plan", "\"yearly\""),
    ("portal_name", "true"),
    ("portal_button", "true"),
    ("comments_enabled", "\"off\""),
    ("recommendations_enabled", "false"),
    ("outbound_link_tagging", "true"),
];

/// The public settings of a site served at `site_url` (no trailing slash).
pub fn public(settings: &Settings, site_url: &str) -> Map<String, Value> {
    let mut o = Map::new();
    for (key, default) in PUBLIC {
        o.insert((*key).into(), typed(settings, key, default));
    }
    let access = settings
        .get("members_signup_access")
        .unwrap_or("all")
        .to_owned();
    o.insert("members_enabled".into(), json!(access != "none"));
    o.insert("donations_enabled".into(), json!(false));
    o.insert("allow_self_signup".into(), json!(access == "all"));
    o.insert("members_invite_only".into(), json!(access == "invite"));
    o.insert("members_signup_access".into(), json!(access));
    o.insert("paid_members_enabled".into(), json!(false));
    o.insert("firstpromoter_account".into(), Value::Null);
    for (key, default) in PUBLIC_LATER {
        o.insert((*key).into(), typed(settings, key, default));
    }
    let host = site_url
        .split("://")
        .nth(1)
        .unwrap_or(site_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost");
    o.insert(
        "default_email_address".into(),
        json!(format!("noreply@{host}")),
    );
    o.insert(
        "support_email_address".into(),
        json!(format!("noreply@{host}")),
    );
    o.insert(
        "editor_default_email_recipients".into(),
        typed(
            settings,
            "editor_default_email_recipients",
            "\"visibility\"",
        ),
    );
    o.insert("labs".into(), typed(settings, "labs", "{}"));
    o.insert("site_uuid".into(), typed(settings, "site_uuid", "null"));
    o.insert("lang".into(), json!(settings.locale()));
    o.insert("url".into(), json!(format!("{site_url}/")));
    o.insert("version".into(), json!(GHOST_VERSION));
    o
}

/// A stored setting in its JSON type; empty text is `null`, as Ghost answers.
fn typed(settings: &Settings, key: &str, default: &str) -> Value {
    let Some(setting) = settings.0.get(key) else {
        return serde_json::from_str(default).unwrap_or(Value::Null);
    };
    match setting.value.as_deref() {
        None | Some("") => Value::Null,
        Some(text) => match setting.value_type.as_str() {
            "boolean" | "number" | "array" | "object" => {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
            }
            _ => Value::String(text.to_owned()),
        },
    }
}
