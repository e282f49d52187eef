//! Slugs, made the way Ghost 5.130 makes them, so that a title typed into Dateline gets the URL
//! it would have had on Ghost and links shared before a migration keep working.
//!
//! Ghost builds a slug in two steps, and so does this module:
//!
//! 1. [`slugify`] is `@tryghost/string` 0.2.17's `slugify` (reached through `security.string.safe`):
//!    drop invisible characters, transliterate to ASCII, turn URL-reserved characters and
//!    whitespace into `-`, drop apostrophes, lowercase, collapse runs of `-`, trim `-` from both
//!    ends. Ghost's model then cuts the slug to [`MAX_SLUG_LEN`] characters.
//! 2. [`candidates`] is the model's `generateSlug`: the `hash-` prefix of internal tags, the
//!    protected words, the fallback for an empty slug, and the `-2`, `-3`… suffixes for duplicates.
//!    It does no I/O: the caller walks the candidates and keeps the first its store does not hold.
//!
//! Ghost transliterates with the `unidecode` npm package (0.1.8, from Perl's old `Text::Unidecode`
//! tables); Dateline uses `deunicode`, which comes from the same tables, and patches the
//! differences that show up in real titles (see `ghost_spelling` and `ghost_drops`). Known
//! differences that remain, all in characters rare in titles:
//! - characters the old tables did not know (`ẞ`, `Ƚ`, newer Cyrillic, Greek and Indic letters)
//!   are transliterated (`ẞ` → `ss`) where Ghost writes `[?]`, which leaves a `-`;
//! - Arabic presentation forms (U+FB50–U+FEFF) are transliterated where Ghost drops them;
//! - braille, box drawing, control pictures and a few modifier letters differ;
//! - Ghost's decoder misreads a character from `À` to `ß` followed by a no-break space or a
//!   Latin-1 sign (`CAFÉ\u{A0}!` gives Ghost `café`) and lets it through untransliterated;
//!   Dateline always produces ASCII (`cafe`).
//!
//! Deliberate differences, each so that a slug is always a clean URL segment:
//! - a slug cut at [`MAX_SLUG_LEN`] loses a trailing `-` (Ghost keeps it);
//! - an internal tag named just `#` gets `hash` (Ghost: `hash-`);
//! - a post titled only with whitespace gets `untitled` like an empty title (Ghost: `post`);
//! - staff users are not first offered the part of their name before the first `-` (Ghost's
//!   `shortSlug` turns "The New Region" into `the` when nobody has it yet);
//! - the last segment of a subdirectory install (`/blog/`) is not protected: Dateline serves
//!   from the root.
//!
//! Slugs keep `_`: Ghost does, and its slugs are what imported URLs contain.

/// Ghost cuts a generated slug to 185 characters so that a `-N` suffix still fits its
/// 191-character column.
pub const MAX_SLUG_LEN: usize = 185;

/// Slugs Ghost refuses because its own routes answer them (`/rss/`, `/amp/`, `/ghost/`): a post,
/// tag or user that would get one gets `-post`, `-tag` or `-user` appended instead.
const PROTECTED: [&str; 3] = ["ghost", "rss", "amp"];

/// The title Ghost gives a post saved without one, before it makes the slug.
const UNTITLED: &str = "(Untitled)";

/// What a slug is for. Pages are posts to Ghost (one table), so they use [`SlugKind::Post`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugKind {
    Post,
    Tag,
    User,
}

impl SlugKind {
    /// Ghost's model name: appended to protected slugs and used when nothing else is left.
    fn model_name(self) -> &'static str {
        match self {
            SlugKind::Post => "post",
            SlugKind::Tag => "tag",
            SlugKind::User => "user",
        }
    }
}

/// The slug Ghost derives from `text` (a title, a name or a slug someone typed): only
/// `[a-z0-9_-]`, no `-` at either end or twice in a row, at most [`MAX_SLUG_LEN`] characters.
/// Empty when nothing in `text` survives (`"!!!"`, emoji only).
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        push_char(&mut slug, c);
    }
    if slug.len() > MAX_SLUG_LEN {
        slug.truncate(MAX_SLUG_LEN);
    }
    trim_trailing_dash(&mut slug);
    slug
}

