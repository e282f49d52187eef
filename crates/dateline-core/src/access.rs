//! Who may read a story, and what the others get instead (Ghost's content gating).
//!
//! A newsroom moving from Ghost keeps its members-only and paid stories closed: the rules here
//! are Ghost's, so a story gated there is gated here for the same readers, and the public
//! preview above the paywall card is the same text.

use std::borrow::Cow;

use crate::post::{Post, Visibility};

/// What the editor's paywall card leaves in the HTML: everything before it is the preview a
/// reader without access is shown.
pub const PAYWALL_MARKER: &str = "<!--members-only-->";

/// The reader of a page or an API answer, as far as access goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Nobody signed in, or a machine (feeds, the Content API).
    Anonymous,
    /// A member on the free plan.
    Free,
    /// A paying or complimentary member.
    Paid,
    /// Staff previewing a story in the admin: they read what they are editing, closed or not.
    Staff,
}

impl Reader {
    /// The reader a signed-in member is, from Ghost's member `status`; comped members read
    /// what paying ones do, as in Ghost.
    pub fn member(status: &str) -> Reader {
        match status {
            "paid" | "comped" => Reader::Paid,
            _ => Reader::Free,
        }
    }

    /// Whether this reader may read a story with `visibility` (Ghost's `checkPostAccess`).
    /// Stories for named tiers stay closed to everyone: Dateline keeps no tiers on stories or
    /// members, and Ghost closes a tiers story that names none.
    pub fn may_read(self, visibility: Visibility) -> bool {
        match (visibility, self) {
            (Visibility::Public, _) | (_, Reader::Staff) => true,
            (_, Reader::Anonymous) => false,
            (Visibility::Members, _) => true,
            (Visibility::Paid, reader) => reader == Reader::Paid,
            (Visibility::Tiers, _) => false,
        }
    }
}

/// The text of a story as one reader is served it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served<'a> {
    /// Ghost's `access`: whether the reader gets the whole story.
    pub access: bool,
    /// The whole body; for a closed story, the part before the paywall card, or nothing when
    /// it has none.
    pub html: Option<Cow<'a, str>>,
    pub plaintext: Option<Cow<'a, str>>,
    /// The custom excerpt or the start of the served text; empty for a closed story without a
    /// paywall card.
    pub excerpt: String,
}

/// The story as `reader` is served it. A closed story keeps what Ghost's serializer leaves:
/// with a paywall card, the preview above it and the text derived from that preview; without
/// one, nothing of the body, and an empty `excerpt` even when the story has a custom one
/// (which stays public in its own field, as in Ghost).
pub fn served(post: &Post, reader: Reader) -> Served<'_> {
    if reader.may_read(post.visibility) {
        return Served {
            access: true,
            html: post.html.as_deref().map(Cow::Borrowed),
            plaintext: post.plaintext.as_deref().map(Cow::Borrowed),
            excerpt: post.excerpt(),
        };
    }
    let html = post.html.as_deref().unwrap_or("");
    let (html, plaintext, excerpt) = match html.find(PAYWALL_MARKER) {
        Some(at) => {
            let preview = &html[..at];
            let plaintext = crate::plaintext::from_html(preview);
            let excerpt = crate::excerpt::excerpt(post.custom_excerpt.as_deref(), &plaintext);
            (preview, plaintext, excerpt)
        }
        None => ("", String::new(), String::new()),
    };
    Served {
        access: false,
        html: Some(Cow::Borrowed(html)),
        plaintext: Some(Cow::Owned(plaintext)),
        excerpt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::PostType;

    #[test]
    fn ghost_access_rules() {
        use Visibility::{Members, Public, Tiers};
        for reader in [Reader::Anonymous, Reader::Free, Reader::Paid] {
            assert!(reader.may_read(Public));
            assert!(!reader.may_read(Tiers));
        }
        assert!(!Reader::Anonymous.may_read(Members));
        assert!(Reader::Free.may_read(Members));
        assert!(Reader::Paid.may_read(Members));
        assert!(!Reader::Anonymous.may_read(Visibility::Paid));
        assert!(!Reader::Free.may_read(Visibility::Paid));
        assert!(Reader::Paid.may_read(Visibility::Paid));
        assert!(Reader::Staff.may_read(Tiers));
        assert_eq!(Reader::member("comped"), Reader::Paid);
        assert_eq!(Reader::member("free"), Reader::Free);
    }

    /// A members-only story.
    fn post(html: &str, custom_excerpt: Option<&str>) -> Post {
        let mut post = Post::draft(PostType::Post, "T", "t", crate::time::now());
        post.visibility = Visibility::Members;
        post.html = Some(html.to_owned());
        post.custom_excerpt = custom_excerpt.map(str::to_owned);
        post
    }

    #[test]
    fn the_preview_is_what_comes_before_the_paywall_card() {
        let story = post("<p>Free part.</p><!--members-only--><p>Secret.</p>", None);
        let g = served(&story, Reader::Anonymous);
        assert!(!g.access);
        assert_eq!(g.html.as_deref(), Some("<p>Free part.</p>"));
        assert_eq!(g.plaintext.as_deref(), Some("Free part."));
        assert_eq!(g.excerpt, "Free part.");
        let whole = served(&story, Reader::Free);
        assert!(whole.access);
        assert_eq!(whole.html.as_deref(), story.html.as_deref());
        let story = post("<p>A</p><!--members-only--><p>B</p>", Some("Custom"));
        assert_eq!(served(&story, Reader::Anonymous).excerpt, "Custom");
    }

    #[test]
    fn without_a_paywall_card_nothing_is_left() {
        let mut story = post("<p>Secret.</p>", Some("Custom"));
        story.visibility = Visibility::Paid;
        let g = served(&story, Reader::Free);
        assert!(!g.access);
        assert_eq!(g.html.as_deref(), Some(""));
        assert_eq!(g.plaintext.as_deref(), Some(""));
        assert_eq!(g.excerpt, "");
    }
}
