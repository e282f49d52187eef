//! Ghost's Members API for readers: asking for a magic link, opening it, reading who is signed
//! in, and unsubscribing from a newsletter (with RFC 8058 one-click for mail clients).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_app::members::{EmailType, MagicLinkRequest};
use dateline_store::members::Member;
use dateline_theme::{MemberFacts, MemberNewsletterView, MemberView, SiteContext};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::HttpError;
use crate::xml::escape;

/// The member session cookie, under Ghost's name so Ghost themes' scripts recognise it.
pub const SESSION_COOKIE: &str = "ghost-members-ssr";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendMagicLink {
    email: String,
    name: Option<String>,
    email_type: Option<String>,
    newsletters: Option<Vec<Value>>,
}

/// `POST /members/api/send-magic-link/`: answers 201 `Created.` as Ghost does, whether or not
/// the address is already a member, so the endpoint does not reveal who is.
pub async fn send_magic_link(
    State(state): State<AppState>,
    Json(body): Json<SendMagicLink>,
) -> Result<Response, HttpError> {
    let email_type = match body.email_type.as_deref() {
        None => EmailType::Signup,
        Some(t) => EmailType::parse(t).ok_or_else(|| {
            HttpError::new(
                StatusCode::BAD_REQUEST,
                "BadRequestError",
                format!("emailType must be signup, signin or subscribe, not `{t}`"),
            )
        })?,
    };
    // Ghost's Portal sends `[{"name": …}]` or `[{"id": …}]`; plain strings are accepted too.
    let newsletters = body.newsletters.map(|list| {
        list.iter()
            .filter_map(|n| match n {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => ["id", "slug", "uuid", "name"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_str).map(str::to_owned)),
                _ => None,
            })
            .collect()
    });
    let request = MagicLinkRequest {
        email: body.email,
        name: body.name,
        email_type,
        newsletters,
    };
    match state.app.send_magic_link(&state.site_url, request).await {
        Ok(()) => Ok((StatusCode::CREATED, "Created.").into_response()),
        Err(AppError::Invalid { message, .. }) => Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "BadRequestError",
            "Please enter a valid email address",
        )
        .with_context(message)),
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
pub struct MagicLinkQuery {
    token: Option<String>,
}

/// `GET /members/?token=…`: confirms a sign-up or signs in, sets the session cookie and sends
/// the reader to the front page marked with the outcome, as Ghost does.
pub async fn open_magic_link(
    State(state): State<AppState>,
    Query(query): Query<MagicLinkQuery>,
) -> Result<Response, HttpError> {
    let Some(token) = query.token.filter(|t| !t.is_empty()) else {
        return Ok(Redirect::to("/").into_response());
    };
    let Some(signed_in) = state.app.redeem_magic_link(&token).await? else {
        return Ok(Redirect::to("/?action=signin&success=false").into_response());
    };
    let max_age = signed_in
        .expires_at
        .duration_since(dateline_core::time::now())
        .as_secs()
        .max(0);
    let secure = if state.site_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
        signed_in.session_token
    );
    let target = format!("/?action={}&success=true", signed_in.email_type.as_str());
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&target)).into_response())
}

/// `GET /members/api/member/`: the signed-in member, or 204 when nobody is (Ghost's answer).
pub async fn current_member(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let Some(token) = session_token(&headers) else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let Some(member) = state.app.member_for_session(&token).await? else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let subscribed = subscribed_newsletters(&state, &member).await?;
    Ok(Json(json!({
        "uuid": member.uuid,
        "email": member.email,
        "name": member.name,
        "status": member.status,
        "email_suppression": {"suppressed": member.email_disabled},
        "newsletters": subscribed,
    }))
    .into_response())
}

/// The newsletters `member` gets, as `/members/api/member/` and `@member` list them.
async fn subscribed_newsletters(
    state: &AppState,
    member: &Member,
) -> Result<Vec<MemberNewsletterView>, HttpError> {
    let ids = state.app.member_newsletters(member).await?;
    Ok(state
        .app
        .newsletters()
        .await?
        .into_iter()
        .filter(|n| ids.iter().any(|id| id == n.id.as_str()))
        .map(|n| MemberNewsletterView {
            id: n.id.to_string(),
            uuid: n.uuid,
            name: n.name,
            slug: n.slug,
        })
        .collect())
}

