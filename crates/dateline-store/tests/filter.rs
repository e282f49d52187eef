//! NQL filters against real databases: the same filters select the same rows on SQLite and,
//! when `DATELINE_TEST_POSTGRES_URL` is set, on PostgreSQL (a fresh schema per test).

// Helpers outside `#[test]` functions set up fixtures; a failure there should fail loudly.
#![allow(clippy::unwrap_used)]

use dateline_core::id::ObjectId;
use dateline_core::nql;
use dateline_core::post::{Post, PostStatus, PostType};
use dateline_core::role::Role;
use dateline_core::tag::Tag;
use dateline_core::user::{Social, User};
use dateline_store::filter::{self, Resource};
use dateline_store::{Store, posts, tags, users};
use jiff::Timestamp;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use sqlx::Connection;

const POSTGRES_ENV: &str = "DATELINE_TEST_POSTGRES_URL";

/// The moment every filter is compiled at, so `now-7d` has a fixed meaning.
fn now() -> Timestamp {
    at("2025-09-10T00:00:00Z")
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// One database with the fixture loaded.
struct Engine {
    name: &'static str,
    store: Store,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl Drop for Engine {
    fn drop(&mut self) {
        let Some((base, schema)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside async: a runtime on its own thread drops the schema.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&base).await.ok()?;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                    .execute(&mut conn)
                    .await
                    .ok()
            })
        })
        .join();
    }
}

/// SQLite always; PostgreSQL when configured.
async fn engines() -> Vec<Engine> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("filter.db").display());
    let mut engines = vec![Engine {
        name: "sqlite",
        store: Store::connect(&url).await.unwrap(),
        _dir: dir,
        postgres: None,
    }];
    match std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty()) {
        Some(base) => {
            let schema = format!("t_{}", dateline_core::id::random_hex(8));
            let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
            engines.push(Engine {
                name: "postgres",
                store: Store::connect(&url).await.unwrap(),
                _dir: tempfile::tempdir().unwrap(),
                postgres: Some((base, schema)),
            });
        }
        None => eprintln!("{POSTGRES_ENV} is not set: PostgreSQL half skipped"),
    }
    for engine in &engines {
        load_fixture(&engine.store).await;
    }
    engines
}

/// Short fixture names to ids: `p1` is `…0001`, `t2` is `…0102`, `u1` is `…0201`.
fn id(name: &str) -> ObjectId {
    let (prefix, n) = name.split_at(1);
    let base = match prefix {
        "p" => 0,
        "t" => 100,
        "u" => 200,
        _ => panic!("unknown fixture `{name}`"),
    };
    let n: u32 = n.parse().unwrap();
    ObjectId::parse(&format!("{:024}", base + n)).unwrap()
}

fn user(name: &str, slug: &str, n: &str) -> User {
    let t = at("2025-01-01T00:00:00Z");
    User {
        id: id(n),
        name: name.to_owned(),
        slug: slug.to_owned(),
        email: format!("{slug}@example.com"),
        password_hash: "secret-hash".to_owned(),
        role: Role::Author,
        profile_image: None,
        cover_image: None,
        bio: None,
        website: None,
        location: (slug == "jane").then(|| "Erbil".to_owned()),
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
        created_at: t,
        updated_at: t,
    }
}

fn tag(name: &str, slug: &str, n: &str) -> Tag {
    Tag {
        id: id(n),
        ..Tag::named(name, slug, at("2025-01-01T00:00:00Z"))
    }
}

#[allow(clippy::too_many_arguments)]
fn post(
    n: &str,
    post_type: PostType,
    title: &str,
    slug: &str,
    status: PostStatus,
    published_at: Option<&str>,
    tag_ids: &[&str],
    author_ids: &[&str],
) -> Post {
    let mut post = Post::draft(post_type, title, slug, at("2025-01-01T00:00:00Z"));
    post.id = id(n);
    post.status = status;
    post.published_at = published_at.map(at);
    post.tag_ids = tag_ids.iter().map(|t| id(t)).collect();
    post.author_ids = author_ids.iter().map(|u| id(u)).collect();
    post
}

