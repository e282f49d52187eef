//! Inviting staff by email. Who may invite whom follows Ghost: administrators (and the owner)
//! invite any role but owner; editors invite authors and contributors; authors and
//! contributors invite nobody. The mail carries a single-use link, valid for
//! [`INVITATION_LIFETIME`], to a page where the invitee chooses their name and password;
//! accepting creates the account with the role of the invitation. An address that already
//! belongs to staff cannot be invited, and a second invitation to one address replaces the
//! first, so only the newest link works.

use dateline_core::role::Role;
use dateline_core::user::User;
use dateline_store::staff_tokens::{self, StaffToken, TokenKind};
use dateline_store::users;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::password_reset::{NewLink, issue};
use crate::sessions::token_hash;
use crate::{App, AppError, Result, password, unique_slug};

/// How long an invitation link works: Ghost's seven days.
pub const INVITATION_LIFETIME: SignedDuration = SignedDuration::from_hours(7 * 24);

/// An invitation not yet accepted.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Whether `inviter` may invite (or revoke an invitation of) someone as `role`.
pub fn may_invite(inviter: Role, role: Role) -> bool {
    match inviter {
        Role::Owner | Role::Administrator => role != Role::Owner,
        Role::Editor => matches!(role, Role::Author | Role::Contributor),
        Role::Author | Role::Contributor => false,
    }
}

impl App {
    /// Invites `email` to join as `role`, and mails them the link.
    pub async fn invite_staff(
        &self,
        site_url: &str,
        inviter: &User,
        email: &str,
        role: Role,
    ) -> Result<Invitation> {
        if !may_invite(inviter.role, role) {
            return Err(AppError::no_permission(format!(
                "{}s cannot invite someone as {role}.",
                inviter.role
            )));
        }
        let email = crate::setup::validate_email(email)?.to_lowercase();
        let mut tx = self.store.begin().await?;
        if users::by_email(&mut tx, &email).await?.is_some() {
            return Err(AppError::invalid(
                "email",
                format!("{email} already belongs to a staff user"),
            ));
        }
        staff_tokens::delete_unused(&mut tx, TokenKind::Invite, &email).await?;
        let link = NewLink {
            kind: TokenKind::Invite,
            email: &email,
            user: None,
            role: Some(role),
            created_by: Some(inviter),
            lifetime: INVITATION_LIFETIME,
        };
        let token = issue(&mut tx, &link).await?;
        tx.commit().await?;
        let link = format!("{site_url}/admin/invitation/{token}/");
        let data = json!({
            "inviter": inviter.name,
            "role": role.as_str().to_lowercase(),
            "link": link,
            "days": INVITATION_LIFETIME.as_hours() / 24,
        });
        self.send_staff_mail(site_url, &email, "staff_invitation", data)
            .await?;
        let mut db = self.store.reader().await?;
        let invitation = staff_tokens::live(
            &mut db,
            TokenKind::Invite,
            &token_hash(&token),
            dateline_core::time::now(),
        )
        .await?
        .and_then(invitation);
        invitation.ok_or(AppError::NotFound { noun: "invitation" })
    }

    /// Invitations not yet accepted, newest first; expired ones too, until revoked.
    pub async fn invitations(&self) -> Result<Vec<Invitation>> {
        let mut db = self.store.reader().await?;
        Ok(staff_tokens::unused(&mut db, TokenKind::Invite)
            .await?
            .into_iter()
            .filter_map(invitation)
            .collect())
    }

    /// Revokes an invitation: its link stops working. Only someone who could have sent it may.
    pub async fn revoke_invitation(&self, actor: &User, id: &str) -> Result<()> {
        let pending = self.invitations().await?;
        let Some(found) = pending.iter().find(|i| i.id == id) else {
            return Err(AppError::NotFound { noun: "invitation" });
        };
        if !may_invite(actor.role, found.role) {
            return Err(AppError::no_permission(format!(
                "{}s cannot revoke an invitation as {}.",
                actor.role, found.role
            )));
        }
        let mut tx = self.store.begin().await?;
        staff_tokens::revoke(&mut tx, TokenKind::Invite, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The invitation a link opens, while it is unused and unexpired at `now`.
    pub async fn invitation(&self, token: &str, now: Timestamp) -> Result<Option<Invitation>> {
        let mut db = self.store.reader().await?;
        Ok(
            staff_tokens::live(&mut db, TokenKind::Invite, &token_hash(token), now)
                .await?
                .and_then(invitation),
        )
    }

    /// Accepts an invitation: creates the account with the invitation's role and uses the link
    /// up. `None` when the link is unknown, used, revoked or expired at `now`.
    pub async fn accept_invitation(
        &self,
        token: &str,
        name: &str,
        new_password: &str,
        now: Timestamp,
    ) -> Result<Option<User>> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("name", "must not be empty"));
        }
        password::check_strength(new_password)?;
        let password_hash = password::hash(new_password)?;
        let mut tx = self.store.begin().await?;
        let Some(found) = staff_tokens::take(&mut tx, TokenKind::Invite, &token_hash(token), now)
            .await?
            .and_then(invitation)
        else {
            return Ok(None);
        };
        if users::by_email(&mut tx, &found.email).await?.is_some() {
            return Err(AppError::invalid(
                "email",
                format!("{} already belongs to a staff user", found.email),
            ));
        }
        let slug = unique_slug::user(&mut tx, name).await?;
        let user = User::new_account(name, slug, found.email, password_hash, found.role, now);
        users::insert(&mut tx, &user).await?;
        tx.commit().await?;
        Ok(Some(user))
    }
}

/// An invitation from its stored link; a link with a role this version does not know (or
/// none) is no invitation.
fn invitation(link: StaffToken) -> Option<Invitation> {
    let role = link.role.as_deref()?.parse().ok()?;
    Some(Invitation {
        id: link.id,
        email: link.email,
        role,
        created_at: link.created_at,
        expires_at: link.expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_may_invite_whom() {
        use Role::*;
        for role in [Administrator, Editor, Author, Contributor] {
            assert!(may_invite(Owner, role));
            assert!(may_invite(Administrator, role));
            assert!(!may_invite(Author, role));
            assert!(!may_invite(Contributor, role));
        }
        assert!(!may_invite(Administrator, Owner));
        assert!(may_invite(Editor, Author) && may_invite(Editor, Contributor));
        assert!(!may_invite(Editor, Editor) && !may_invite(Editor, Administrator));
    }
}
