//! A member's newsletters reached through their unsubscribe key, without signing in: what
//! Ghost's member `unsubscribe_url` opens when it names no newsletter. The key is the one every
//! per-newsletter unsubscribe link carries ([`dateline_mail::unsubscribe`]), so it grants no
//! more than those links do: seeing the member's newsletters and leaving them.

use dateline_store::members;
use dateline_store::newsletters::Newsletter;

use crate::members::admin::details;
use crate::{App, Result};

/// Signs members' unsubscribe links under the site's secret.
pub struct UnsubscribeKeys {
    secret: String,
}

impl UnsubscribeKeys {
    pub fn key(&self, member_uuid: &str) -> String {
        dateline_mail::unsubscribe::key(&self.secret, member_uuid)
    }
}

/// Who the key belongs to and the active newsletters they get, in the site's order.
#[derive(Debug, Clone)]
pub struct MemberNewsletters {
    pub email: String,
    pub newsletters: Vec<Newsletter>,
}

impl App {
    pub async fn unsubscribe_keys(&self) -> Result<UnsubscribeKeys> {
        Ok(UnsubscribeKeys {
            secret: self.mail_secret().await?,
        })
    }

    /// `None` when the key is not the member's (or there is no such member).
    pub async fn newsletters_by_unsubscribe_key(
        &self,
        member_uuid: &str,
        key: &str,
    ) -> Result<Option<MemberNewsletters>> {
        let secret = self.mail_secret().await?;
        if !dateline_mail::unsubscribe::verify(&secret, member_uuid, key) {
            return Ok(None);
        }
        let mut db = self.store.reader().await?;
        let Some(member) = members::by_uuid(&mut db, member_uuid).await? else {
            return Ok(None);
        };
        Ok(details(&mut db, vec![member])
            .await?
            .pop()
            .map(|d| MemberNewsletters {
                email: d.member.email,
                newsletters: d.newsletters,
            }))
    }
}
