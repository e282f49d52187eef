use proptest::prelude::*;

use super::*;

fn ok(input: &str) -> Expr {
    match parse(input) {
        Ok(expr) => expr,
        Err(err) => panic!("`{input}` should parse: {err}"),
    }
}

fn err(input: &str) -> NqlError {
    match parse(input) {
        Ok(expr) => panic!("`{input}` should not parse, got {expr:?}"),
        Err(err) => err,
    }
}

fn cmp(field: &str, op: CmpOp, value: Value) -> Expr {
    Expr::Cmp {
        field: field.to_owned(),
        op,
        value,
    }
}

fn eq(field: &str, value: Value) -> Expr {
    cmp(field, CmpOp::Eq, value)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn num(s: &str) -> Value {
    Value::Number(s.to_owned())
}

fn list(field: &str, kind: ListKind, values: Vec<Value>) -> Expr {
    Expr::In {
        field: field.to_owned(),
        kind,
        values,
    }
}

fn matches(field: &str, kind: MatchKind, negated: bool, s: &str) -> Expr {
    Expr::Match {
        field: field.to_owned(),
        kind,
        negated,
        text: s.to_owned(),
    }
}

fn not(expr: Expr) -> Expr {
    Expr::Not(Box::new(expr))
}

#[test]
fn equality_with_bare_words_and_strings() {
    assert_eq!(ok("tag:news"), eq("tag", text("news")));
    assert_eq!(
        ok("slug:getting-started"),
        eq("slug", text("getting-started"))
    );
    assert_eq!(ok("author:123-test"), eq("author", text("123-test")));
    assert_eq!(ok("author:'Joe Bloggs'"), eq("author", text("Joe Bloggs")));
    assert_eq!(ok("tags.slug:news"), eq("tags.slug", text("news")));
    assert_eq!(ok("name:a"), eq("name", text("a")));
}

#[test]
fn comparison_operators() {
    assert_eq!(ok("count:-5"), cmp("count", CmpOp::Ne, num("5")));
    assert_eq!(ok("count:>5"), cmp("count", CmpOp::Gt, num("5")));
    assert_eq!(ok("count:>=5"), cmp("count", CmpOp::Gte, num("5")));
    assert_eq!(ok("count:<5"), cmp("count", CmpOp::Lt, num("5")));
    assert_eq!(ok("count:<=5"), cmp("count", CmpOp::Lte, num("5")));
    assert_eq!(
        ok("published_at:>'2025-01-01'"),
        cmp("published_at", CmpOp::Gt, text("2025-01-01"))
    );
    assert_eq!(
        ok("author:-'Joe Bloggs'"),
        cmp("author", CmpOp::Ne, text("Joe Bloggs"))
    );
}

#[test]
fn keywords_numbers_and_words_that_look_like_them() {
    for (input, value) in [
        ("null", Value::Null),
        ("NULL", Value::Null),
        ("Null", Value::Null),
        ("true", Value::Bool(true)),
        ("TRUE", Value::Bool(true)),
        ("False", Value::Bool(false)),
        ("5", num("5")),
        ("1.25", num("1.25")),
        ("007", num("007")),
        ("nullable", text("nullable")),
        ("true-thing", text("true-thing")),
        ("nUll", text("nUll")),
        ("5abc", text("5abc")),
        ("1.", text("1.")),
        ("'null'", text("null")),
        ("'5'", text("5")),
    ] {
        assert_eq!(
            ok(&format!("f:{value_src}", value_src = input)),
            eq("f", value)
        );
    }
}

#[test]
fn lists() {
    assert_eq!(
        ok("tags:[news,world]"),
        list("tags", ListKind::AnyOf, vec![text("news"), text("world")])
    );
    assert_eq!(
        ok("tag:[getting-started, ghost, 'really long']"),
        list(
            "tag",
            ListKind::AnyOf,
            vec![text("getting-started"), text("ghost"), text("really long")]
        )
    );
    assert_eq!(
        ok("tag:-[a,b]"),
        list("tag", ListKind::NoneOf, vec![text("a"), text("b")])
    );
    assert_eq!(
        ok("tag:[a+b]"),
        list("tag", ListKind::AllOf, vec![text("a"), text("b")])
    );
    assert_eq!(
        ok("count:[5]"),
        list("count", ListKind::AnyOf, vec![num("5")])
    );
    assert_eq!(
        ok("id:[1,null,now-1d]"),
        list(
            "id",
            ListKind::AnyOf,
            vec![
                num("1"),
                Value::Null,
                Value::Relative(RelativeDate {
                    sign: Sign::Minus,
                    amount: 1,
                    unit: DateUnit::Days
                })
            ]
        )
    );
}

#[test]
fn matches_with_and_without_negation() {
    assert_eq!(
        ok("email:~'gmail.com'"),
        matches("email", MatchKind::Contains, false, "gmail.com")
    );
    assert_eq!(
        ok("email:-~'gmail.com'"),
        matches("email", MatchKind::Contains, true, "gmail.com")
    );
    assert_eq!(
        ok("title:~^'How'"),
        matches("title", MatchKind::StartsWith, false, "How")
    );
    assert_eq!(
        ok("title:-~^How"),
        matches("title", MatchKind::StartsWith, true, "How")
    );
    assert_eq!(
        ok("title:~$war"),
        matches("title", MatchKind::EndsWith, false, "war")
    );
    assert_eq!(
        ok("title:-~$'war'"),
        matches("title", MatchKind::EndsWith, true, "war")
    );
    // Keywords and numbers are plain text to a match.
    assert_eq!(
        ok("title:~2025"),
        matches("title", MatchKind::Contains, false, "2025")
    );
    assert_eq!(
        ok("name:~'john o\\'nolan'"),
        matches("name", MatchKind::Contains, false, "john o'nolan")
    );
}

#[test]
fn relative_dates_in_every_unit() {
    for (letter, unit) in [
        ('s', DateUnit::Seconds),
        ('m', DateUnit::Minutes),
        ('h', DateUnit::Hours),
        ('d', DateUnit::Days),
        ('w', DateUnit::Weeks),
        ('M', DateUnit::Months),
        ('y', DateUnit::Years),
    ] {
        let sign = Sign::Minus;
        assert_eq!(
            ok(&format!("created_at:>=now-30{letter}")),
            cmp(
                "created_at",
                CmpOp::Gte,
                Value::Relative(RelativeDate {
                    sign,
                    amount: 30,
                    unit
                })
            )
        );
    }
    assert_eq!(
        ok("published_at:<=now+1w+featured:true"),
        Expr::And(vec![
            cmp(
                "published_at",
                CmpOp::Lte,
                Value::Relative(RelativeDate {
                    sign: Sign::Plus,
                    amount: 1,
                    unit: DateUnit::Weeks
                })
            ),
            eq("featured", Value::Bool(true)),
        ])
    );
    // Only a whole token is a date.
    assert_eq!(ok("slug:now-30days"), eq("slug", text("now-30days")));
    assert_eq!(ok("slug:now"), eq("slug", text("now")));
    assert_eq!(ok("slug:now-d"), eq("slug", text("now-d")));
    assert_eq!(err("created_at:>now-99999999999d").position, 16);
}

#[test]
fn and_binds_tighter_than_or() {
    let a = || eq("a", text("1x"));
    let b = || eq("b", text("2x"));
    let c = || eq("c", text("3x"));
    assert_eq!(
        ok("a:1x+b:2x,c:3x"),
        Expr::Or(vec![Expr::And(vec![a(), b()]), c()])
    );
    assert_eq!(
        ok("a:1x,b:2x+c:3x"),
        Expr::Or(vec![a(), Expr::And(vec![b(), c()])])
    );
    assert_eq!(
        ok("a:1x+(b:2x,c:3x)"),
        Expr::And(vec![a(), Expr::Or(vec![b(), c()])])
    );
    assert_eq!(ok("a:1x,b:2x,c:3x"), Expr::Or(vec![a(), b(), c()]));
    assert_eq!(ok("a:1x+b:2x+c:3x"), Expr::And(vec![a(), b(), c()]));
    assert_eq!(
        ok("(a:1x+b:2x)+c:3x"),
        Expr::And(vec![Expr::And(vec![a(), b()]), c()])
    );
    assert_eq!(ok("((a:1x))"), a());
}

#[test]
fn negation_of_comparisons_and_groups() {
    assert_eq!(ok("-tag:news"), not(eq("tag", text("news"))));
    assert_eq!(ok("- tag:-news"), not(cmp("tag", CmpOp::Ne, text("news"))));
    assert_eq!(
        ok("-(tag:a,tag:b)+featured:true"),
        Expr::And(vec![
            not(Expr::Or(vec![eq("tag", text("a")), eq("tag", text("b"))])),
            eq("featured", Value::Bool(true)),
        ])
    );
    assert_eq!(ok("--tag:a"), not(not(eq("tag", text("a")))));
}

#[test]
fn white_space_between_tokens_is_ignored() {
    assert_eq!(ok("count: -5"), ok("count:-5"));
    assert_eq!(
        ok("  author: -joe + tag: [photo, video] "),
        ok("author:-joe+tag:[photo,video]")
    );
    assert_ne!(ok("author:'Hello World'"), ok("author:'HelloWorld'"));
}

#[test]
fn escapes() {
    assert_eq!(ok(r"name:'it\'s'"), eq("name", text("it's")));
    assert_eq!(ok(r#"name:'say \"hi\"'"#), eq("name", text("say \"hi\"")));
    assert_eq!(ok(r"name:'a\\b'"), eq("name", text(r"a\b")));
    assert_eq!(ok(r"name:'a\nb'"), eq("name", text(r"a\nb")));
    assert_eq!(ok(r"name:t\+st"), eq("name", text("t+st")));
    assert_eq!(ok(r"name:t\,st\]"), eq("name", text("t,st]")));
    assert_eq!(ok(r"name:\-x"), eq("name", text("-x")));
    assert_eq!(ok("name:''"), eq("name", text("")));
    assert_eq!(ok("name:'کوردی'"), eq("name", text("کوردی")));
    assert_eq!(ok("name:te!:st&x"), eq("name", text("te!:st&x")));
}

/// The filters Ghost's official themes (Casper, Source) and their docs pass to `{{#get}}`,
/// after Handlebars has filled in `{{post.id}}` and `{{post.tags}}`.
#[test]
fn filters_from_official_themes() {
    assert_eq!(ok("tag:hash-internal"), eq("tag", text("hash-internal")));
    assert_eq!(
        ok("id:-6b0a71b88161d82b79d23c5b"),
        cmp("id", CmpOp::Ne, text("6b0a71b88161d82b79d23c5b"))
    );
    assert_eq!(
        ok("tags:[news,world]+id:-abc"),
        Expr::And(vec![
            list("tags", ListKind::AnyOf, vec![text("news"), text("world")]),
            cmp("id", CmpOp::Ne, text("abc")),
        ])
    );
    assert_eq!(ok("featured:true"), eq("featured", Value::Bool(true)));
    assert_eq!(ok("primary_tag:news"), eq("primary_tag", text("news")));
    assert_eq!(ok("visibility:public"), eq("visibility", text("public")));
    assert_eq!(
        ok("primary_author:jane+id:-1"),
        Expr::And(vec![
            eq("primary_author", text("jane")),
            cmp("id", CmpOp::Ne, num("1")),
        ])
    );
    assert_eq!(
        ok("featured:true+tag:-hash-hidden"),
        Expr::And(vec![
            eq("featured", Value::Bool(true)),
            cmp("tag", CmpOp::Ne, text("hash-hidden")),
        ])
    );
    assert!(parse("tags.visibility:internal+slug:-[a,b]").is_ok());
}

#[test]
fn errors_say_where() {
    // (filter, 0-based position)
    for (input, position) in [
        ("", 0),
        ("   ", 3),
        ("tag", 3),
        ("tag news", 3),
        ("tag:", 4),
        ("tag:'My Tag'-", 12),
        ("'My Tag':tag", 0),
        ("5>:tag", 0),
        ("count:3+", 8),
        (",count:3", 0),
        ("id:5,(count:3", 13),
        ("count:3)", 7),
        ("id:5(count:3)", 4),
        ("id:[test", 8),
        ("id:test,ing]", 11),
        ("id:[a+b,c]", 7),
        ("tag:-[a+b]", 5),
        ("tag:\"news\"", 4),
        ("tag:'unclosed", 4),
        ("tag:=news", 4),
        ("tag:-<5", 5),
        ("tag:~", 5),
        ("tag:news+-", 10),
        ("tags..slug news", 10),
        ("tag:a b", 6),
    ] {
        assert_eq!(err(input).position, position, "position for `{input}`");
    }
}

#[test]
fn error_messages_read_like_ghosts() {
    let e = err("tag:news)");
    assert_eq!(e.position, 8);
    assert_eq!(
        e.to_string(),
        "Query Error: unexpected character in filter at char 9: expected `+`, `,` or the end \
         of the filter, found `)`"
    );
    assert!(
        err("tag:")
            .message
            .contains("expected a value, found the end of the filter")
    );
    assert!(err("(tag:a").message.contains("close the `(` at char 1"));
}

#[test]
fn limits_stop_hostile_input() {
    let long = format!("tag:'{}'", "a".repeat(MAX_LEN));
    assert_eq!(err(&long).position, MAX_LEN);
    let at_limit = format!("tag:'{}'", "a".repeat(MAX_LEN - 6));
    assert!(parse(&at_limit).is_ok());

    let deep = format!(
        "{}tag:a{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert!(err(&deep).message.contains("nest deeper"));
    let ok_depth = format!("{}tag:a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(parse(&ok_depth).is_ok());
    assert!(err(&"-".repeat(1000)).message.contains("nest deeper"));

    let values = |n: usize| vec!["x"; n].join(",");
    assert!(parse(&format!("tag:[{}]", values(MAX_LIST))).is_ok());
    assert!(
        err(&format!("tag:[{}]", values(MAX_LIST + 1)))
            .message
            .contains("at most")
    );
}

#[test]
fn printing_is_canonical() {
    for (input, printed) in [
        ("tag:news", "tag:'news'"),
        ("a:1 + b:2 , c:3", "a:1+b:2,c:3"),
        ("(a:1,b:2)+c:3", "(a:1,b:2)+c:3"),
        ("(a:1+b:2)+c:3", "(a:1+b:2)+c:3"),
        ("(a:1,b:2),c:3", "(a:1,b:2),c:3"),
        ("-(a:1,b:2)", "-(a:1,b:2)"),
        ("-tag:-x", "-tag:-'x'"),
        ("tags:-[a, b]", "tags:-['a','b']"),
        ("tags:[a+b]", "tags:['a'+'b']"),
        ("x:>=now-30d", "x:>=now-30d"),
        ("x:-~^'it\\'s'", "x:-~^'it\\'s'"),
        ("x:Null", "x:null"),
    ] {
        assert_eq!(ok(input).to_string(), printed, "printing `{input}`");
    }
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("tag".to_owned()),
        Just("tags.slug".to_owned()),
        Just("published_at".to_owned()),
        "[a-z_][a-z0-9_.]{0,8}",
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        "[0-9]{1,4}(\\.[0-9]{1,3})?".prop_map(Value::Number),
        any::<String>().prop_map(Value::Text),
        (any::<bool>(), any::<u32>(), 0..7usize).prop_map(|(minus, amount, unit)| {
            let units = [
                DateUnit::Seconds,
                DateUnit::Minutes,
                DateUnit::Hours,
                DateUnit::Days,
                DateUnit::Weeks,
                DateUnit::Months,
                DateUnit::Years,
            ];
            Value::Relative(RelativeDate {
                sign: if minus { Sign::Minus } else { Sign::Plus },
                amount,
                unit: units[unit],
            })
        }),
    ]
}

fn leaf() -> impl Strategy<Value = Expr> {
    let op = prop_oneof![
        Just(CmpOp::Eq),
        Just(CmpOp::Ne),
        Just(CmpOp::Gt),
        Just(CmpOp::Gte),
        Just(CmpOp::Lt),
        Just(CmpOp::Lte),
    ];
    let kind = prop_oneof![
        Just(MatchKind::Contains),
        Just(MatchKind::StartsWith),
        Just(MatchKind::EndsWith),
    ];
    prop_oneof![
        (field(), op, value()).prop_map(|(field, op, value)| Expr::Cmp { field, op, value }),
        (field(), prop::collection::vec(value(), 1..5), any::<bool>()).prop_map(
            |(field, values, negated)| {
                let kind = if negated {
                    ListKind::NoneOf
                } else {
                    ListKind::AnyOf
                };
                Expr::In {
                    field,
                    kind,
                    values,
                }
            }
        ),
        (field(), prop::collection::vec(value(), 2..5)).prop_map(|(field, values)| Expr::In {
            field,
            kind: ListKind::AllOf,
            values
        }),
        (field(), kind, any::<bool>(), any::<String>()).prop_map(|(field, kind, negated, text)| {
            Expr::Match {
                field,
                kind,
                negated,
                text,
            }
        }),
    ]
}

/// Trees of the shape `parse` produces: `And`/`Or` with at least two items.
fn tree() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::Or),
            inner.prop_map(|e| Expr::Not(Box::new(e))),
        ]
    })
}

