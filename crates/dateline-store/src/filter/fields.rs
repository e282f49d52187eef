//! The field whitelist: which NQL fields each resource may be filtered by, the column behind
//! each, and the relations posts can be filtered through. A field missing here is an error, so
//! secrets (`password_hash`, staff `email`, which Ghost also refuses) and unindexed bodies
//! (`html`, `plaintext`) cannot be probed through a public `filter=`.

use super::Resource;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    /// `0`/`1` in SQLite, `boolean` in PostgreSQL; bound as a Rust `bool` for either.
    Bool,
    /// RFC 3339 text in SQLite, `timestamptz` in PostgreSQL; bound as a timestamp for either.
    Time,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
    /// `name` is a whole SQL expression over the resource's table rather than one of its
    /// columns (a member's `subscribed`), so it is not qualified by the table.
    pub derived: bool,
}

impl Column {
    /// How the compiled condition refers to the value, on the resource's `table`.
    pub(super) fn reference(&self, table: &str) -> String {
        if self.derived {
            self.name.to_owned()
        } else {
            format!("{table}.{}", self.name)
        }
    }
}

/// Field name → column, in the order the "unknown field" error lists them.
type Fields = &'static [(&'static str, Column)];

const fn text(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Text,
        nullable: false,
        derived: false,
    }
}

const fn optional_text(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Text,
        nullable: true,
        derived: false,
    }
}

const fn boolean(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Bool,
        nullable: false,
        derived: false,
    }
}

const fn time(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Time,
        nullable: false,
        derived: false,
    }
}

const fn optional_time(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Time,
        nullable: true,
        derived: false,
    }
}

/// Ghost's `subscribed`: the member gets at least one newsletter.
const SUBSCRIBED: Column = Column {
    name: "(members.id IN (SELECT nql_s.member_id FROM members_newsletters nql_s))",
    kind: Kind::Bool,
    nullable: false,
    derived: true,
};

/// Field name → column of `posts` (posts and pages).
const POSTS: Fields = &[
    ("id", text("id")),
    ("uuid", text("uuid")),
    ("slug", text("slug")),
    ("title", text("title")),
    ("type", text("type")),
    ("status", text("status")),
    ("visibility", text("visibility")),
    ("featured", boolean("featured")),
    ("email_only", boolean("email_only")),
    (
        "show_title_and_feature_image",
        boolean("show_title_and_feature_image"),
    ),
    ("published_at", optional_time("published_at")),
    ("created_at", time("created_at")),
    ("updated_at", time("updated_at")),
    ("custom_excerpt", optional_text("custom_excerpt")),
    ("feature_image", optional_text("feature_image")),
    ("language", optional_text("language")),
    // Ghost's name for the same thing.
    ("locale", optional_text("language")),
    ("dateline", optional_text("dateline")),
    ("canonical_url", optional_text("canonical_url")),
    ("custom_template", optional_text("custom_template")),
    ("meta_title", optional_text("meta_title")),
    ("meta_description", optional_text("meta_description")),
    ("og_title", optional_text("og_title")),
    ("og_description", optional_text("og_description")),
    ("twitter_title", optional_text("twitter_title")),
    ("twitter_description", optional_text("twitter_description")),
];

const TAGS: Fields = &[
    ("id", text("id")),
    ("slug", text("slug")),
    ("name", text("name")),
    ("visibility", text("visibility")),
    ("description", optional_text("description")),
    ("feature_image", optional_text("feature_image")),
    ("parent_id", optional_text("parent_id")),
    ("accent_color", optional_text("accent_color")),
    ("canonical_url", optional_text("canonical_url")),
    ("meta_title", optional_text("meta_title")),
    ("meta_description", optional_text("meta_description")),
    ("created_at", time("created_at")),
    ("updated_at", time("updated_at")),
];