/// The slugs Ghost would try, in order, when saving a `kind` named or titled `text`: the base
/// slug first, then `base-2`, `base-3`… without end. The caller keeps the first one its store
/// does not already hold (for posts Ghost checks every status, drafts included).
pub fn candidates(text: &str, kind: SlugKind) -> impl Iterator<Item = String> {
    let base = base_slug(text, kind);
    let suffixed = (2u64..).map({
        let base = base.clone();
        move |n| format!("{base}-{n}")
    });
    std::iter::once(base).chain(suffixed)
}

/// `generateSlug` before the duplicate check, in Ghost's order: slugify, tag prefix, protected
/// words, empty fallback.
fn base_slug(text: &str, kind: SlugKind) -> String {
    let text = if kind == SlugKind::Post && text.trim().is_empty() {
        UNTITLED
    } else {
        text
    };
    let mut slug = slugify(text);
    if kind == SlugKind::Tag && text.starts_with('#') {
        slug.insert_str(0, "hash-");
        trim_trailing_dash(&mut slug);
    }
    if PROTECTED.contains(&slug.as_str()) {
        slug = format!("{slug}-{}", kind.model_name());
    }
    if slug.is_empty() {
        slug = kind.model_name().to_owned();
    }
    slug
}

fn push_char(slug: &mut String, c: char) {
    if ghost_drops(c) {
        return;
    }
    if c.is_ascii() {
        push_ascii(slug, c);
    } else {
        let ascii = ghost_spelling(c).unwrap_or_else(|| deunicode::deunicode_char(c).unwrap_or(""));
        ascii.chars().for_each(|a| push_ascii(slug, a));
    }
}

/// After transliteration every ASCII character that is not a letter, digit, `_` or `'` is one of
/// the URL-reserved characters or whitespace Ghost replaces with `-`, so the rule fits in one
/// match. Writing `-` only after something else does Ghost's collapsing and leading trim as we go.
fn push_ascii(slug: &mut String, c: char) {
    match c {
        'a'..='z' | '0'..='9' | '_' => slug.push(c),
        'A'..='Z' => slug.push(c.to_ascii_lowercase()),
        '\'' => {}
        _ if slug.is_empty() || slug.ends_with('-') => {}
        _ => slug.push('-'),
    }
}

fn trim_trailing_dash(slug: &mut String) {
    if slug.ends_with('-') {
        slug.pop();
    }
}

/// Characters Ghost removes without a trace, so the letters around them join up:
/// - what `stripInvisibleChars` removes before transliterating: control and format characters
///   (soft hyphen, zero-width space and joiners, direction marks, the byte-order mark) and
///   private-use characters;
/// - what its `unidecode` has no table for: everything outside the Basic Multilingual Plane
///   (emoji among it) and whole pages such as U+19xx–U+1Dxx, U+29xx–U+2Dxx, CJK extension A and
///   U+A5xx–U+ABxx;
/// - letterlike symbols (`™`, `№`) and the pictographs of U+2600–U+27BF (`♥`, `✓`, `★`), which its
///   tables map to nothing where `deunicode` spells out names.
fn ghost_drops(c: char) -> bool {
    let code = u32::from(c);
    let page = code >> 8;
    matches!(code,
        0x00..=0x1F | 0x7F..=0x9F | 0xAD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F
        | 0x08E2 | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064
        | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0x2100..=0x214F | 0x2600..=0x27BF
        | 0x1_0000..)
        || matches!(page, 0x08 | 0x19..=0x1D | 0x29..=0x2D | 0x34..=0x4C | 0xA5..=0xAB | 0xD8..=0xF8)
}

