//! Creating a site's owner: the first staff account, without which the admin cannot be used.

use dateline_core::role::Role;
use dateline_core::settings::{Setting, Settings};
use dateline_core::user::User;
use dateline_store::{settings, users};

use crate::{App, AppError, ContentChanged, Result, password, unique_slug};

pub struct OwnerInput<'a> {
    pub site_title: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

impl App {
    /// Creates the owner and names the site. Refuses if the site already has an owner.
    pub async fn create_owner(&self, input: OwnerInput<'_>) -> Result<User> {
        let email = validate_email(input.email)?;
        let name = input.name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("name", "must not be empty"));
        }
        let title = input.site_title.trim();
        if title.is_empty() {
            return Err(AppError::invalid("title", "must not be empty"));
        }
        password::check_strength(input.password)?;
        let password_hash = password::hash(input.password)?;

        let mut tx = self.store.begin().await?;
        if users::owner_exists(&mut tx).await? {
            let owner = users::all(&mut tx)
                .await?
                .into_iter()
                .find(|u| u.role == Role::Owner)
                .map(|u| u.email)
                .unwrap_or_default();
            return Err(AppError::OwnerExists { email: owner });
        }
        if users::by_email(&mut tx, &email).await?.is_some() {
            return Err(AppError::invalid(
                "email",
                "a staff user with this email exists",
            ));
        }
        let now = dateline_core::time::now();
        let slug = unique_slug::user(&mut tx, name).await?;
        let user = User::new_account(name, slug, email, password_hash, Role::Owner, now);
        users::insert(&mut tx, &user).await?;
        for default in Settings::defaults(title) {
            settings::insert_missing(&mut tx, &default, now).await?;
        }
        let title_setting = Setting {
            key: "title".to_owned(),
            value: Some(title.to_owned()),
            group: "site".to_owned(),
            value_type: "string".to_owned(),
            flags: None,
        };
        settings::upsert(&mut tx, &title_setting, now).await?;
        tx.commit().await?;
        self.events.emit(ContentChanged::Everything);
        Ok(user)
    }
}

/// A light check that catches typos, not a full RFC 5322 parser: one `@`, something on both
/// sides, a dot in the domain, no spaces.
pub fn validate_email(email: &str) -> Result<String> {
    let email = email.trim();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(email.to_owned())
    } else {
        Err(AppError::invalid(
            "email",
            format!("`{email}` is not an email address"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::validate_email;

    #[test]
    fn emails() {
        assert!(validate_email(" editor@example.com ").is_ok());
        for bad in [
            "",
            "editor",
            "@example.com",
            "a@b",
            "a b@example.com",
            "a@.com",
            "a@b.com.",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
    }
}
