//! Reading time, computed as Ghost 5.130 computes it (`@tryghost/helpers` 1.1.97, `readingMinutes`),
//! so that the Content API's `reading_time` and themes' "N min read" agree with Ghost for the
//! same post, and counted properly for scripts Ghost does not see.
//!
//! Ghost's recipe, followed step by step:
//! 1. Replace every tag matched by `<("[^"]*"|'[^']*'|[^'">])+\/?>` with a space. Entities are
//!    not decoded: `&nbsp;` leaves the word `nbsp`, as in Ghost.
//! 2. Count the matches of two character classes. "Word" runs are `[a-zA-Z0-9_À-ÿ]`, Greek
//!    U+0392–U+03C9 and Cyrillic U+0410–U+04F9, one word a run, so `well-known`, `don't` and
//!    `3.5` are two words each. "CJK" runs are CJK ideographs, hiragana and Hangul syllables,
//!    one word a character when the run starts at U+4E00 or above and one word a run otherwise.
//! 3. Only when nothing matched, count runs of Arabic (U+0600–U+06FF) or Hebrew (U+0591–U+05F4)
//!    instead, one word a run. A purely Arabic article is counted; one that also holds a single
//!    Latin letter or ASCII digit ("2025", "NATO", `&nbsp;`) is counted by step 2 alone and
//!    Ghost reports 0 minutes for it.
//! 4. Read 275 words a minute; add 12 s for the first image, 11 s for the second and so on down
//!    to 3 s each (an `<img` tag with attributes is an image, and so is the feature image);
//!    round to whole minutes. 0 is a valid answer and the API returns it; themes show it as
//!    "1 min read".
//!
//! Dateline's one addition is to count the words Ghost could not see. Text is cut into runs of
//! word characters (letters, digits, the combining marks and joiners that sit inside words,
//! and every character Ghost's classes in use accept). A run holding any character Ghost
//! counted is left to Ghost: it counts exactly what Ghost counts, even when it also holds
//! letters Ghost skips (`Łódź` stays one word, `naïve` with a decomposed `ï` stays two, an
//! Arabic word glued to `2025` adds nothing). A run holding none counts as one more word, or one
//! a character for ideographs beyond the Basic Multilingual Plane, like Ghost's CJK. So:
//! - the count is never below Ghost's, and equals it whenever every word touches a character
//!   Ghost counted: Latin, Greek, Cyrillic and CJK text, and purely Arabic or Hebrew text
//!   counted by step 3, Ghost's quirks included. The exceptions are words made only of letters
//!   just outside Ghost's ranges (Ukrainian `Є`, `І`, Russian `Ё`, Greek `Α`, katakana), which
//!   Ghost skips and Dateline counts;
//! - Arabic and Sorani Kurdish articles that mention a number or a Latin name get a real
//!   reading time instead of 0, and so does text in scripts Ghost ignores entirely.
//!
//! Scripts written without spaces between words (Thai, Lao, Khmer, Myanmar) still count a whole
//! phrase as one word; doing better needs a dictionary.

use std::collections::HashSet;
use std::ops::Range;

/// Ghost's reading speed.
const WORDS_PER_MINUTE: f64 = 275.0;

/// Seconds Ghost adds for the first image; each later image adds one second less.
const FIRST_IMAGE_SECONDS: u32 = 12;

/// Ghost stops lowering the per-image time here.
const MIN_IMAGE_SECONDS: u32 = 3;

/// Words in `html`: Ghost's count plus the words in scripts Ghost cannot see (see the module
/// documentation for the rule that keeps Ghost's part identical).
pub fn word_count(html: &str) -> u32 {
    let text = strip_tags(html);
    let (ghost, seen) = ghost_count(&text);
    ghost.saturating_add(unseen_words(&text, seen))
}

/// Images in `html` as Ghost counts them: `<img` tags with at least one character before `>`.
pub fn image_count(html: &str) -> u32 {
    saturating_u32(tags(html, "<img").len())
}

/// Minutes to read a post with this `html`, the feature image counting as one more image.
/// Ghost computes no reading time for empty HTML (the API leaves the field out); this returns
/// 0 for it.
pub fn reading_time_minutes(html: &str, has_feature_image: bool) -> u32 {
    if html.is_empty() {
        return 0;
    }
    let images = image_count(html).saturating_add(u32::from(has_feature_image));
    minutes(word_count(html), images)
}

