//! The newsletters sent to one member, from the send queue's per-recipient rows, for the
//! admin's member page: staff answering "I never got Tuesday's issue" need to see what the
//! mail server said about that address.

use dateline_core::role::Role;
use dateline_store::deliveries::{self, MemberDelivery};

use crate::admin::Actor;
use crate::{App, Result};

/// The most recent sends a member page lists.
pub const SHOWN: u32 = 50;

/// What became of one newsletter for one member, in the words the admin shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Waiting in the queue, or being handed to the server right now.
    Queued,
    Sent,
    /// Refused for good with a 5xx reply: the address bounced and gets no more newsletters.
    Bounced,
    /// Given up on (an invalid address, or too many temporary refusals).
    Failed,
    /// The worker stopped after handing the message over and before hearing back; it is never
    /// sent again (see `mailing`).
    Unknown,
}

impl Outcome {
    pub fn of(delivery: &MemberDelivery) -> Outcome {
        match delivery.status.as_str() {
            "sent" => Outcome::Sent,
            "failed" if delivery.smtp_reply.as_deref().is_some_and(is_permanent) => {
                Outcome::Bounced
            }
            "failed" => Outcome::Failed,
            "unknown" => Outcome::Unknown,
            _ => Outcome::Queued,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Queued => "queued",
            Outcome::Sent => "sent",
            Outcome::Bounced => "bounced",
            Outcome::Failed => "failed",
            Outcome::Unknown => "unknown",
        }
    }
}

/// Whether a recorded reply is a 5xx refusal: the server's own line (`550 …`), or the SMTP
/// client's wording of one (`permanent error (550): …`).
fn is_permanent(reply: &str) -> bool {
    reply.starts_with('5') || reply.starts_with("permanent error")
}

impl App {
    /// The last [`SHOWN`] newsletters sent (or queued) to member `id`, newest first.
    pub async fn member_deliveries(&self, actor: &Actor, id: &str) -> Result<Vec<MemberDelivery>> {
        actor.require(Role::Administrator)?;
        let mut db = self.store.reader().await?;
        Ok(deliveries::for_member(&mut db, id, SHOWN).await?)
    }
}
