//! Request bodies in Ghost's envelope (`{"posts":[{…}]}`) read into the use cases' inputs.
//! Fields the Admin API itself answers with (`url`, `excerpt`, `primary_tag`, …) are ignored, so
//! a client may send back what it read; a field of the wrong type is a 422 naming the field.

use axum::http::StatusCode;
use dateline_app::admin::posts::{
    AuthorRef, BodyInput, CorrectionInput, PostInput, TagRef, TextField,
};
use dateline_app::admin::tags::{TagField, TagInput};
use jiff::Timestamp;
use serde_json::{Map, Value};

use crate::error::HttpError;

/// What the request is doing, for Ghost's "Validation error, cannot edit post." messages.
#[derive(Clone, Copy)]
pub struct Action {
    pub verb: &'static str,
    pub noun: &'static str,
}

impl Action {
    pub(super) fn invalid(self, context: impl Into<String>) -> HttpError {
        HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "ValidationError",
            format!("Validation error, cannot {} {}.", self.verb, self.noun),
        )
        .with_context(context)
    }
}

/// The one object under `root` (`posts`, `tags`, `settings` is a list and read elsewhere).
pub fn single<'v>(
    body: &'v Value,
    root: &str,
    action: Action,
) -> Result<&'v Map<String, Value>, HttpError> {
    body.get(root)
        .and_then(Value::as_array)
        .and_then(|items| items.first())
        .and_then(Value::as_object)
        .ok_or_else(|| action.invalid(format!("No root key ('{root}') provided.")))
}

pub fn post(
    object: &Map<String, Value>,
    source_html: bool,
    action: Action,
) -> Result<PostInput, HttpError> {
    let read = Reader { object, action };
    let mut input = PostInput {
        title: read.string("title")?,
        slug: read.string("slug")?,
        published_at: read.nullable_time("published_at")?,
        updated_at: read.nullable_time("updated_at")?.flatten(),
        featured: read.bool("featured")?,
        show_title_and_feature_image: read.bool("show_title_and_feature_image")?,
        email_only: read.bool("email_only")?,
        ..PostInput::default()
    };
    if let Some(status) = read.string("status")? {
        input.status = Some(match status.as_str() {
            "draft" | "published" | "scheduled" => status
                .parse()
                .map_err(|_| action.invalid("`status` must be draft, published or scheduled"))?,
            _ => return Err(action.invalid("`status` must be draft, published or scheduled")),
        });
    }
    if let Some(visibility) = read.string("visibility")? {
        input.visibility =
            Some(visibility.parse().map_err(|_| {
                action.invalid("`visibility` must be public, members, paid or tiers")
            })?);
    }
    for key in object.keys() {
        if let Some(field) = TextField::from_key(key)
            && let Some(value) = read.nullable_string(key)?
        {
            input.text.push((field, value));
        }
    }
    input.body = body(&read, source_html)?;
    if let Some(tags) = read.list("tags")? {
        input.tags = Some(
            tags.iter()
                .map(|t| match t {
                    Value::String(name) => Ok(TagRef {
                        name: Some(name.clone()),
                        ..TagRef::default()
                    }),
                    Value::Object(o) => {
                        let r = Reader { object: o, action };
                        Ok(TagRef {
                            id: r.string("id")?,
                            slug: r.string("slug")?,
                            name: r.string("name")?,
                        })
                    }
                    _ => Err(action.invalid("each of `tags` must be a name or an object")),
                })
                .collect::<Result<_, _>>()?,
        );
    }
    if let Some(authors) = read.list("authors")? {
        input.authors = Some(
            authors
                .iter()
                .map(|a| match a {
                    Value::String(email) => Ok(AuthorRef {
                        email: Some(email.clone()),
                        ..AuthorRef::default()
                    }),
                    Value::Object(o) => {
                        let r = Reader { object: o, action };
                        Ok(AuthorRef {
                            id: r.string("id")?,
                            email: r.string("email")?,
                            slug: r.string("slug")?,
                        })
                    }
                    _ => Err(action.invalid("each of `authors` must be an email or an object")),
                })
                .collect::<Result<_, _>>()?,
        );
    }
    if let Some(corrections) = read.list("corrections")? {
        input.corrections = Some(
            corrections
                .iter()
                .map(|c| {
                    let o = c
                        .as_object()
                        .ok_or_else(|| action.invalid("each of `corrections` must be an object"))?;
                    let r = Reader { object: o, action };
                    Ok(CorrectionInput {
                        id: r.string("id")?,
                        note: r.string("note")?.unwrap_or_default(),
                        created_at: r.nullable_time("created_at")?.flatten(),
                    })
                })
                .collect::<Result<_, HttpError>>()?,
        );
    }
    Ok(input)
}

