//! Staff users (journalists, editors, the owner). Readers are members, a later type.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::id::ObjectId;
use crate::role::Role;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: ObjectId,
    pub name: String,
    pub slug: String,
    pub email: String,
    /// Argon2id PHC string, or a bcrypt hash carried over from Ghost until the next sign-in.
    pub password_hash: String,
    pub role: Role,
    pub profile_image: Option<String>,
    pub cover_image: Option<String>,
    pub bio: Option<String>,
    pub website: Option<String>,
    pub location: Option<String>,
    pub facebook: Option<String>,
    pub twitter: Option<String>,
    pub social: Social,
    pub accessibility: Option<String>,
    pub status: String,
    pub locale: Option<String>,
    pub visibility: String,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub tour: Option<String>,
    pub last_seen: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl User {
    /// A new staff account as setup and an accepted invitation make it: active, public, with
    /// nothing but its name, slug, address, password and role; the profile is filled in later.
    pub fn new_account(
        name: &str,
        slug: String,
        email: String,
        password_hash: String,
        role: Role,
        now: Timestamp,
    ) -> User {
        User {
            id: ObjectId::generate(),
            name: name.to_owned(),
            slug,
            email,
            password_hash,
            role,
            profile_image: None,
            cover_image: None,
            bio: None,
            website: None,
            location: None,
            facebook: None,
            twitter: None,
            social: Social::default(),
            accessibility: None,
            status: "active".to_owned(),
            locale: None,
            visibility: "public".to_owned(),
            meta_title: None,
            meta_description: None,
            tour: None,
            last_seen: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// The social profile links Ghost 5.1xx added; kept together because they travel together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Social {
    pub threads: Option<String>,
    pub bluesky: Option<String>,
    pub mastodon: Option<String>,
    pub tiktok: Option<String>,
    pub youtube: Option<String>,
    pub instagram: Option<String>,
    pub linkedin: Option<String>,
}