/// Ghost's arithmetic, in its order of floating-point operations, so that results on the edge
/// of a half minute round the same way.
fn minutes(words: u32, images: u32) -> u32 {
    let words_per_second = WORDS_PER_MINUTE / 60.0;
    let mut seconds = f64::from(words) / words_per_second;
    for nth in 0..images {
        let image_seconds = FIRST_IMAGE_SECONDS
            .saturating_sub(nth)
            .max(MIN_IMAGE_SECONDS);
        seconds += f64::from(image_seconds);
    }
    // Saturating float-to-int cast; the value is a non-negative count of minutes.
    (seconds / 60.0).round() as u32
}

/// `html` with each tag replaced by a space, as Ghost's `countWords` does first.
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut copied = 0;
    for tag in tags(html, "<") {
        text.push_str(&html[copied..tag.start]);
        text.push(' ');
        copied = tag.end;
    }
    text.push_str(&html[copied..]);
    text
}

/// Byte ranges of the matches of Ghost's `<prefix>("[^"]*"|'[^']*'|[^'">])+\/?>`, found as a
/// global JavaScript regex finds them. The pattern never needs backtracking: a match ends at
/// the first `>` outside quotes, and fails at a quote that is never closed or at the end of the
/// text. A failed scan fails the same way from every `prefix` it walked over outside quotes, so
/// those are remembered and skipped, which keeps unclosed quotes from making this quadratic.
fn tags(html: &str, prefix: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut doomed = HashSet::new();
    let mut from = 0;
    while let Some(offset) = html[from..].find(prefix) {
        let start = from + offset;
        from = start + 1;
        if doomed.contains(&start) {
            continue;
        }
        match scan_tag(html.as_bytes(), start + prefix.len(), prefix.as_bytes()) {
            Ok(end) => {
                found.push(start..end);
                from = end;
            }
            Err(walked) => doomed.extend(walked),
        }
    }
    found
}

/// Scans a tag body starting at `body`: `Ok(end)` just past its `>`, or `Err` with the positions
/// of `prefix` passed outside quotes on the way to failing.
fn scan_tag(bytes: &[u8], body: usize, prefix: &[u8]) -> Result<usize, Vec<usize>> {
    let mut walked = Vec::new();
    let mut at = body;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'>' if at > body => return Ok(at + 1),
            b'>' => break,
            b'"' | b'\'' => match bytes[at + 1..].iter().position(|&b| b == byte) {
                Some(len) => at += len + 2,
                None => break,
            },
            _ => {
                if bytes[at..].starts_with(prefix) {
                    walked.push(at);
                }
                at += 1;
            }
        }
    }
    Err(walked)
}

/// The two alternatives of Ghost's main pattern; a run never mixes them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GhostClass {
    Word,
    Cjk,
}

/// The alternatives of Ghost's fallback pattern.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RtlClass {
    Arabic,
    Hebrew,
}

fn ghost_class(c: char) -> Option<GhostClass> {
    match c {
        'a'..='z'
        | 'A'..='Z'
        | '0'..='9'
        | '_'
        | 'À'..='ÿ'
        | '\u{0392}'..='\u{03C9}'
        | '\u{0410}'..='\u{04F9}' => Some(GhostClass::Word),
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3040}'..='\u{309F}'
        | '\u{AC00}'..='\u{D7AF}' => Some(GhostClass::Cjk),
        _ => None,
    }
}

fn rtl_class(c: char) -> Option<RtlClass> {
    match c {
        '\u{0600}'..='\u{06FF}' => Some(RtlClass::Arabic),
        '\u{0591}'..='\u{05F4}' => Some(RtlClass::Hebrew),
        _ => None,
    }
}

fn in_ghost_class(c: char) -> bool {
    ghost_class(c).is_some()
}

fn in_rtl_class(c: char) -> bool {
    rtl_class(c).is_some()
}

/// Ghost's word count of tag-free `text`, with the test for the characters that count used.
fn ghost_count(text: &str) -> (u32, fn(char) -> bool) {
    let main = runs(text, ghost_class);
    if main.is_empty() {
        let rtl = runs(text, rtl_class);
        return (saturating_u32(rtl.len()), in_rtl_class);
    }
    let words = main
        .iter()
        .map(|run| ghost_run_words(run))
        .fold(0, u32::saturating_add);
    (words, in_ghost_class)
}

/// Ghost decides by a run's first character: from U+4E00 on, every character is a word.
fn ghost_run_words(run: &str) -> u32 {
    match run.chars().next() {
        Some(first) if first >= '\u{4E00}' => saturating_u32(run.chars().count()),
        _ => 1,
    }
}

