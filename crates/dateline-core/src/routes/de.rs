//! Reading `routes.yaml` with its checks. Each value type checks itself in its `Deserialize`, so
//! `serde_norway` still knows where it was when a check fails (see [`refusal`] for how that
//! becomes the line of the offending text).

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{
    Collection, DataEntry, Listing, PERMALINK_VARIABLES, Resource, Route, RoutesError, RoutesFile,
    Taxonomies,
};

pub(super) fn parse(text: &str) -> Result<RoutesFile, RoutesError> {
    let file: File = serde_norway::from_str(text).map_err(|e| refusal(text, e))?;
    let routes = file.routes.map(|m| m.0).unwrap_or_default();
    let collections = file.collections.map(|m| m.0).unwrap_or_default();
    let mut seen: HashSet<String> = routes.iter().map(|r| r.path.clone()).collect();
    for collection in &collections {
        if !seen.insert(collection.path.clone()) {
            return Err(RoutesError {
                line: line_of_key(
                    text,
                    line_of_key(text, 1, "collections").unwrap_or(1),
                    &collection.path,
                ),
                message: format!(
                    "`{}` is both a route and a collection; a path can only be one",
                    collection.path
                ),
            });
        }
    }
    let taxonomies = file.taxonomies.unwrap_or(TaxonomiesSpec {
        tag: None,
        author: None,
    });
    Ok(RoutesFile {
        routes,
        collections,
        taxonomies: Taxonomies {
            tag: taxonomies.tag.map(|p| p.0),
            author: taxonomies.author.map(|p| p.0),
        },
    })
}

/// The first line that holds `key:` as a mapping key at or after line `from` (1-based).
fn line_of_key(text: &str, from: usize, key: &str) -> Option<usize> {
    let quoted = [key.to_owned(), format!("'{key}'"), format!("\"{key}\"")];
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, line)| {
            let line = line.trim_start();
            quoted.iter().any(|k| {
                line.strip_prefix(k.as_str())
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
        })
        .map(|(i, _)| i + 1)
}

/// `serde_norway` places an error raised inside a value at the start of the mapping holding
/// it, and prefixes the message with the keys leading there. Every message here quotes the
/// offending text in backticks first, so the line is the first one from that mapping on that
/// holds it (the second, for a key given twice).
fn refusal(text: &str, err: serde_norway::Error) -> RoutesError {
    let mark = err.location().map(|l| l.line());
    let full = err.to_string();
    let message = match full.rsplit_once(" at line ") {
        Some((message, position))
            if position
                .split(" column ")
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            message.to_owned()
        }
        _ => full,
    };
    let quoted = message
        .split('`')
        .nth(1)
        .filter(|q| !q.is_empty() && !q.contains('\n'));
    let line = match (mark, quoted) {
        (Some(mark), Some(quoted)) => {
            let mut hits = text
                .lines()
                .enumerate()
                .skip(mark.saturating_sub(1))
                .filter(|(_, line)| line.contains(quoted))
                .map(|(i, _)| i + 1);
            let first = hits.next();
            let hit = if message.ends_with("appears twice") {
                hits.next()
            } else {
                first
            };
            hit.or(Some(mark))
        }
        _ => mark,
    };
    RoutesError { line, message }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    routes: Option<PathMap<Route>>,
    collections: Option<PathMap<Collection>>,
    taxonomies: Option<TaxonomiesSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomiesSpec {
    tag: Option<TaxonomyPermalink>,
    author: Option<TaxonomyPermalink>,
}

/// Entries keyed by path, in file order; a key must be a path and appear once.
struct PathMap<T>(Vec<T>);

trait AtPath: Sized {
    fn deserialize_at<'de, D: Deserializer<'de>>(path: String, d: D) -> Result<Self, D::Error>;
}

impl<'de, T: AtPath> Deserialize<'de> for PathMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: AtPath> Visitor<'de> for V<T> {
            type Value = PathMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map from paths such as /about/ to their settings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut seen = HashSet::new();
                let mut items = Vec::new();
                while let Some(path) = map.next_key::<RoutePath>()? {
                    let path = path.0;
                    if !seen.insert(path.clone()) {
                        return Err(de::Error::custom(format!("`{path}` appears twice")));
                    }
                    items.push(map.next_value_seed(Seed::<T>(path, std::marker::PhantomData))?);
                }
                Ok(PathMap(items))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

struct Seed<T>(String, std::marker::PhantomData<T>);

