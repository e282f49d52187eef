//! The hooks use cases call inside their transaction: [`App::webhook_snapshot`] before a
//! change (for `previous`), [`App::webhook_changed`] after it. Together they decide Ghost's
//! events for the change, build Ghost's payload (its URLs where the site's routes put the
//! record) (`{"post":{"current":{…},"previous":{…}}}`,
//! `previous` holding only the fields that changed) and queue it for every subscribed webhook.
//! A site without webhooks pays one indexed query per hook.

use dateline_core::id::ObjectId;
use dateline_core::post::PostStatus;
use dateline_core::routes::SiteRoutes;
use dateline_store::webhooks as store;
use dateline_store::{Tx, members, posts, settings, tags};
use serde_json::{Map, Value, json};

use super::PayloadFormat;
use crate::{App, Result};

/// The record a change is about.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Record<'a> {
    /// A post or a page.
    Post(&'a ObjectId),
    Tag(&'a ObjectId),
    /// By id.
    Member(&'a str),
    /// The settings: `site.changed`, with an empty payload.
    Site,
}

/// A record as a payload shows it, with what decides a post's events.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    /// `post`, `page`, `tag` or `member`.
    noun: &'static str,
    status: Option<PostStatus>,
    published_at: Value,
    json: Value,
}

impl App {
    /// The record as it is now, inside `tx`, before the caller changes it; `None` when it does
    /// not exist or no webhook could hear about it.
    pub(crate) async fn webhook_snapshot(
        &self,
        tx: &mut Tx,
        record: Record<'_>,
    ) -> Result<Option<Snapshot>> {
        let Some(format) = self.webhooks.format.clone() else {
            return Ok(None);
        };
        if !store::any(tx).await? {
            return Ok(None);
        }
        snapshot(tx, format.as_ref(), record).await
    }

    /// Queues the events of a change to `record`, made in `tx`, whose state before was
    /// `before` (`None` for a new record).
    pub(crate) async fn webhook_changed(
        &self,
        tx: &mut Tx,
        record: Record<'_>,
        before: Option<Snapshot>,
    ) -> Result<()> {
        let Some(format) = self.webhooks.format.clone() else {
            return Ok(());
        };
        if !store::any(tx).await? {
            return Ok(());
        }
        let now = dateline_core::time::now();
        if let Record::Site = record {
            return self
                .enqueue(tx, &["site.changed".to_owned()], &json!({}), now)
                .await;
        }
        let after = snapshot(tx, format.as_ref(), record).await?;
        let Some(noun) = after.as_ref().or(before.as_ref()).map(|s| s.noun) else {
            return Ok(());
        };
        let events = events(noun, before.as_ref(), after.as_ref());
        let (current, previous) = match (&before, &after) {
            (Some(b), Some(a)) => (a.json.clone(), changed_fields(&b.json, &a.json)),
            (None, Some(a)) => (a.json.clone(), json!({})),
            (Some(b), None) => (json!({}), b.json.clone()),
            (None, None) => return Ok(()),
        };
        let payload = json!({ noun: { "current": current, "previous": previous } });
        self.enqueue(tx, &events, &payload, now).await?;
        if changes_the_site(noun, before.as_ref(), after.as_ref()) {
            self.enqueue(tx, &["site.changed".to_owned()], &json!({}), now)
                .await?;
        }
        Ok(())
    }

    async fn enqueue(
        &self,
        tx: &mut Tx,
        events: &[String],
        payload: &Value,
        now: jiff::Timestamp,
    ) -> Result<()> {
        let body = payload.to_string();
        let mut queued = 0;
        for event in events {
            queued += store::enqueue(tx, event, &body, now).await?;
        }
        if queued > 0 {
            // Woken before the commit, the worker may look too early; it looks again shortly.
            self.webhooks.wake.notify_one();
        }
        Ok(())
    }
}

async fn snapshot(
    tx: &mut Tx,
    format: &dyn PayloadFormat,
    record: Record<'_>,
) -> Result<Option<Snapshot>> {
    Ok(match record {
        Record::Post(id) => {
            let Some(post) = posts::by_id(tx, id).await? else {
                return Ok(None);
            };
            let noun = match post.post_type {
                dateline_core::post::PostType::Post => "post",
                dateline_core::post::PostType::Page => "page",
            };
            let status = post.status;
            let routes = SiteRoutes::of(&settings::all(tx).await?);
            let detail = crate::content::with_relations(tx, vec![post]).await?;
            detail.first().map(|d| {
                let json = format.post(d, &routes);
                Snapshot {
                    noun,
                    status: Some(status),
                    published_at: json.get("published_at").cloned().unwrap_or(Value::Null),
                    json,
                }
            })
        }
        Record::Tag(id) => {
            let Some(tag) = tags::by_id(tx, id).await? else {
                return Ok(None);
            };
            let routes = SiteRoutes::of(&settings::all(tx).await?);
            Some(Snapshot {
                noun: "tag",
                status: None,
                published_at: Value::Null,
                json: format.tag(&tag, &routes),
            })
        }
        Record::Member(id) => {
            let Some(member) = members::by_id(tx, id).await? else {
                return Ok(None);
            };
            let detail = crate::members::admin::details(tx, vec![member]).await?;
            let Some(d) = detail.first() else {
                return Ok(None);
            };
            // Ghost's member payload carries the member's one-click unsubscribe link, signed
            // as the Admin API and newsletter mails sign it.
            let secret = crate::members::mail_secret_in(tx).await?;
            let key = dateline_mail::unsubscribe::key(&secret, &d.member.uuid);
            Some(Snapshot {
                noun: "member",
                status: None,
                published_at: Value::Null,
                json: format.member(d, &key),
            })
        }
        Record::Site => None,
    })
}

/// Ghost's events for a change, in the order Ghost emits them.
fn events(noun: &str, before: Option<&Snapshot>, after: Option<&Snapshot>) -> Vec<String> {
    let published =
        |s: Option<&Snapshot>| s.is_some_and(|s| s.status == Some(PostStatus::Published));
    let scheduled =
        |s: Option<&Snapshot>| s.is_some_and(|s| s.status == Some(PostStatus::Scheduled));
    let mut names: Vec<&str> = Vec::new();
    match (before, after) {
        (None, Some(_)) => {
            names.push("added");
            if published(after) {
                names.push("published");
            } else if scheduled(after) {
                names.push("scheduled");
            }
        }
        (Some(_), None) => {
            if published(before) {
                names.push("unpublished");
            }
            names.push("deleted");
        }
        (Some(b), Some(a)) => {
            if noun == "post" || noun == "page" {
                if b.status != a.status {
                    if published(after) {
                        names.push("published");
                    } else if scheduled(after) {
                        names.push("scheduled");
                    } else if published(before) {
                        names.push("unpublished");
                    } else if scheduled(before) {
                        names.push("unscheduled");
                    }
                } else if scheduled(after) && a.published_at != b.published_at {
                    names.push("rescheduled");
                }
                if published(before) && published(after) {
                    names.push("published.edited");
                }
            }
            names.push("edited");
        }
        (None, None) => {}
    }
    names.into_iter().map(|n| format!("{noun}.{n}")).collect()
}

/// Whether Ghost would also send `site.changed`, which it sends for every Admin API change
/// that invalidates the whole site's cache (static-site builders rebuild on it): a change to a
/// post or page that is or was published, and an edited or deleted tag. The settings send it
/// through [`Record::Site`].
fn changes_the_site(noun: &str, before: Option<&Snapshot>, after: Option<&Snapshot>) -> bool {
    let live = |s: Option<&Snapshot>| s.is_some_and(|s| s.status == Some(PostStatus::Published));
    match noun {
        "post" | "page" => live(before) || live(after),
        "tag" => before.is_some(),
        _ => false,
    }
}

/// The fields of `before` whose value `after` changed: Ghost's `previous`.
fn changed_fields(before: &Value, after: &Value) -> Value {
    let (Value::Object(b), Value::Object(a)) = (before, after) else {
        return before.clone();
    };
    let changed: Map<String, Value> = b
        .iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(status: PostStatus, at: &str) -> Snapshot {
        Snapshot {
            noun: "post",
            status: Some(status),
            published_at: json!(at),
            json: json!({ "status": status.as_str(), "published_at": at }),
        }
    }

    #[test]
    fn events_follow_ghost() {
        use PostStatus::*;
        let draft = post(Draft, "");
        let live = post(Published, "a");
        let soon = post(Scheduled, "b");
        let later = post(Scheduled, "c");
        assert_eq!(
            events("post", None, Some(&live)),
            ["post.added", "post.published"]
        );
        assert_eq!(
            events("post", Some(&draft), Some(&live)),
            ["post.published", "post.edited"]
        );
        assert_eq!(
            events("post", Some(&live), Some(&live)),
            ["post.published.edited", "post.edited"]
        );
        assert_eq!(
            events("post", Some(&live), Some(&draft)),
            ["post.unpublished", "post.edited"]
        );
        assert_eq!(
            events("post", Some(&draft), Some(&soon)),
            ["post.scheduled", "post.edited"]
        );
        assert_eq!(
            events("post", Some(&soon), Some(&draft)),
            ["post.unscheduled", "post.edited"]
        );
        assert_eq!(
            events("post", Some(&soon), Some(&later)),
            ["post.rescheduled", "post.edited"]
        );
        assert_eq!(
            events("post", Some(&soon), Some(&live)),
            ["post.published", "post.edited"]
        );
        assert_eq!(
            events("page", Some(&live), None),
            ["page.unpublished", "page.deleted"]
        );
    }

    #[test]
    fn only_public_changes_change_the_site() {
        use PostStatus::*;
        let (draft, live) = (post(Draft, ""), post(Published, "a"));
        assert!(!changes_the_site("post", Some(&draft), Some(&draft)));
        assert!(!changes_the_site("post", None, Some(&draft)));
        assert!(changes_the_site("post", Some(&draft), Some(&live)));
        assert!(changes_the_site("page", Some(&live), None));
        let tag = Snapshot {
            noun: "tag",
            status: None,
            published_at: Value::Null,
            json: json!({}),
        };
        assert!(!changes_the_site("tag", None, Some(&tag)));
        assert!(changes_the_site("tag", Some(&tag), None));
        assert!(!changes_the_site("member", Some(&tag), None));
    }

    #[test]
    fn previous_holds_what_changed() {
        let before = json!({ "id": "1", "title": "Old", "tags": [] });
        let after = json!({ "id": "1", "title": "New", "tags": [] });
        assert_eq!(changed_fields(&before, &after), json!({ "title": "Old" }));
    }
}