async fn load_fixture(store: &Store) {
    use PostStatus::{Draft, Published};
    use PostType::{Page, Post};
    let mut tx = store.begin().await.unwrap();
    for u in [
        user("Jane Doe", "jane", "u1"),
        user("Omar Aziz", "omar", "u2"),
    ] {
        users::insert(&mut tx, &u).await.unwrap();
    }
    for t in [
        tag("News", "news", "t1"),
        tag("World", "world", "t2"),
        tag("Sport", "sport", "t3"),
        tag("#internal", "hash-internal", "t4"),
    ] {
        tags::insert(&mut tx, &t).await.unwrap();
    }
    let mut p1 = post(
        "p1",
        Post,
        "War in the north",
        "war-in-the-north",
        Published,
        Some("2025-09-01T10:00:00Z"),
        &["t1", "t2"],
        &["u1"],
    );
    p1.featured = true;
    p1.language = Some("en".to_owned());
    p1.custom_excerpt = Some("Front line report".to_owned());
    let p2 = post(
        "p2",
        Post,
        "Football final",
        "football-final",
        Published,
        Some("2025-08-01T00:00:00Z"),
        &["t3", "t1"],
        &["u2", "u1"],
    );
    let p3 = post(
        "p3",
        Post,
        "Draft about 100% _wild_ cards",
        "draft-wild-cards",
        Draft,
        None,
        &["t4"],
        &["u2"],
    );
    let p4 = post(
        "p4",
        Page,
        "About",
        "about",
        Published,
        Some("2024-01-01T00:00:00Z"),
        &[],
        &["u1"],
    );
    let p5 = post(
        "p5",
        Post,
        "World roundup",
        "world-roundup",
        Published,
        Some("2025-09-05T08:00:00Z"),
        &["t4", "t2"],
        &["u1"],
    );
    for p in [p1, p2, p3, p4, p5] {
        posts::insert(&mut tx, &p).await.unwrap();
    }
    tx.commit().await.unwrap();
}

/// The rows `input` selects; `keyed`: compiled with the ids of the tags and authors it names
/// ([`filter::Keys`]), as post listings compile it.
async fn matching(
    engine: &Engine,
    resource: Resource,
    input: &str,
    keyed: bool,
) -> Result<Vec<ObjectId>, String> {
    let expr = nql::parse(input).map_err(|e| e.to_string())?;
    let mut db = engine.store.reader().await.unwrap();
    let keys = match keyed {
        true => filter::Keys::resolve(&mut db, &expr, resource)
            .await
            .unwrap(),
        false => filter::Keys::default(),
    };
    let filter =
        filter::compile_keyed(&expr, resource, 1, now(), &keys).map_err(|e| e.to_string())?;
    filter::matching_ids(&mut db, resource, &filter)
        .await
        .map_err(|e| format!("{}: `{input}` as {filter:?}: {e}", engine.name))
}

