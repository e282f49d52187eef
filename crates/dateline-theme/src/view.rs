//! View models: what templates see. Each is a `Serialize` struct with Ghost's field names (so a
//! Ghost theme finds `post.title`, `post.primary_tag.name`, `author.profile_image`), built by a
//! constructor from core types and the [`SiteContext`]. Templates never see database rows: the
//! constructors decide what is public (no emails, no password hashes, no internal tags as
//! sections), make every URL absolute and put every date in the site's timezone. Unset
//! optional fields are left out rather than sent as `null`: templates read both alike, and a
//! render then serialises a third of the values.

mod author;
mod image;
mod member;
mod pagination;
mod post;
mod site;
mod tag;

pub use author::AuthorView;
pub use member::{MemberFacts, MemberNewsletterView, MemberView};
pub use pagination::PaginationView;
pub use post::{CorrectionView, PostView};
pub use site::{NavigationItem, SiteContext, SiteView};
pub use tag::TagView;
