use dateline_core::access::Reader;
use jiff::Timestamp;
use serde::Serialize;

use super::SiteContext;

/// Ghost's `@member`: the signed-in reader, in the shape Ghost's frontend gives themes (so
/// `{{#if @member.paid}}`, `{{@member.firstname}}` and account links work unchanged).
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub uuid: String,
    pub email: String,
    pub name: Option<String>,
    /// The first word of the name, as Ghost derives it for greetings.
    pub firstname: Option<String>,
    /// Always `null`: Ghost fills it from Gravatar, and Dateline's pages ask no other host.
    pub avatar_image: Option<String>,
    pub expertise: Option<String>,
    /// `free`, `paid` or `comped`.
    pub status: String,
    /// Whether the member is paid or comped: Ghost's test for paid content and upgrade links.
    pub paid: bool,
    /// Stripe subscriptions in Ghost; Dateline sells none, so always empty.
    pub subscriptions: Vec<serde_json::Value>,
    pub newsletters: Vec<MemberNewsletterView>,
    /// Whether the member gets any newsletter (Ghost's older `subscribed` flag).
    pub subscribed: bool,
    pub email_suppression: EmailSuppression,
    pub created_at: String,
    #[serde(skip)]
    reader: Reader,
}

/// A newsletter the member gets, as `@member.newsletters` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct MemberNewsletterView {
    pub id: String,
    pub uuid: String,
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EmailSuppression {
    pub suppressed: bool,
}

/// What a member is, as the store knows it; the HTTP layer fills it from the session.
pub struct MemberFacts<'a> {
    pub uuid: &'a str,
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub status: &'a str,
    pub email_disabled: bool,
    pub created_at: Timestamp,
    pub newsletters: Vec<MemberNewsletterView>,
}

impl MemberView {
    pub fn new(member: MemberFacts<'_>, site: &SiteContext) -> Self {
        let name = member
            .name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        let reader = Reader::member(member.status);
        MemberView {
            uuid: member.uuid.to_owned(),
            email: member.email.to_owned(),
            firstname: name
                .as_deref()
                .and_then(|n| n.split_whitespace().next())
                .map(str::to_owned),
            name,
            avatar_image: None,
            expertise: None,
            status: member.status.to_owned(),
            paid: reader == Reader::Paid,
            subscriptions: Vec::new(),
            subscribed: !member.newsletters.is_empty(),
            newsletters: member.newsletters,
            email_suppression: EmailSuppression {
                suppressed: member.email_disabled,
            },
            created_at: site.iso(member.created_at),
            reader,
        }
    }

    /// Who this member is for content gating.
    pub fn reader(&self) -> Reader {
        self.reader
    }
}