/// Staff as the Content API shows them: no email, password hash, role or sign-in times.
const AUTHORS: Fields = &[
    ("id", text("id")),
    ("slug", text("slug")),
    ("name", text("name")),
    ("status", text("status")),
    ("visibility", text("visibility")),
    ("bio", optional_text("bio")),
    ("location", optional_text("location")),
    ("website", optional_text("website")),
    ("profile_image", optional_text("profile_image")),
    ("cover_image", optional_text("cover_image")),
    ("facebook", optional_text("facebook")),
    ("twitter", optional_text("twitter")),
    ("locale", optional_text("locale")),
    ("meta_title", optional_text("meta_title")),
    ("meta_description", optional_text("meta_description")),
    ("created_at", time("created_at")),
    ("updated_at", time("updated_at")),
];

/// Members as staff see them. `email` is searchable here: only the Admin API filters members.
const MEMBERS: Fields = &[
    ("id", text("id")),
    ("uuid", text("uuid")),
    ("email", text("email")),
    ("name", optional_text("name")),
    ("note", optional_text("note")),
    ("status", text("status")),
    ("email_disabled", boolean("email_disabled")),
    ("subscribed", SUBSCRIBED),
    ("created_at", time("created_at")),
    ("updated_at", time("updated_at")),
];

/// Newsletters as the Content API shows them (its answers leave out the sender).
const NEWSLETTERS: Fields = &[
    ("id", text("id")),
    ("uuid", text("uuid")),
    ("slug", text("slug")),
    ("name", text("name")),
    ("status", text("status")),
    ("description", optional_text("description")),
    ("subscribe_on_signup", boolean("subscribe_on_signup")),
    ("created_at", time("created_at")),
    ("updated_at", time("updated_at")),
];

/// Membership tiers as the Content API shows them.
const TIERS: Fields = &[
    ("id", text("id")),
    ("name", text("name")),
    ("slug", text("slug")),
    ("type", text("type")),
    ("visibility", text("visibility")),
    ("active", boolean("active")),
    ("description", optional_text("description")),
    ("welcome_page_url", optional_text("welcome_page_url")),
    ("created_at", time("created_at")),
    ("updated_at", time("updated_at")),
];

/// Fields of a member's labels and newsletters.
const LABEL_FIELDS: Fields = &[
    ("slug", text("slug")),
    ("name", text("name")),
    ("id", text("id")),
];

/// Fields of a post's tags (`tags.name:`); a bare relation name means its slug, as in Ghost.
const TAG_FIELDS: Fields = &[
    ("slug", text("slug")),
    ("name", text("name")),
    ("id", text("id")),
    ("visibility", text("visibility")),
];

const AUTHOR_FIELDS: Fields = &[
    ("slug", text("slug")),
    ("name", text("name")),
    ("id", text("id")),
];

/// A post's tags or authors. A condition on one holds when some related row satisfies it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Relation {
    Tags,
    /// Ghost's primary tag: the first tag, and only when it is public.
    PrimaryTag,
    Authors,
    PrimaryAuthor,
    /// A member's labels.
    Labels,
    /// The newsletters a member gets.
    Newsletters,
}

/// (name in NQL, whether it takes `.field`, relation, its fields). `tag` and `author` are
/// Ghost's shorthands for `tags.slug` and `authors.slug` and take no field of their own.
type Relations = &'static [(&'static str, bool, Relation, Fields)];

const MEMBER_RELATIONS: Relations = &[
    ("label", false, Relation::Labels, LABEL_FIELDS),
    ("labels", true, Relation::Labels, LABEL_FIELDS),
    ("newsletters", true, Relation::Newsletters, LABEL_FIELDS),
];

const POST_RELATIONS: Relations = &[
    ("tag", false, Relation::Tags, TAG_FIELDS),
    ("tags", true, Relation::Tags, TAG_FIELDS),
    ("primary_tag", true, Relation::PrimaryTag, TAG_FIELDS),
    ("author", false, Relation::Authors, AUTHOR_FIELDS),
    ("authors", true, Relation::Authors, AUTHOR_FIELDS),
    (
        "primary_author",
        true,
        Relation::PrimaryAuthor,
        AUTHOR_FIELDS,
    ),
];