/// The body, from the one source the request means: `html` with `?source=html`, else
/// `markdown`, else a Lexical or Mobiledoc document. A `null` document means "no change".
fn body(read: &Reader<'_>, source_html: bool) -> Result<Option<BodyInput>, HttpError> {
    if source_html && let Some(html) = read.string("html")? {
        return Ok(Some(BodyInput::Html(html)));
    }
    if let Some(markdown) = read.string("markdown")? {
        return Ok(Some(BodyInput::Markdown(markdown)));
    }
    if let Some(doc) = read.nullable_string("lexical")?.flatten() {
        return Ok(Some(BodyInput::Lexical(doc)));
    }
    Ok(read
        .nullable_string("mobiledoc")?
        .flatten()
        .map(BodyInput::Mobiledoc))
}

pub fn tag(object: &Map<String, Value>, action: Action) -> Result<TagInput, HttpError> {
    let read = Reader { object, action };
    let mut input = TagInput {
        name: read.string("name")?,
        slug: read.string("slug")?,
        ..TagInput::default()
    };
    if let Some(visibility) = read.string("visibility")? {
        input.visibility = Some(
            visibility
                .parse()
                .map_err(|_| action.invalid("`visibility` must be public or internal"))?,
        );
    }
    for key in object.keys() {
        if let Some(field) = TagField::from_key(key)
            && let Some(value) = read.nullable_string(key)?
        {
            input.text.push((field, value));
        }
    }
    Ok(input)
}

/// `{"settings":[{"key","value"}]}` as (key, value in Ghost's text encoding).
pub fn settings(body: &Value) -> Result<Vec<(String, Option<String>)>, HttpError> {
    let action = Action {
        verb: "edit",
        noun: "settings",
    };
    let items = body
        .get("settings")
        .and_then(Value::as_array)
        .ok_or_else(|| action.invalid("No root key ('settings') provided."))?;
    items
        .iter()
        .map(|item| {
            let key = item
                .get("key")
                .and_then(Value::as_str)
                .ok_or_else(|| action.invalid("each setting needs a `key`"))?;
            let value = match item.get("value") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => Some(other.to_string()),
            };
            Ok((key.to_owned(), value))
        })
        .collect()
}

/// Typed reads of one JSON object's fields; absent and `null` mean "not sent" unless the
/// field is nullable.
pub(super) struct Reader<'o> {
    pub(super) object: &'o Map<String, Value>,
    pub(super) action: Action,
}

impl Reader<'_> {
    pub(super) fn wrong(&self, key: &str, what: &str) -> HttpError {
        self.action.invalid(format!("`{key}` must be {what}"))
    }

    pub(super) fn string(&self, key: &str) -> Result<Option<String>, HttpError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.wrong(key, "a string")),
        }
    }

    /// `Some(None)` when the client sent `null` to clear the field.
    pub(super) fn nullable_string(&self, key: &str) -> Result<Option<Option<String>>, HttpError> {
        match self.object.get(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
            Some(_) => Err(self.wrong(key, "a string or null")),
        }
    }

    pub(super) fn bool(&self, key: &str) -> Result<Option<bool>, HttpError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.wrong(key, "true or false")),
        }
    }

    pub(super) fn list(&self, key: &str) -> Result<Option<&Vec<Value>>, HttpError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(self.wrong(key, "a list")),
        }
    }

    /// A date as Ghost's clients send it (`2025-09-08T10:30:00.000Z`, any offset), kept to the
    /// second like every stored time.
    fn nullable_time(&self, key: &str) -> Result<Option<Option<Timestamp>>, HttpError> {
        match self.nullable_string(key)? {
            None => Ok(None),
            Some(None) => Ok(Some(None)),
            Some(Some(text)) => text
                .parse::<Timestamp>()
                .map(|t| Some(Some(dateline_core::time::to_seconds(t))))
                .map_err(|_| self.wrong(key, "a date such as 2025-09-08T10:30:00.000Z")),
        }
    }
}