/// Words in runs none of whose characters Ghost counted.
fn unseen_words(text: &str, seen: fn(char) -> bool) -> u32 {
    let is_word = |c: char| (c.is_alphanumeric() || is_inner_mark(c) || seen(c)).then_some(());
    runs(text, is_word)
        .into_iter()
        .filter(|run| !run.chars().any(seen))
        .map(unseen_run_words)
        .fold(0, u32::saturating_add)
}

/// Ideographs outside Ghost's ranges (CJK extension B and later) count one a character, as
/// Ghost counts its CJK; any other run is one word.
fn unseen_run_words(run: &str) -> u32 {
    match run.chars().next() {
        Some('\u{2_0000}'..='\u{3_FFFF}') => saturating_u32(run.chars().count()),
        _ => 1,
    }
}

/// Combining marks and joiners that sit inside words but are not `Alphabetic` in Unicode, so
/// `char::is_alphanumeric` would split words at them: generic diacritics, Hebrew cantillation,
/// Arabic Quranic marks, Brahmic viramas and nuktas, Thai and Lao tone marks, Tibetan, Myanmar
/// and Khmer signs, the zero-width (non-)joiner of Persian and Kurdish spelling.
fn is_inner_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05BD}'
        | '\u{05BF}' | '\u{05C1}'..='\u{05C2}' | '\u{05C4}'..='\u{05C5}' | '\u{05C7}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}' | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{0900}'..='\u{0963}' | '\u{0966}'..='\u{0DF3}'
        | '\u{0E31}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'
        | '\u{0EB1}'..='\u{0EBC}' | '\u{0EC8}'..='\u{0ECE}'
        | '\u{0F18}'..='\u{0F19}' | '\u{0F35}' | '\u{0F37}' | '\u{0F39}'
        | '\u{0F71}'..='\u{0F84}' | '\u{0F86}'..='\u{0F87}' | '\u{0F8D}'..='\u{0FBC}'
        | '\u{102B}'..='\u{103E}' | '\u{1056}'..='\u{1059}' | '\u{105E}'..='\u{1060}'
        | '\u{1062}'..='\u{1064}' | '\u{1067}'..='\u{106D}' | '\u{1071}'..='\u{1074}'
        | '\u{1082}'..='\u{108D}' | '\u{108F}' | '\u{109A}'..='\u{109D}'
        | '\u{17B4}'..='\u{17D3}' | '\u{17DD}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Maximal runs of characters that `class` puts in the same class, in order, as a global
