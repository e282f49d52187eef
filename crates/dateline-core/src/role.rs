//! Staff roles, Ghost's five. What each may do is decided here so the Admin API, the admin UI
//! and the CLI cannot disagree.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Contributor,
    Author,
    Editor,
    Administrator,
    Owner,
}

crate::post::text_enum!(Role {
    Contributor => "Contributor",
    Author => "Author",
    Editor => "Editor",
    Administrator => "Administrator",
    Owner => "Owner",
});

impl Role {
    /// Contributors' HTML is sanitised: they are the one role Ghost lets write but not publish.
    pub fn is_trusted_with_html(self) -> bool {
        self != Role::Contributor
    }

    pub fn can_publish(self) -> bool {
        self >= Role::Author
    }
}