/// Runs every `(filter, expected fixture names)` case on every engine, compiled both ways.
async fn check(resource: Resource, cases: &[(&str, &[&str])]) {
    let engines = engines().await;
    let mut failures = Vec::new();
    for engine in &engines {
        for ((input, expected), keyed) in cases.iter().flat_map(|c| [(c, false), (c, true)]) {
            let mut want: Vec<ObjectId> = expected.iter().map(|n| id(n)).collect();
            want.sort();
            match matching(engine, resource, input, keyed).await {
                Ok(got) if got == want => {}
                Ok(got) => failures.push(format!(
                    "{} (keyed: {keyed}): `{input}` matched {got:?}, expected {expected:?}",
                    engine.name
                )),
                Err(e) => failures.push(e),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const ALL_POSTS: &[&str] = &["p1", "p2", "p3", "p4", "p5"];

#[tokio::test]
async fn posts_by_their_own_columns() {
    check(
        Resource::Posts,
        &[
            ("featured:true", &["p1"]),
            ("featured:false", &["p2", "p3", "p4", "p5"]),
            ("featured:-true", &["p2", "p3", "p4", "p5"]),
            ("featured:1", &["p1"]),
            ("featured:'false'", &["p2", "p3", "p4", "p5"]),
            ("status:published", &["p1", "p2", "p4", "p5"]),
            ("status:draft+type:post", &["p3"]),
            ("type:page", &["p4"]),
            ("visibility:public", ALL_POSTS),
            ("slug:[war-in-the-north,about]", &["p1", "p4"]),
            ("slug:-[war-in-the-north,about]", &["p2", "p3", "p5"]),
            ("id:-000000000000000000000001", &["p2", "p3", "p4", "p5"]),
            ("id:[000000000000000000000001,null]", &["p1"]),
            ("language:en", &["p1"]),
            ("locale:en", &["p1"]),
            ("language:null", &["p2", "p3", "p4", "p5"]),
            (
                "custom_excerpt:-'Front line report'",
                &["p2", "p3", "p4", "p5"],
            ),
            ("custom_excerpt:~'FRONT'", &["p1"]),
            ("custom_excerpt:-~'front'", &["p2", "p3", "p4", "p5"]),
            ("title:~'war'", &["p1"]),
            ("title:~^'War in'", &["p1"]),
            ("title:~$'CARDS'", &["p3"]),
            ("title:-~'war'", &["p2", "p3", "p4", "p5"]),
            ("title:~'100%'", &["p3"]),
            ("title:~'_wild_'", &["p3"]),
            // `%` and `_` are not wildcards.
            ("title:~'1_0'", &[]),
            ("title:~'%'", &["p3"]),
            ("title:>'Football final'", &["p1", "p5"]),
        ],
    )
    .await;
}

#[tokio::test]
async fn posts_by_dates() {
    check(
        Resource::Posts,
        &[
            ("published_at:>'2025-08-15'", &["p1", "p5"]),
            ("published_at:<='2025-08-01'", &["p2", "p4"]),
            ("published_at:<'2025-08-01'", &["p4"]),
            ("published_at:'2025-08-01'", &["p2"]),
            ("published_at:'2025-08-01T03:00:00+03:00'", &["p2"]),
            ("published_at:>'2025-09-01T12:00:00+03:00'", &["p1", "p5"]),
            ("published_at:>'2025-09-01 10:00:00'", &["p5"]),
            ("published_at:>='2025-09-01T10:00:00Z'", &["p1", "p5"]),
            // Fractions of a second round so whole-second storage compares exactly.
            ("published_at:>='2025-09-01T09:59:59.5Z'", &["p1", "p5"]),
            (
                "published_at:<'2025-09-01T10:00:00.5Z'",
                &["p1", "p2", "p4"],
            ),
            ("published_at:null", &["p3"]),
            ("published_at:-null", &["p1", "p2", "p4", "p5"]),
            ("published_at:>now-7d", &["p5"]),
            ("published_at:>=now-10d", &["p1", "p5"]),
            ("published_at:<now-1y", &["p4"]),
            ("published_at:>now+1M", &[]),
            ("published_at:>now-99999y", &["p1", "p2", "p4", "p5"]),
            ("created_at:<now+1d", ALL_POSTS),
            ("updated_at:>'2025-01-01'", &[]),
        ],
    )
    .await;
}

#[tokio::test]
async fn posts_by_tags_and_authors() {
    check(
        Resource::Posts,
        &[
            ("tag:news", &["p1", "p2"]),
            ("tags:news", &["p1", "p2"]),
            ("tags.slug:news", &["p1", "p2"]),
            ("tag:-news", &["p3", "p4", "p5"]),
            ("-tag:news", &["p3", "p4", "p5"]),
            ("tags:[news,world]", &["p1", "p2", "p5"]),
            ("tags:-[news,world]", &["p3", "p4"]),
            ("tags:[news+world]", &["p1"]),
            ("-tags:[news+world]", &["p2", "p3", "p4", "p5"]),
            ("tags.name:News", &["p1", "p2"]),
            ("tags.name:~'WOR'", &["p1", "p5"]),
            ("tags.name:-~'wor'", &["p2", "p3", "p4"]),
            ("tags.slug:>sport", &["p1", "p5"]),
            ("tag:hash-internal", &["p3", "p5"]),
            ("tags.visibility:internal", &["p3", "p5"]),
            ("tags.id:000000000000000000000103", &["p2"]),
            ("tags:null", &["p4"]),
            ("tags:-null", &["p1", "p2", "p3", "p5"]),
            ("tags:[sport,null]", &["p2", "p4"]),
            ("primary_tag:news", &["p1"]),
            ("primary_tag:sport", &["p2"]),
            // p5's first tag is internal, so it has no primary tag.
            ("primary_tag:world", &[]),
            ("primary_tag:-news", &["p2", "p3", "p4", "p5"]),
            ("primary_tag:null", &["p3", "p4", "p5"]),
            ("primary_tag.name:Sport", &["p2"]),
            ("author:jane", &["p1", "p2", "p4", "p5"]),
            ("authors.slug:omar", &["p2", "p3"]),
            ("authors:-omar", &["p1", "p4", "p5"]),
            ("authors.name:~'aziz'", &["p2", "p3"]),
            ("primary_author:omar", &["p2", "p3"]),
            ("primary_author:jane", &["p1", "p4", "p5"]),
            ("primary_author.name:'Jane Doe'", &["p1", "p4", "p5"]),
            // Slugs that name nothing: no post has them.
            ("tag:nothing", &[]),
            ("tag:-nothing", ALL_POSTS),
            ("tags:[news,nothing]", &["p1", "p2"]),
            ("tags:[news+nothing]", &[]),
            ("tags:-[world,nothing]", &["p2", "p3", "p4"]),
            ("tags:[nothing,null]", &["p4"]),
            ("primary_tag:[news,sport,nothing]", &["p1", "p2"]),
            ("author:nobody", &[]),
            ("authors:-[nobody,omar]", &["p1", "p4", "p5"]),
            // A numeric slug is a slug.
            ("tag:2025", &[]),
        ],
    )
    .await;
}

/// Logic, precedence, and the filters Ghost's themes (Casper, Source) send.
#[tokio::test]
async fn posts_by_combined_filters() {
    check(
        Resource::Posts,
        &[
            (
                "tags:[news,world]+id:-000000000000000000000001",
                &["p2", "p5"],
            ),
            ("featured:true,type:page", &["p1", "p4"]),
            ("(tag:news,tag:sport)+featured:false", &["p2"]),
            ("tag:news+featured:true,type:page", &["p1", "p4"]),
            ("tag:news+(featured:true,type:page)", &["p1"]),
            ("-(tag:news,type:page)", &["p3", "p5"]),
            ("--tag:news", &["p1", "p2"]),
            (
                "tag:-hash-internal+status:published+type:post",
                &["p1", "p2"],
            ),
            ("primary_tag:news+visibility:public", &["p1"]),
            ("featured:true+tag:-hash-internal", &["p1"]),
        ],
    )
    .await;
}

#[tokio::test]
async fn tags_and_authors() {
    check(
        Resource::Tags,
        &[
            ("visibility:internal", &["t4"]),
            ("slug:-news", &["t2", "t3", "t4"]),
            ("name:~'o'", &["t2", "t3"]),
            ("name:~^'#'", &["t4"]),
            ("description:null", &["t1", "t2", "t3", "t4"]),
            ("created_at:>'2000-01-01'+slug:[news,sport]", &["t1", "t3"]),
        ],
    )
    .await;
    check(
        Resource::Authors,
        &[
            ("slug:jane", &["u1"]),
            ("name:~'aziz'", &["u2"]),
            ("location:null", &["u2"]),
            ("location:-null", &["u1"]),
            ("status:active+visibility:public", &["u1", "u2"]),
        ],
    )
    .await;
}

#[test]
fn unknown_fields_and_wrong_values_are_errors_that_name_the_field() {
    let compile = |resource, input: &str| {
        let expr = nql::parse(input).unwrap();
        filter::compile(&expr, resource, 1, now())
    };
    for (resource, input, named) in [
        (Resource::Posts, "foo:bar", "`foo`"),
        (Resource::Posts, "html:~'x'", "`html`"),
        (Resource::Posts, "tags.description:x", "`tags.description`"),
        (Resource::Posts, "tag.slug:x", "`tag.slug`"),
        (Resource::Tags, "tags.slug:x", "`tags.slug`"),
        (Resource::Tags, "tag:x", "`tag`"),
        (Resource::Authors, "email:a@example.com", "`email`"),
        (Resource::Authors, "password_hash:~'a'", "`password_hash`"),
        (Resource::Authors, "role:Owner", "`role`"),
        (Resource::Posts, "featured:maybe", "`featured`"),
        (Resource::Posts, "featured:>false", "`featured`"),
        (
            Resource::Posts,
            "published_at:'yesterday'",
            "`published_at`",
        ),
        (Resource::Posts, "published_at:2025", "`published_at`"),
        (Resource::Posts, "published_at:~'2025'", "`published_at`"),
        (Resource::Posts, "title:>null", "`title"),
        (Resource::Posts, "slug:now-3d", "`slug`"),
    ] {
        match compile(resource, input) {
            Ok(f) => panic!("`{input}` compiled to {f:?}"),
            Err(e) => assert!(e.message.contains(named), "`{input}`: {e}"),
        }
    }
    let unknown = compile(Resource::Authors, "email:x").unwrap_err();
    assert!(
        unknown.message.contains("slug"),
        "lists the fields: {unknown}"
    );
    assert!(!unknown.message.contains("password"), "{unknown}");
    let expr = nql::parse("tag:x").unwrap();
    assert!(filter::compile(&expr, Resource::Posts, 0, now()).is_err());
}

/// Keyed, tags and authors are compared by the link tables' own columns, bound to the ids the
/// slugs name, so PostgreSQL can plan from each tag's share of the posts.
#[tokio::test]
async fn keyed_filters_compare_the_link_tables_keys() {
    for engine in engines().await {
        let expr = nql::parse("tag:[news,nothing]+primary_author:jane+tags.name:News").unwrap();
        let mut db = engine.store.reader().await.unwrap();
        let keys = filter::Keys::resolve(&mut db, &expr, Resource::Posts)
            .await
            .unwrap();
        let f = filter::compile_keyed(&expr, Resource::Posts, 1, now(), &keys).unwrap();
        assert!(f.sql.contains("nql_r.tag_id IN ($1, $2)"), "{}", f.sql);
        assert!(f.sql.contains("nql_r.author_id = $3"), "{}", f.sql);
        // A name is not a key: that comparison still joins the tag.
        assert!(f.sql.contains("nql_x.name = $4"), "{}", f.sql);
        let text = |b: &filter::Bind| match b {
            filter::Bind::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        };
        let binds: Vec<String> = f.binds.iter().map(text).collect();
        let (news, jane) = (id("t1").to_string(), id("u1").to_string());
        assert_eq!(binds, [news, String::new(), jane, "News".to_owned()]);
    }
}

#[test]
fn placeholders_follow_the_callers_own() {
    let expr = nql::parse("tag:news+featured:true+published_at:>now-1d").unwrap();
    let f = filter::compile(&expr, Resource::Posts, 3, now()).unwrap();
    assert!(f.sql.contains("$3") && f.sql.contains("$4") && f.sql.contains("$5"));
    assert!(!f.sql.contains("$2") && !f.sql.contains("$6"), "{}", f.sql);
    assert_eq!(
        f.binds,
        vec![
            filter::Bind::Text("news".to_owned()),
            filter::Bind::Bool(true),
            filter::Bind::Time(at("2025-09-09T00:00:00Z")),
        ]
    );
}

/// Trees that `parse` never returns but code may build: empty groups and lists still make
/// valid SQL with the obvious meaning.
#[tokio::test]
async fn trees_built_in_code_stay_valid_sql() {
    use nql::{Expr, ListKind};
    let empty = |field: &str, kind| Expr::In {
        field: field.to_owned(),
        kind,
        values: Vec::new(),
    };
    let cases = [
        (Expr::And(Vec::new()), 5),
        (Expr::Or(Vec::new()), 0),
        (empty("slug", ListKind::AnyOf), 0),
        (empty("slug", ListKind::NoneOf), 5),
        (empty("slug", ListKind::AllOf), 5),
        (empty("tags", ListKind::AnyOf), 0),
        (empty("tags", ListKind::NoneOf), 5),
        (empty("tags", ListKind::AllOf), 5),
    ];
    for engine in engines().await {
        for (expr, count) in &cases {
            let f = filter::compile(expr, Resource::Posts, 1, now()).unwrap();
            let mut db = engine.store.reader().await.unwrap();
            let got = filter::matching_ids(&mut db, Resource::Posts, &f)
                .await
                .unwrap();
            assert_eq!(got.len(), *count, "{}: {expr:?} as {}", engine.name, f.sql);
        }
    }
}

const INJECTION: &str = "'; DROP TABLE posts; --";

#[tokio::test]
async fn values_never_become_sql() {
    let quoted = format!("'{}'", INJECTION.replace('\'', "\\'"));
    let positive = [
        format!("title:{quoted}"),
        format!("title:<{quoted}"),
        format!("title:~{quoted}"),
        format!("title:~^{quoted}"),
        format!("custom_excerpt:{quoted}"),
        format!("slug:[a,{quoted}]"),
        format!("tag:{quoted}"),
        format!("tags:[{quoted}+news]"),
        format!("tags.name:~{quoted}"),
        format!("primary_tag:{quoted}"),
        format!("authors.name:{quoted}"),
        format!("id:{quoted}+featured:true"),
        // A bare word with escapes carries the same text.
        r"title:\';DROP".to_owned(),
    ];
    let negative = [
        format!("title:-{quoted}"),
        format!("title:-~{quoted}"),
        format!("tag:-{quoted}"),
        format!("slug:-[{quoted}]"),
    ];
    let refused = [
        format!("published_at:{quoted}"),
        format!("featured:{quoted}"),
        format!("{INJECTION}:x"),
        format!("title:{INJECTION}"),
        "title');DROP TABLE posts;--:x".to_owned(),
        "tags.slug; DROP TABLE posts:x".to_owned(),
    ];
    // Keyed, the values are also bound into the lookup of tag and author ids.
    for (engine, keyed) in engines().await.iter().flat_map(|e| [(e, false), (e, true)]) {
        for input in &positive {
            let got = matching(engine, Resource::Posts, input, keyed)
                .await
                .unwrap();
            assert!(got.is_empty(), "{}: `{input}` matched {got:?}", engine.name);
        }
        for input in &negative {
            let got = matching(engine, Resource::Posts, input, keyed)
                .await
                .unwrap();
            assert_eq!(got.len(), 5, "{}: `{input}`", engine.name);
        }
        for input in &refused {
            assert!(
                matching(engine, Resource::Posts, input, keyed)
                    .await
                    .is_err(),
                "`{input}`"
            );
        }
        for resource in [Resource::Tags, Resource::Authors] {
            let got = matching(engine, resource, &format!("name:{quoted}"), keyed).await;
            assert_eq!(got, Ok(Vec::new()), "{}", engine.name);
        }
        let mut db = engine.store.reader().await.unwrap();
        assert_eq!(posts::count(&mut db, PostType::Post).await.unwrap(), 4);
        assert_eq!(tags::count(&mut db).await.unwrap(), 4);
    }
    for input in positive.iter().chain(&negative) {
        let expr = nql::parse(input).unwrap();
        let f = filter::compile(&expr, Resource::Posts, 1, now()).unwrap();
        assert!(
            !f.sql.contains("DROP") && !f.sql.contains("--"),
            "{}",
            f.sql
        );
    }
}

/// Filters built from real and unknown fields, every operator and values of every kind, in
/// random trees: whatever parses must compile without panicking, whatever compiles must be
/// valid SQL on every engine, and compiled with tag and author ids it selects the same rows.
fn filter_text() -> impl Strategy<Value = String> {
    let field = prop::sample::select(vec![
        "id",
        "slug",
        "title",
        "status",
        "featured",
        "published_at",
        "created_at",
        "custom_excerpt",
        "locale",
        "tag",
        "tags",
        "tags.name",
        "tags.visibility",
        "primary_tag",
        "primary_tag.slug",
        "author",
        "authors.name",
        "primary_author",
        "name",
        "description",
        "visibility",
        "location",
        "bio",
        "nope",
        "tag.name",
    ]);
    let value = prop::sample::select(vec![
        "news",
        "null",
        "true",
        "false",
        "0",
        "1",
        "1.5",
        "'2025-09-01'",
        "'2025-09-01T10:00:00+03:00'",
        "now-30d",
        "now+2M",
        "'%_\\\\'",
        "'x y'",
        "'\\'; DROP TABLE posts; --'",
        "hash-internal",
        "world",
        "jane",
        "omar",
    ]);
    let op = prop::sample::select(vec!["", "-", ">", ">=", "<", "<=", "~", "-~", "~^", "-~$"]);
    let list = prop::sample::select(vec!["[", "-["]);
    let comparison = (field.clone(), op, value.clone())
        .prop_map(|(field, op, value)| format!("{field}:{op}{value}"));
    let in_list = (
        field,
        list,
        prop::collection::vec(value, 1..4),
        any::<bool>(),
    )
        .prop_map(|(field, open, values, all)| {
            let separator = if all && open == "[" { "+" } else { "," };
            format!("{field}:{open}{}]", values.join(separator))
        });
    let leaf = prop_oneof![3 => comparison, 1 => in_list];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|items| items.join("+")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|items| items.join(",")),
            inner.clone().prop_map(|item| format!("({item})")),
            inner.prop_map(|item| format!("-({item})")),
        ]
    })
}