/// Filter-shaped text: real tokens glued together in random order, which reaches far more of
/// the grammar than random characters do.
fn filter_like() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("tag:"),
        Just("tags.slug:"),
        Just("published_at:"),
        Just("-"),
        Just("+"),
        Just(","),
        Just("("),
        Just(")"),
        Just("["),
        Just("]"),
        Just("news"),
        Just("hash-internal"),
        Just("'a b'"),
        Just("'it\\'s'"),
        Just("'"),
        Just("\\"),
        Just("null"),
        Just("true"),
        Just("5"),
        Just("1.5"),
        Just("now-30d"),
        Just("now+1w"),
        Just("~"),
        Just("~^"),
        Just("~$"),
        Just(">"),
        Just(">="),
        Just("<"),
        Just("<="),
        Just(" "),
        Just("\""),
        Just("é"),
    ];
    prop::collection::vec(token, 0..24).prop_map(|tokens| tokens.concat())
}

proptest! {
    #[test]
    fn printed_trees_parse_back(expr in tree()) {
        let printed = expr.to_string();
        prop_assert_eq!(parse(&printed), Ok(expr), "printed as {}", printed);
    }

    #[test]
    fn filter_like_text_never_panics_and_round_trips(input in filter_like()) {
        if let Ok(expr) = parse(&input) {
            let printed = expr.to_string();
            prop_assert_eq!(parse(&printed), Ok(expr), "`{}` printed as {}", input, printed);
        }
    }

    #[test]
    fn any_text_never_panics(input in any::<String>()) {
        if let Err(e) = parse(&input) {
            prop_assert!(e.position <= input.chars().count());
        }
    }
}