/// JavaScript regex of the form `[class A]+|[class B]+` finds them.
fn runs<K: PartialEq>(text: &str, class: impl Fn(char) -> Option<K>) -> Vec<&str> {
    let mut found = Vec::new();
    let mut open: Option<(K, usize)> = None;
    for (at, c) in text.char_indices() {
        let class = class(c);
        if let Some((open_class, start)) = open.take() {
            if class.as_ref() == Some(&open_class) {
                open = Some((open_class, start));
                continue;
            }
            found.push(&text[start..at]);
        }
        open = class.map(|class| (class, at));
    }
    if let Some((_, start)) = open {
        found.push(&text[start..]);
    }
    found
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// A test whose fixture is not what it expects should fail loudly, right there.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    const EXPORT: &str = include_str!("../../../../shared/fixtures/ghost-5.130/ghost-export.json");
    const BROWSE: &str =
        include_str!("../../../../shared/fixtures/ghost-5.130/content-api/posts.browse.json");
    const PAGES: &str =
        include_str!("../../../../shared/fixtures/ghost-5.130/content-api/pages.browse.json");

    fn ghost_words(html: &str) -> u32 {
        ghost_count(&strip_tags(html)).0
    }

    /// Every post and page in the export, by slug, with its HTML and whether it has a feature image.
    fn exported_posts() -> Vec<(String, String, bool)> {
        let export: Value = serde_json::from_str(EXPORT).unwrap();
        let posts = export["db"][0]["data"]["posts"].as_array().unwrap();
        posts
            .iter()
            .map(|post| {
                let slug = post["slug"].as_str().unwrap().to_owned();
                let html = post["html"].as_str().unwrap_or_default().to_owned();
                (slug, html, !post["feature_image"].is_null())
            })
            .collect()
    }

    fn api_reading_times(body: &str, resource: &str) -> Vec<(String, u32)> {
        let body: Value = serde_json::from_str(body).unwrap();
        body[resource]
            .as_array()
            .unwrap()
            .iter()
            .map(|post| {
                let minutes = post["reading_time"].as_u64().unwrap();
                (
                    post["slug"].as_str().unwrap().to_owned(),
                    u32::try_from(minutes).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn seed_article_is_508_words_and_2_minutes() {
        let posts = exported_posts();
        let seed = "pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner";
        let (_, html, has_feature_image) = posts.iter().find(|(slug, ..)| slug == seed).unwrap();
        assert!(*has_feature_image);
        assert_eq!(word_count(html), 508);
        assert_eq!(ghost_words(html), 508);
        assert_eq!(reading_time_minutes(html, true), 2);
    }

    #[test]
    fn every_published_post_and_page_matches_the_content_api() {
        let posts = exported_posts();
        let mut expected = api_reading_times(BROWSE, "posts");
        expected.extend(api_reading_times(PAGES, "pages"));
        assert_eq!(expected.len(), 9);
        for (slug, minutes) in expected {
            let (_, html, feature) = posts.iter().find(|(s, ..)| *s == slug).unwrap();
            assert_eq!(reading_time_minutes(html, *feature), minutes, "post {slug}");
            assert_eq!(
                word_count(html),
                ghost_words(html),
                "post {slug} is Latin script"
            );
        }
    }

    /// Expected values are what `countWords` of `@tryghost/helpers` 1.1.97 (Ghost 5.130.6)
    /// returned for the same input under Node 20.
    #[test]
    fn latin_edge_cases_count_as_ghost_counts() {
        let cases = [
            ("<p>A well-known fact</p>", 4),
            ("<p>Don't, don’t and 'quoted'</p>", 6),
            ("<p>It costs $3.50 or 1,000 IQD in 2025.</p>", 10),
            ("<p>snake_case and café and naïve</p>", 5),
            ("<p>nai\u{0308}ve</p>", 2),
            ("<p>Łódź</p>", 1),
            ("<p>a&nbsp;b &amp; c&#8217;s</p>", 7),
            ("<p>x × y ÷ z</p>", 5),
            ("<p>Ελληνικά Ακρόπολη</p>", 3),
            ("<p>Привет, мир!</p>", 2),
            ("<p>one</p><p>two</p>three", 3),
            ("<p title=\"a > b\">one</p>", 1),
            ("<a href='x'>one</a> <b>two", 2),
            ("a <b c=\"unclosed>d e</b>", 6),
            ("<>x<", 1),
            ("", 0),
        ];
        for (html, words) in cases {
            assert_eq!(ghost_words(html), words, "html {html:?}");
            assert_eq!(word_count(html), words, "html {html:?}");
        }
    }

    #[test]
    fn cyrillic_letters_outside_ghosts_range_are_words_of_their_own() {
        // Ghost's range starts at U+0410, so `Ї` (U+0407) splits `Їжак` and `Є` (U+0404) is
        // invisible to it. Dateline keeps Ghost's number for `Їжак` and counts `Є`.
        let html = "<p>Привет, мир! Їжак Є</p>";
        assert_eq!(ghost_words(html), 3);
        assert_eq!(word_count(html), 4);
    }

    #[test]
    fn cjk_counts_per_character_as_ghost_does() {
        let cases = [
            ("<p>中华人民共和国</p>", 7),
            ("<p>日本のテレビ番組</p>", 5),
            ("<p>のです</p>", 1),
            ("<p>한국어 뉴스</p>", 5),
            ("<p>Beijing 北京 2025</p>", 4),
        ];
        for (html, words) in cases {
            assert_eq!(ghost_words(html), words, "html {html:?}");
            assert_eq!(word_count(html), words, "html {html:?}");
        }
        assert_eq!(
            word_count("<p>テレビ</p>"),
            1,
            "katakana alone is invisible to Ghost"
        );
        assert_eq!(ghost_words("<p>テレビ</p>"), 0);
        assert_eq!(word_count("<p>\u{20000}\u{20001}</p>"), 2);
    }

    #[test]
    fn purely_arabic_text_is_counted_by_ghosts_fallback() {
        let html = "<p>رئيس الوزراء يزور مقر حلف الناتو، ويؤكد أن العراق شريك موثوق.</p>";
        assert_eq!(ghost_words(html), 11);
        assert_eq!(word_count(html), 11);
        let hebrew = "<p>שָׁלוֹם עוֹלָם</p>";
        assert_eq!(ghost_words(hebrew), 2);
        assert_eq!(word_count(hebrew), 2);
    }

    #[test]
    fn arabic_with_numbers_gets_a_real_count_where_ghost_sees_only_the_numbers() {
        let html = "<p>أعلنت الحكومة العراقية في عام 2025 موازنة جديدة بقيمة 200 تريليون دينار</p>";
        assert_eq!(ghost_words(html), 2);
        assert_eq!(word_count(html), 12);
        let glued = "<p>عام2025 جديد</p>";
        assert_eq!(ghost_words(glued), 1);
        assert_eq!(
            word_count(glued),
            2,
            "the run holding 2025 stays Ghost's single word"
        );
    }

    #[test]
    fn an_arabic_article_gets_a_sensible_reading_time() {
        let paragraph = "<p>أكد رئيس الوزراء محمد شياع السوداني خلال زيارته مقر حلف شمال الأطلسي \
                         في بروكسل أن العراق شريك موثوق واستراتيجي للحلف، وأن بعثة الناتو في \
                         العراق تؤدي دوراً مهماً في تطوير قدرات القوات الأمنية العراقية منذ عام 2018.</p>";
        let html = format!("{}<img src=\"a.jpg\" alt=\"\">", paragraph.repeat(15));
        let ghost = minutes(ghost_words(&html), 2);
        let words = word_count(&html);
        assert_eq!(ghost_words(&html), 15, "Ghost sees only the year");
        assert_eq!(ghost, 0);
        assert_eq!(words, 15 * 37, "36 Arabic words and the year a paragraph");
        assert_eq!(reading_time_minutes(&html, true), 2);
    }

    #[test]
    fn sorani_kurdish_is_counted() {
        let html = "<p>پەرلەمانی هەرێمی کوردستان لە 12ی ئەم مانگە کۆدەبێتەوە بۆ یەکەم دانیشتن.</p>";
        assert_eq!(ghost_words(html), 1, "Ghost sees only `12`");
        assert_eq!(word_count(html), 11, "`12ی` is one word, Ghost's");
        let zwnj = "<p>دەکرێ\u{200C}ت 2025</p>";
        assert_eq!(
            word_count(zwnj),
            2,
            "a zero-width non-joiner does not split a word"
        );
        let pure = "<p>هەولێر و سلێمانی</p>";
        assert_eq!(word_count(pure), 3);
        assert_eq!(ghost_words(pure), 3);
    }

    #[test]
    fn other_scripts_ghost_ignores_are_counted() {
        assert_eq!(
            word_count("<p>नमस्ते दुनिया</p>"),
            2,
            "the virama does not split the word"
        );
        assert_eq!(word_count("<p>ܫܠܡܐ ܥܠܡܐ</p>"), 2);
        assert_eq!(word_count("<p>Ἀθῆναι 😬 ✓</p>"), 2);
    }

    #[test]
    fn images_count_as_ghost_counts_them() {
        assert_eq!(
            image_count("<img src=\"a.jpg\"><p>x</p><img src='b.jpg' />"),
            2
        );
        assert_eq!(
            image_count("<img>"),
            0,
            "Ghost's pattern needs something before `>`"
        );
        assert_eq!(image_count("<IMG src=a>"), 0);
        assert_eq!(image_count("<img alt=\"a > b\" src=x>"), 1);
        assert_eq!(image_count("<img alt=\"unclosed>"), 0);
        assert_eq!(image_count("<figure><img src=x></figure>"), 1);
    }

    #[test]
    fn image_time_falls_by_a_second_down_to_three() {
        assert_eq!(minutes(0, 0), 0);
        assert_eq!(minutes(0, 1), 0, "12 s");
        assert_eq!(minutes(0, 3), 1, "12 + 11 + 10 s");
        assert_eq!(minutes(0, 10), 1, "12 + … + 3 = 75 s");
        assert_eq!(minutes(0, 20), 2, "75 + 10 × 3 = 105 s");
        assert_eq!(minutes(137, 0), 0, "29.9 s");
        assert_eq!(minutes(138, 0), 1, "30.1 s");
        assert_eq!(minutes(508, 1), 2);
        assert_eq!(reading_time_minutes("", true), 0);
        assert_eq!(reading_time_minutes("<p></p>", true), 0);
    }

    proptest! {
        #[test]
        fn never_panics_and_never_counts_below_ghost(html in any::<String>()) {
            prop_assert!(word_count(&html) >= ghost_words(&html));
            reading_time_minutes(&html, true);
            image_count(&html);
        }

        #[test]
        fn text_in_ghosts_classes_counts_exactly_as_ghost(
            html in "[a-zA-Z0-9_ÀàéÿΒωЖж一中のは한 .,;:'’\\-<>\"/=]{0,80}"
        ) {
            prop_assert_eq!(word_count(&html), ghost_words(&html));
        }

        #[test]
        fn an_unclosed_quote_leaves_the_rest_as_text(n in 1u32..2000) {
            let html = format!("{}'{}", "<a ".repeat(n as usize), "x".repeat(n as usize));
            prop_assert_eq!(word_count(&html), n + 1);
        }
    }
}