impl<'de, T: AtPath> de::DeserializeSeed<'de> for Seed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::deserialize_at(self.0, d)
    }
}

/// A route or collection path: `/` or `/a/b/`, lowercase-safe URL characters only.
struct RoutePath(String);

impl<'de> Deserialize<'de> for RoutePath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let path = String::deserialize(d)?;
        if !path.starts_with('/') || !path.ends_with('/') {
            return Err(de::Error::custom(format!(
                "the path `{path}` must start and end with a slash, like /{}/",
                path.trim_matches('/')
            )));
        }
        if path.contains("//")
            || !path
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/-_.~".contains(&b))
        {
            return Err(de::Error::custom(format!(
                "the path `{path}` may only hold letters, digits, `-`, `_`, `.` and `~` between single slashes"
            )));
        }
        if path.contains('{') {
            return Err(de::Error::custom(format!(
                "the path `{path}` cannot hold variables; only permalinks can"
            )));
        }
        Ok(RoutePath(path))
    }
}

/// `template: name` or `template: [first, fallback]`.
struct Templates(Vec<String>);

impl<'de> Deserialize<'de> for Templates {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Templates;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a template name or a list of them")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Templates, E> {
                Ok(Templates(vec![template_name(v)?]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Templates, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(template_name(&name)?);
                }
                if names.is_empty() {
                    return Err(de::Error::custom("the template list is empty"));
                }
                Ok(Templates(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// A theme file's name without `.hbs` (Ghost accepts it with the extension too).
fn template_name<E: de::Error>(name: &str) -> Result<String, E> {
    let name = name.trim();
    let name = name.strip_suffix(".hbs").unwrap_or(name);
    if name.is_empty()
        || name.starts_with(['.', '/'])
        || name.contains("..")
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
    {
        return Err(E::custom(format!(
            "`{name}` is not a template name; name a theme file without .hbs, like `index`"
        )));
    }
    Ok(name.to_owned())
}

/// A filter in NQL, checked by the same parser the store uses.
struct Filter(String);

impl<'de> Deserialize<'de> for Filter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let filter = String::deserialize(d)?;
        crate::nql::parse(&filter).map_err(|e| {
            de::Error::custom(format!(
                "the filter `{filter}` is not valid NQL: {} (at character {})",
                e.message,
                e.position + 1
            ))
        })?;
        Ok(Filter(filter))
    }
}

/// `published_at desc, title asc`.
struct Order(String);

impl<'de> Deserialize<'de> for Order {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let order = String::deserialize(d)?;
        let valid = order.split(',').all(|part| {
            let mut words = part.split_whitespace();
            let field_ok = words.next().is_some_and(|f| {
                f.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            });
            let direction_ok = words
                .next()
                .is_none_or(|d| d.eq_ignore_ascii_case("asc") || d.eq_ignore_ascii_case("desc"));
            field_ok && direction_ok && words.next().is_none()
        });
        if !valid {
            return Err(de::Error::custom(format!(
                "the order `{order}` must be fields with asc or desc, like `published_at desc`"
            )));
        }
        Ok(Order(order))
    }
}

/// Posts per page: a whole number from 1, or `all` (Ghost's word for no limit), kept as `None`.
struct Limit(Option<u32>);

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Limit;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number from 1 to 100, or `all`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Limit, E> {
                match u32::try_from(v) {
                    Ok(n @ 1..=100) => Ok(Limit(Some(n))),
                    _ => Err(E::custom(format!(
                        "the limit `{v}` is not between 1 and 100"
                    ))),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Limit, E> {
                Err(E::custom(format!(
                    "the limit `{v}` is not between 1 and 100"
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Limit, E> {
                if v == "all" {
                    Ok(Limit(None))
                } else {
                    Err(E::custom(format!(
                        "the limit `{v}` must be a number or `all`"
                    )))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// `permalink: /{year}/{slug}/` of a collection.
struct Permalink(String);

impl<'de> Deserialize<'de> for Permalink {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let permalink = String::deserialize(d)?;
        let variables = permalink_variables(&permalink).map_err(de::Error::custom)?;
        if let Some(bad) = variables.iter().find(|v| !PERMALINK_VARIABLES.contains(v)) {
            return Err(de::Error::custom(format!(
                "`{{{bad}}}` in the permalink `{permalink}` is not a permalink variable; use {}",
                PERMALINK_VARIABLES
                    .iter()
                    .map(|v| format!("{{{v}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if !variables.iter().any(|v| *v == "slug" || *v == "id") {
            return Err(de::Error::custom(format!(
                "the permalink `{permalink}` must hold {{slug}} or {{id}}, or two posts would share it"
            )));
        }
        Ok(Permalink(permalink))
    }
}

/// `tag: /tag/{slug}/`: a taxonomy permalink names its archive by `{slug}` alone.
struct TaxonomyPermalink(String);

impl<'de> Deserialize<'de> for TaxonomyPermalink {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let permalink = String::deserialize(d)?;
        let variables = permalink_variables(&permalink).map_err(de::Error::custom)?;
        if variables != ["slug"] {
            return Err(de::Error::custom(format!(
                "the taxonomy permalink `{permalink}` must hold {{slug}} once and no other variable"
            )));
        }
        Ok(TaxonomyPermalink(permalink))
    }
}

/// The `{name}` variables of a permalink, after checking its shape.
fn permalink_variables(permalink: &str) -> Result<Vec<&str>, String> {
    if !permalink.starts_with('/') || !permalink.ends_with('/') {
        return Err(format!(
            "the permalink `{permalink}` must start and end with a slash"
        ));
    }
    if permalink.contains("/:") {
        return Err(format!(
            "the permalink `{permalink}` uses :name, which Ghost dropped; write {{name}}"
        ));
    }
    let mut variables = Vec::new();
    let mut rest = permalink;
    while let Some(open) = rest.find(['{', '}']) {
        let Some(after) = rest[open..].strip_prefix('{') else {
            return Err(format!("the permalink `{permalink}` has an unmatched }}"));
        };
        let Some(close) = after.find('}') else {
            return Err(format!("the permalink `{permalink}` has an unclosed {{"));
        };
        variables.push(&after[..close]);
        rest = &after[close + 1..];
    }
    Ok(variables)
}

/// `data:` as a shortcut (`tag.news`) or a map of names to shortcuts or long forms.
struct Data(Vec<DataEntry>);

impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Data;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a shortcut like tag.news, or a map of names to resources")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Data, E> {
                let (resource, slug) = shortcut(v)?;
                Ok(Data(vec![DataEntry {
                    name: resource.singular().to_owned(),
                    resource,
                    slug,
                    redirect: true,
                }]))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Data, A::Error> {
                let mut entries: Vec<DataEntry> = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    if entries.iter().any(|e| e.name == name) {
                        return Err(de::Error::custom(format!("data `{name}` appears twice")));
                    }
                    if name.is_empty()
                        || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    {
                        return Err(de::Error::custom(format!(
                            "`{name}` cannot name data: use letters, digits and _"
                        )));
                    }
                    let entry = map.next_value::<DataValue>()?;
                    entries.push(DataEntry {
                        name,
                        resource: entry.resource,
                        slug: entry.slug,
                        redirect: entry.redirect,
                    });
                }
                Ok(Data(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// `tag.news` → (tags, `news`).
fn shortcut<E: de::Error>(v: &str) -> Result<(Resource, String), E> {
    let malformed = || {
        E::custom(format!(
            "the data shortcut `{v}` must be post.SLUG, page.SLUG, tag.SLUG or author.SLUG"
        ))
    };
    let (resource, slug) = v.split_once('.').ok_or_else(malformed)?;
    let resource = match resource {
        "post" => Resource::Posts,
        "page" => Resource::Pages,
        "tag" => Resource::Tags,
        "author" => Resource::Authors,
        _ => return Err(malformed()),
    };
    if !is_slug(slug) {
        return Err(malformed());
    }
    Ok((resource, slug.to_owned()))
}

fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80)
}

/// One named entry of `data:`: a shortcut, or `{type: read, resource, slug, redirect}`.
struct DataValue {
    resource: Resource,
    slug: String,
    redirect: bool,
}

impl<'de> Deserialize<'de> for DataValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DataValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a shortcut like tag.news or {type: read, resource, slug}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DataValue, E> {
                let (resource, slug) = shortcut(v)?;
                Ok(DataValue {
                    resource,
                    slug,
                    redirect: true,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DataValue, A::Error> {
                let long = LongData::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if long.kind != "read" {
                    return Err(de::Error::custom(format!(
                        "data of type `{}` is not supported; use type: read with a slug",
                        long.kind
                    )));
                }
                let resource = match long.resource.as_str() {
                    "posts" => Resource::Posts,
                    "pages" => Resource::Pages,
                    "tags" => Resource::Tags,
                    "authors" => Resource::Authors,
                    other => {
                        return Err(de::Error::custom(format!(
                            "`{other}` is not a resource; use posts, pages, tags or authors"
                        )));
                    }
                };
                if !is_slug(&long.slug) {
                    return Err(de::Error::custom(format!("`{}` is not a slug", long.slug)));
                }
                Ok(DataValue {
                    resource,
                    slug: long.slug,
                    redirect: long.redirect.unwrap_or(true),
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LongData {
    #[serde(rename = "type")]
    kind: String,
    resource: String,
    slug: String,
    redirect: Option<bool>,
}

/// The long form of a route.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteSpec {
    template: Option<Templates>,
    data: Option<Data>,
    content_type: Option<ContentType>,
    controller: Option<Controller>,
    filter: Option<Filter>,
    order: Option<Order>,
    limit: Option<Limit>,
    rss: Option<bool>,
}

/// Only `channel` exists.
struct Controller;

impl<'de> Deserialize<'de> for Controller {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        if name == "channel" {
            Ok(Controller)
        } else {
            Err(de::Error::custom(format!(
                "the controller `{name}` does not exist; the only one is `channel`"
            )))
        }
    }
}

/// `content_type: xml` (Ghost's short names) or a full media type.
struct ContentType(String);

impl<'de> Deserialize<'de> for ContentType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = String::deserialize(d)?;
        let full = match value.as_str() {
            "xml" => "text/xml",
            "rss" => "application/rss+xml",
            "json" => "application/json",
            "html" => "text/html",
            "text" => "text/plain",
            other => other,
        };
        let (kind, sub) = full.split_once('/').unwrap_or_default();
        let token = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
        };
        if !token(kind) || !token(sub.split(';').next().unwrap_or_default().trim()) {
            return Err(de::Error::custom(format!(
                "`{value}` is not a content type; write xml, rss, json, html, text or a media type like text/xml"
            )));
        }
        Ok(ContentType(format!("{kind}/{sub}")))
    }
}

impl AtPath for Route {
    fn deserialize_at<'de, D: Deserializer<'de>>(path: String, d: D) -> Result<Self, D::Error> {
        struct V(String);
        impl<'de> Visitor<'de> for V {
            type Value = Route;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a template name or the route's settings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Route, E> {
                Ok(Route {
                    path: self.0,
                    template: vec![template_name(v)?],
                    data: Vec::new(),
                    content_type: None,
                    channel: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Route, A::Error> {
                let spec = RouteSpec::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let channel = match spec.controller {
                    Some(Controller) => Some(Listing {
                        filter: spec.filter.map(|f| f.0),
                        order: spec.order.map(|o| o.0),
                        limit: spec.limit.and_then(|l| l.0),
                        rss: spec.rss.unwrap_or(true),
                    }),
                    None => {
                        if spec.filter.is_some()
                            || spec.order.is_some()
                            || spec.limit.is_some()
                            || spec.rss.is_some()
                        {
                            return Err(de::Error::custom(format!(
                                "`{}` sets filter, order, limit or rss without `controller: channel`",
                                self.0
                            )));
                        }
                        None
                    }
                };
                let template = spec.template.map(|t| t.0).unwrap_or_default();
                if channel.is_none() && template.is_empty() {
                    return Err(de::Error::custom(format!(
                        "`{}` needs a template (or `controller: channel`)",
                        self.0
                    )));
                }
                Ok(Route {
                    path: self.0,
                    template,
                    data: spec.data.map(|d| d.0).unwrap_or_default(),
                    content_type: spec.content_type.map(|c| c.0),
                    channel,
                })
            }
        }
        d.deserialize_any(V(path))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CollectionSpec {
    permalink: Permalink,
    template: Option<Templates>,
    data: Option<Data>,
    filter: Option<Filter>,
    order: Option<Order>,
    limit: Option<Limit>,
    rss: Option<bool>,
}

impl AtPath for Collection {
    fn deserialize_at<'de, D: Deserializer<'de>>(path: String, d: D) -> Result<Self, D::Error> {
        let spec = CollectionSpec::deserialize(d)?;
        Ok(Collection {
            path,
            permalink: spec.permalink.0,
            template: spec.template.map(|t| t.0).unwrap_or_default(),
            data: spec.data.map(|d| d.0).unwrap_or_default(),
            listing: Listing {
                filter: spec.filter.map(|f| f.0),
                order: spec.order.map(|o| o.0),
                limit: spec.limit.and_then(|l| l.0),
                rss: spec.rss.unwrap_or(true),
            },
        })
    }
}