/// Where Ghost's tables spell a character differently from `deunicode`, in the scripts Dateline's
/// newsrooms write: Ghost's Cyrillic `е` is `ie` and `г` is `gh`, its Arabic `ع` is `aa` (where
/// `deunicode`'s backtick would split the word), the katakana middle dot of `ドナルド・トランプ`
/// joins instead of separating, five common Chinese characters (`什么`) have other readings, and
/// `£` becomes a separator before anything else.
fn ghost_spelling(c: char) -> Option<&'static str> {
    let ascii = match c {
        '£' => "-",
        '€' => "eu",
        'Ý' => "u",
        'ǲ' => "d",
        'Є' | 'Е' | 'е' => "ie",
        'г' => "gh",
        'ع' => "aa",
        '么' => "yao ",
        '什' => "shi ",
        '价' => "jie ",
        '旅' => "lu ",
        '术' => "zhu ",
        'ĳ' | '\u{037A}' | '\u{0385}' | '\u{0483}' | '\u{0653}' | '\u{0670}' | '\u{0674}'
        | '\u{06D0}' | '\u{06D1}' | '\u{309A}' | '\u{309C}' | '\u{30FB}' => "",
        _ => return None,
    };
    Some(ascii)
}

// A test whose fixture is not what it expects should fail loudly, right there.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    const EXPORT: &str = include_str!("../../../../shared/fixtures/ghost-5.130/ghost-export.json");

    /// `(text, slug)` pairs from one table of Ghost's export.
    fn exported(table: &str, text_field: &str) -> Vec<(String, String)> {
        let export: Value = serde_json::from_str(EXPORT).unwrap();
        let rows = export["db"][0]["data"][table].as_array().unwrap();
        rows.iter()
            .map(|row| {
                let text = row[text_field].as_str().unwrap().to_owned();
                (text, row["slug"].as_str().unwrap().to_owned())
            })
            .collect()
    }

    fn first(text: &str, kind: SlugKind) -> String {
        candidates(text, kind).next().unwrap()
    }

    #[test]
    fn post_titles_in_the_export_give_ghosts_slugs() {
        let posts = exported("posts", "title");
        assert_eq!(posts.len(), 11);
        for (title, slug) in posts {
            assert_eq!(slugify(&title), slug, "title {title:?}");
            assert_eq!(first(&title, SlugKind::Post), slug, "title {title:?}");
        }
    }

    #[test]
    fn tag_names_in_the_export_give_ghosts_slugs() {
        let tags = exported("tags", "name");
        assert!(tags.iter().any(|(name, _)| name == "#internal"));
        for (name, slug) in tags {
            assert_eq!(first(&name, SlugKind::Tag), slug, "tag {name:?}");
        }
        assert_eq!(slugify("#internal"), "internal");
    }

    #[test]
    fn user_names_in_the_export_give_ghosts_slugs() {
        for (name, slug) in exported("users", "name") {
            assert_eq!(slugify(&name), slug, "user {name:?}");
            assert_eq!(first(&name, SlugKind::User), slug, "user {name:?}");
        }
    }

    /// Expected values are what `@tryghost/string` 0.2.17 (Ghost 5.130.6) returned for the same
    /// input under Node 20.
    #[test]
    fn matches_ghost_on_other_scripts() {
        let cases = [
            ("Сегодня в Москве", "sieghodnia-v-moskvie"),
            ("Новости Украины: Київ", "novosti-ukrainy-kiyiv"),
            ("العراق يعلن عن موازنة 2027", "laarq-yaaln-aan-mwzn-2027"),
            (
                "رئيس الوزراء: العراق شريك استراتيجي",
                "ryys-lwzr-laarq-shryk-strtyjy",
            ),
            (
                "کوردستان: پەرلەمان کۆدەبێتەوە",
                "khwrdstn-paerlaemn-khoedaebytaewae",
            ),
            ("هەولێر و سلێمانی", "haewlyr-w-slymny"),
            ("Łódź & Kraków", "lodz-krakow"),
            ("Ünïcödé — “quotes” – dash", "unicode-quotes-dash"),
            ("Ελληνικά νέα", "ellenika-nea"),
            ("Hà Nội mùa thu", "ha-noi-mua-thu"),
            ("中国 日本語", "zhong-guo-ri-ben-yu"),
            ("Ýmir £100 for €50", "umir-100-for-eu50"),
            ("Straße", "strasse"),
        ];
        for (text, slug) in cases {
            assert_eq!(slugify(text), slug, "text {text:?}");
        }
    }

    #[test]
    fn matches_ghost_on_punctuation_and_spacing() {
        let cases = [
            ("Hello World", "hello-world"),
            ("  Hello   World  ", "hello-world"),
            ("how we shouldn't be", "how-we-shouldnt-be"),
            ("don’t stop ‘believing’", "dont-stop-believing"),
            (
                "a:b/c?d#e[f]g!h$i&j(k)l*m+n,o;{p}=q\\r%s<t>u|v^w~x£y\"z@1.2`3",
                "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-1-2-3",
            ),
            ("This :) means everything", "this-means-everything"),
            (".Not special", "not-special"),
            ("This.", "this"),
            ("snake_case title", "snake_case-title"),
            ("a\tb\nc", "abc"),
            ("x\u{200B}y", "xy"),
            ("control:\u{7}notcontrol:\u{B5}", "control-notcontrol-u"),
            ("howtowin✓", "howtowin"),
            ("test 😬🖤❤︎", "test"),
            ("I ❤️ Erbil 😬", "i-erbil"),
            ("Trade™ №5", "trade-5"),
            ("!!!", ""),
            ("", ""),
            ("—", ""),
        ];
        for (text, slug) in cases {
            assert_eq!(slugify(text), slug, "text {text:?}");
        }
    }

    #[test]
    fn long_titles_are_cut_to_ghosts_limit() {
        let title = "word ".repeat(100);
        let slug = slugify(&title);
        assert_eq!(slug.len(), 184, "185 would end in a dash");
        assert!(slug.starts_with("word-word-") && slug.ends_with("word"));
        assert_eq!(slugify(&"a".repeat(300)).len(), MAX_SLUG_LEN);
    }

    #[test]
    fn empty_and_punctuation_only_texts_fall_back_to_ghosts_words() {
        assert_eq!(first("", SlugKind::Post), "untitled");
        assert_eq!(first("   ", SlugKind::Post), "untitled");
        assert_eq!(first("!!!", SlugKind::Post), "post");
        assert_eq!(first("😬", SlugKind::Post), "post");
        assert_eq!(first("!!!", SlugKind::Tag), "tag");
        assert_eq!(first("!!!", SlugKind::User), "user");
        assert_eq!(first("#", SlugKind::Tag), "hash");
    }

    #[test]
    fn protected_slugs_get_the_model_name() {
        assert_eq!(first("RSS", SlugKind::Post), "rss-post");
        assert_eq!(first("Ghost", SlugKind::User), "ghost-user");
        assert_eq!(first("amp", SlugKind::Tag), "amp-tag");
        assert_eq!(first("#rss", SlugKind::Tag), "hash-rss");
        assert_eq!(first("Ghost writer", SlugKind::Post), "ghost-writer");
    }

    #[test]
    fn internal_tags_get_the_hash_prefix_only_as_tags() {
        assert_eq!(first("#later", SlugKind::Tag), "hash-later");
        assert_eq!(first("#later", SlugKind::Post), "later");
    }

    #[test]
    fn duplicates_are_numbered_from_two() {
        let tried: Vec<String> = candidates("Breaking news", SlugKind::Post)
            .take(11)
            .collect();
        assert_eq!(tried[0], "breaking-news");
        assert_eq!(tried[1], "breaking-news-2");
        assert_eq!(tried[9], "breaking-news-10");
        assert_eq!(tried[10], "breaking-news-11");
        let rss: Vec<String> = candidates("rss", SlugKind::Tag).take(2).collect();
        assert_eq!(rss, ["rss-tag", "rss-tag-2"]);
    }

    proptest! {
        #[test]
        fn slugs_are_clean_url_segments(text in any::<String>()) {
            let slug = slugify(&text);
            prop_assert!(slug.len() <= MAX_SLUG_LEN);
            prop_assert!(slug.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        }

        #[test]
        fn candidates_are_never_empty_and_never_protected(text in any::<String>()) {
            for kind in [SlugKind::Post, SlugKind::Tag, SlugKind::User] {
                let base = first(&text, kind);
                prop_assert!(!base.is_empty());
                prop_assert!(!PROTECTED.contains(&base.as_str()));
                prop_assert!(!base.starts_with('-') && !base.ends_with('-') && !base.contains("--"));
            }
        }

        #[test]
        fn slugify_is_idempotent(text in "\\PC{0,60}") {
            let once = slugify(&text);
            prop_assert_eq!(slugify(&once), once.clone());
        }
    }
}