/// The site's pages for whoever the request's session cookie signs in: with `@member` and
/// the stories the member may read, or as for anyone when there is no live session. The
/// member the page cache already found (`signed_in_member`) is taken as it is, not looked up
/// again.
pub(crate) async fn reader_site(
    state: &AppState,
    headers: &HeaderMap,
    signed_in_member: Option<&SignedIn>,
    site: SiteContext,
) -> Result<SiteContext, HttpError> {
    let member = match signed_in_member {
        Some(SignedIn(member)) => member.clone(),
        None => {
            let Some(token) = session_token(headers) else {
                return Ok(site);
            };
            let Some(member) = state.app.member_for_session(&token).await? else {
                return Ok(site);
            };
            member
        }
    };
    let newsletters = subscribed_newsletters(state, &member).await?;
    let view = MemberView::new(
        MemberFacts {
            uuid: &member.uuid,
            email: &member.email,
            name: member.name.as_deref(),
            status: &member.status,
            email_disabled: member.email_disabled,
            created_at: member.created_at,
            newsletters,
        },
        &site,
    );
    Ok(site.with_member(view))
}

/// Whether the request comes from a signed-in member: what the page cache asks. The anonymous
/// path pays one scan of the `Cookie` header; a cookie that opens no session (made up,
/// expired, signed out) costs one lookup and is then an anonymous reader's, served from the
/// cache, so it cannot make the site render afresh on every request. A lookup that fails is
/// taken as signed in: the page is then rendered for this request alone, never cached.
pub(crate) async fn signed_in(state: &AppState, request: &mut axum::extract::Request) -> bool {
    let Some(token) = session_cookies(request.headers()).next() else {
        return false;
    };
    match state.app.member_for_session(token).await {
        Ok(None) => false,
        Ok(Some(member)) => {
            // Handed to the page's handler (`reader_site`), which would otherwise read it again.
            request.extensions_mut().insert(SignedIn(member));
            true
        }
        Err(_) => true,
    }
}

/// The member the page cache found signed in, carried with the request to the page.
#[derive(Clone)]
pub(crate) struct SignedIn(Member);

fn session_token(headers: &HeaderMap) -> Option<String> {
    session_cookies(headers).next().map(str::to_owned)
}

/// The values of the member session cookies the request carries (empty ones, as a sign-out
/// leaves, are none).
fn session_cookies(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value)
}

#[derive(Deserialize)]
pub struct UnsubscribeQuery {
    uuid: String,
    newsletter: String,
    key: String,
}

/// `GET /unsubscribe/?…`: a page with one button. Opening the link does not unsubscribe, since
/// mail scanners open links; the button (or a mail client's one-click POST) does.
pub async fn unsubscribe_page(Query(q): Query<UnsubscribeQuery>) -> Response {
    let action = format!(
        "/unsubscribe/?uuid={}&newsletter={}&key={}",
        escape(&q.uuid),
        escape(&q.newsletter),
        escape(&q.key)
    );
    page(
        StatusCode::OK,
        "Unsubscribe",
        &format!(
            "<p>Stop receiving this newsletter?</p><form method=\"post\" action=\"{action}\">\
             <input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
             <button type=\"submit\">Unsubscribe</button></form>"
        ),
    )
}

/// `POST /unsubscribe/?…`: unsubscribes (RFC 8058's `List-Unsubscribe=One-Click` or the
/// page's button).
pub async fn unsubscribe(
    State(state): State<AppState>,
    Query(q): Query<UnsubscribeQuery>,
) -> Result<Response, HttpError> {
    Ok(
        match state
            .app
            .unsubscribe(&q.uuid, &q.newsletter, &q.key)
            .await?
        {
            Some(done) => page(
                StatusCode::OK,
                "Unsubscribed",
                &format!(
                    "<p>{} will no longer receive {}.</p>",
                    escape(&done.email),
                    escape(&done.newsletter)
                ),
            ),
            None => page(
                StatusCode::NOT_FOUND,
                "Link not valid",
                "<p>This unsubscribe link is not valid.</p>",
            ),
        },
    )
}

pub(crate) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    (
        status,
        Html(format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title}</title><main><h1>{title}</h1>{body}<p><a href=\"/\">Back to the site</a></p></main></html>"
        )),
    )
        .into_response()
}