#[test]
fn random_filters_compile_to_valid_sql() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let engines = rt.block_on(engines());
    let mut runner = TestRunner::new(Config {
        cases: 400,
        failure_persistence: None,
        ..Config::default()
    });
    let compiled = std::cell::Cell::new(0);
    runner
        .run(&filter_text(), |input| {
            let Ok(expr) = nql::parse(&input) else {
                return Ok(());
            };
            for resource in [Resource::Posts, Resource::Tags, Resource::Authors] {
                let Ok(filter) = filter::compile(&expr, resource, 1, now()) else {
                    continue;
                };
                compiled.set(compiled.get() + 1);
                for engine in &engines {
                    let (plain, keyed) = rt.block_on(async {
                        let mut db = engine.store.reader().await.unwrap();
                        let plain = filter::matching_ids(&mut db, resource, &filter).await;
                        let keys = filter::Keys::resolve(&mut db, &expr, resource)
                            .await
                            .unwrap();
                        let keyed =
                            filter::compile_keyed(&expr, resource, 1, now(), &keys).unwrap();
                        (plain, filter::matching_ids(&mut db, resource, &keyed).await)
                    });
                    let fail = |e| TestCaseError::fail(format!("{}: `{input}`: {e}", engine.name));
                    let (plain, keyed) = (plain.map_err(fail)?, keyed.map_err(fail)?);
                    // Comparing ids instead of slugs never changes what is selected.
                    prop_assert_eq!(plain, keyed, "{}: `{}`", engine.name, input);
                }
            }
            Ok(())
        })
        .unwrap();
    assert!(
        compiled.get() >= 40,
        "only {} of 400 random filters reached the database",
        compiled.get()
    );
}