impl Relation {
    /// "The `posts` (or `members`) row has a related row (aliased `nql_x`) that satisfies `condition`", as
    /// `posts.id IN (…)`. An uncorrelated subquery runs once per query — a correlated `EXISTS`
    /// ran once per post, which made counting a section of a 10k-post site cost ~200 M
    /// instructions in SQLite. `post_id` is never NULL, so `NOT IN` is the exact complement.
    /// The aliases are prefixed so they cannot shadow a caller's.
    pub(super) fn has_related(self, condition: Option<&str>) -> String {
        let (owner, join, only) = match self {
            Relation::Tags => (POST, TAGS_JOIN, ""),
            Relation::PrimaryTag => (
                POST,
                TAGS_JOIN,
                " AND nql_r.sort_order = 0 AND nql_x.visibility = 'public'",
            ),
            Relation::Authors => (POST, AUTHORS_JOIN, ""),
            Relation::PrimaryAuthor => (POST, AUTHORS_JOIN, " AND nql_r.sort_order = 0"),
            Relation::Labels => (MEMBER, LABELS_JOIN, ""),
            Relation::Newsletters => (MEMBER, NEWSLETTERS_JOIN, ""),
        };
        let condition = condition.map(|c| format!(" AND {c}")).unwrap_or_default();
        format!(
            "{owner} IN (SELECT nql_r.{owner_key} FROM {join} WHERE 1 = 1{only}{condition})",
            owner = owner.0,
            owner_key = owner.1
        )
    }
}

/// The owning row's id and the link table's column that refers to it.
const POST: (&str, &str) = ("posts.id", "post_id");
const MEMBER: (&str, &str) = ("members.id", "member_id");

const LABELS_JOIN: &str = "members_labels nql_r JOIN labels nql_x ON nql_x.id = nql_r.label_id";
const NEWSLETTERS_JOIN: &str =
    "members_newsletters nql_r JOIN newsletters nql_x ON nql_x.id = nql_r.newsletter_id";
const TAGS_JOIN: &str = "posts_tags nql_r JOIN tags nql_x ON nql_x.id = nql_r.tag_id";
const AUTHORS_JOIN: &str = "posts_authors nql_r JOIN users nql_x ON nql_x.id = nql_r.author_id";

/// Where a field's value lives.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    /// A column of the resource's own table.
    Own(Column),
    /// A column of a related row (`nql_x`).
    Related(Relation, Column),
}

pub(super) fn lookup(resource: Resource, field: &str) -> Option<Target> {
    if let Some(column) = find(own(resource), field) {
        return Some(Target::Own(column));
    }
    let (name, sub) = match field.split_once('.') {
        Some((name, sub)) => (name, Some(sub)),
        None => (field, None),
    };
    let (_, takes_fields, relation, fields) =
        relations(resource).iter().find(|(n, ..)| *n == name)?;
    if sub.is_some() && !takes_fields {
        return None;
    }
    let column = find(fields, sub.unwrap_or("slug"))?;
    Some(Target::Related(*relation, column))
}

/// Every field `resource` accepts, for the error that names an unknown one.
pub(super) fn names(resource: Resource) -> Vec<String> {
    let mut names: Vec<String> = own(resource).iter().map(|(n, _)| n.to_string()).collect();
    for (relation, takes_fields, _, fields) in relations(resource) {
        names.push(relation.to_string());
        if *takes_fields {
            names.extend(fields.iter().map(|(f, _)| format!("{relation}.{f}")));
        }
    }
    names
}

fn own(resource: Resource) -> Fields {
    match resource {
        Resource::Posts => POSTS,
        Resource::Tags => TAGS,
        Resource::Authors => AUTHORS,
        Resource::Members => MEMBERS,
        Resource::Newsletters => NEWSLETTERS,
        Resource::Tiers => TIERS,
    }
}

fn relations(resource: Resource) -> Relations {
    match resource {
        Resource::Posts => POST_RELATIONS,
        Resource::Members => MEMBER_RELATIONS,
        Resource::Tags | Resource::Authors | Resource::Newsletters | Resource::Tiers => &[],
    }
}

fn find(fields: Fields, name: &str) -> Option<Column> {
    fields.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}
