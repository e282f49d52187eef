//! Who gets past an admin page or form, said in the handler's signature: `Allowed<Editors>`
//! for a page, `Posted<Editors, TagForm>` for a form. The checks run in the extractor, before
//! the handler, so a handler cannot forget one or take them in another order:
//!
//! 1. signed out: a page goes to the login page and comes back ([`SignInRequired`]);
//! 2. a form without this session's CSRF token in its `csrf` field: 403 in the API's envelope
//!    ([`csrf::check`]), before the role, so a forged form learns nothing about the person;
//! 3. a role below the page's: the admin's 403 page ([`PageError::Forbidden`]).
//!
//! Where the use case decides who may (integrations, invitations), the handler asks for
//! [`AnyStaff`] and the use case's refusal becomes the same 403 page. Multipart forms read
//! their token while streaming the upload and call [`admit`] with it.
//!
//! [`SignInRequired`]: super::SignInRequired

use std::marker::PhantomData;

use axum::Form;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, RawForm, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use dateline_core::role::Role;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::forbidden::PageError;
use super::{Staff, csrf};
use crate::AppState;

/// The least role a page or form is for, as a type an extractor can carry.
pub trait LeastRole {
    const ROLE: Role;
}

/// Every signed-in staff member; the use case behind the page decides the rest.
pub struct AnyStaff;

/// Editors, administrators and the owner.
pub struct Editors;

/// Administrators and the owner.
pub struct Administrators;

impl LeastRole for AnyStaff {
    const ROLE: Role = Role::Contributor;
}

impl LeastRole for Editors {
    const ROLE: Role = Role::Editor;
}

impl LeastRole for Administrators {
    const ROLE: Role = Role::Administrator;
}

/// A signed-in staff member whose role reaches `R`, on a page (or a download).
pub struct Allowed<R> {
    pub staff: Staff,
    role: PhantomData<R>,
}

impl<R: LeastRole> FromRequestParts<AppState> for Allowed<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let staff = Staff::from_request_parts(parts, state).await?;
        reaches(&staff, R::ROLE).map_err(IntoResponse::into_response)?;
        Ok(Allowed {
            staff,
            role: PhantomData,
        })
    }
}

/// A form posted from an admin page (`application/x-www-form-urlencoded`) by a staff member
/// whose role reaches `R`, with this session's token in its `csrf` field; `form` is the rest
/// of it, read as `axum::Form` reads it (so a form type has no `csrf` field of its own).
pub struct Posted<R, T = TokenOnly> {
    pub staff: Staff,
    pub form: T,
    role: PhantomData<R>,
}

/// The fields of a form that carries nothing but its token (a Delete button).
#[derive(Deserialize)]
pub struct TokenOnly {}

impl<R: LeastRole, T: DeserializeOwned> FromRequest<AppState> for Posted<R, T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        let RawForm(bytes) = RawForm::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let again = Request::from_parts(parts, Body::from(bytes.clone()));
        let Form(form) = Form::<T>::from_request(again, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let sent = form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == "csrf")
            .map(|(_, value)| value)
            .unwrap_or_default();
        admit::<R>(&staff, &sent).map_err(IntoResponse::into_response)?;
        Ok(Posted {
            staff,
            form,
            role: PhantomData,
        })
    }
}

/// Lets a posted form through: this session's token (`sent`) first, then the role.
pub fn admit<R: LeastRole>(staff: &Staff, sent: &str) -> Result<(), PageError> {
    csrf::check(&staff.csrf, sent)?;
    reaches(staff, R::ROLE)
}

/// Refuses anyone below `least` with the admin's 403 page.
fn reaches(staff: &Staff, least: Role) -> Result<(), PageError> {
    if staff.user.role >= least {
        Ok(())
    } else {
        Err(PageError::Forbidden)
    }
}
