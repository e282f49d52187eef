//! `GET /unsubscribe/newsletters/?uuid=…&key=…`: a member's `unsubscribe_url` (Admin API) opens
//! this page, which lists the newsletters they get, each with a button that posts to that
//! newsletter's one-click unsubscribe link (`/unsubscribe/`). The key is the member's
//! unsubscribe key, so no sign-in is needed.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::members::page;
use crate::xml::escape;

/// Where the page lives, for the links that point at it.
pub const PATH: &str = "/unsubscribe/newsletters/";

#[derive(Deserialize)]
pub struct MemberKey {
    uuid: String,
    key: String,
}

/// The page's address for the member with `uuid`, whose unsubscribe key is `key`.
pub fn url(site_url: &str, uuid: &str, key: &str) -> String {
    format!("{site_url}{PATH}?uuid={uuid}&key={key}")
}

pub async fn choose(
    State(state): State<AppState>,
    Query(q): Query<MemberKey>,
) -> Result<Response, HttpError> {
    let Some(found) = state
        .app
        .newsletters_by_unsubscribe_key(&q.uuid, &q.key)
        .await?
    else {
        return Ok(page(
            StatusCode::NOT_FOUND,
            "Link not valid",
            "<p>This unsubscribe link is not valid.</p>",
        ));
    };
    let email = escape(&found.email);
    if found.newsletters.is_empty() {
        return Ok(page(
            StatusCode::OK,
            "Your newsletters",
            &format!("<p>{email} gets no newsletters.</p>"),
        ));
    }
    let items: String = found
        .newsletters
        .iter()
        .map(|n| {
            format!(
                "<li><strong>{name}</strong><form method=\"post\" \
                 action=\"/unsubscribe/?uuid={uuid}&amp;newsletter={newsletter}&amp;key={key}\">\
                 <input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
                 <button type=\"submit\">Unsubscribe</button></form></li>",
                name = escape(&n.name),
                uuid = escape(&q.uuid),
                newsletter = escape(&n.uuid),
                key = escape(&q.key),
            )
        })
        .collect();
    Ok(page(
        StatusCode::OK,
        "Your newsletters",
        &format!("<p>{email} gets these newsletters.</p><ul>{items}</ul>"),
    ))
}
