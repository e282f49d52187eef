//! Ghost's Handlebars dialect translated, once at load, into what the `handlebars` crate
//! understands.
//!
//! Ghost runs Handlebars.js, where `@site.title` reads a data variable visible in every block.
//! The `handlebars` crate keeps `@`-variables per block and reads only their first segment, so
//! `{{@site.title}}` inside `{{#foreach}}` would print nothing. Ghost's global data is therefore
//! stored under `$`-prefixed root keys (see [`crate::page`]) and every `@site…` in an expression
//! becomes `@root.$site…`. Plain partial includes (`{{> post-card}}`, `{{> "post-card" x=1}}`,
//! quoted names included, which the crate does not parse) become calls of the engine's partial
//! helper, which reads the page data in place instead of copying it (see
//! `helpers::partial`); partial blocks and dynamic partials stay as they are. Text outside
//! `{{ }}`, comments, raw blocks and string literals are copied unchanged.

/// Ghost's global data variables; each lives at `@root.$name`.
const GLOBALS: &[&str] = &["site", "custom", "member", "config", "page", "labs"];

/// Ghost 1.x called `@site` `@blog`; Ghost still answers to it, and older themes use it.
const BLOG: &str = "blog";

/// `source` in the `handlebars` crate's dialect.
pub(crate) fn translate(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 64);
    let mut blocks = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let (copied, translated) = if rest.starts_with("{{{{") {
            raw_block(rest)
        } else if rest[2..].trim_start_matches('~').starts_with('!') {
            comment(rest)
        } else {
            let end = mustache_end(rest);
            (end, Some(expression(&rest[..end])))
        };
        match translated {
            Some(text) => {
                let tag = BlockTag::of(&rest[..copied]);
                if tag == BlockTag::Close {
                    close_block(&mut out, blocks.pop().flatten());
                }
                out.push_str(&text);
                match tag {
                    BlockTag::Open { inverted } => {
                        blocks.push(inverted.then(|| Inverted::new(out.len())));
                    }
                    BlockTag::Else => {
                        if let Some(Some(inverted)) = blocks.last_mut() {
                            inverted.mark_else(out.len() - text.len(), out.len());
                        }
                    }
                    BlockTag::Close | BlockTag::Other => {}
                }
            }
            None => out.push_str(&rest[..copied]),
        }
        rest = &rest[copied..];
    }
    out.push_str(rest);
    out
}

/// What a mustache does to the block structure.
#[derive(Debug, PartialEq)]
enum BlockTag {
    /// `{{#…}}` or `{{^…}}`; `inverted` for an inverted block on a helper (`{{^if x}}`).
    Open {
        inverted: bool,
    },
    /// A plain `{{else}}` or `{{^}}`.
    Else,
    Close,
    Other,
}

impl BlockTag {
    fn of(mustache: &str) -> Self {
        let inner = mustache
            .trim_start_matches('{')
            .trim_end_matches('}')
            .trim_matches('~')
            .trim();
        if inner == "else" || inner == "^" {
            BlockTag::Else
        } else if inner.starts_with('/') {
            BlockTag::Close
        } else if inner.starts_with('#') {
            BlockTag::Open { inverted: false }
        } else if inner.starts_with('^') {
            BlockTag::Open {
                inverted: inverse_helper_block(mustache).is_some(),
            }
        } else {
            BlockTag::Other
        }
    }
}

/// An open `{{^helper …}}` block: where its body starts in the output, and its `{{else}}`.
#[derive(Debug)]
struct Inverted {
    body_start: usize,
    else_tag: Option<(usize, usize)>,
}

impl Inverted {
    fn new(body_start: usize) -> Self {
        Inverted {
            body_start,
            else_tag: None,
        }
    }

    fn mark_else(&mut self, start: usize, end: usize) {
        self.else_tag.get_or_insert((start, end));
    }
}

/// Closes a block before its `{{/…}}` is written. An inverted helper block was opened as
/// `{{#helper …}}`, so Handlebars.js's branches swap: `{{^if x}}A{{else}}B{{/if}}` becomes
/// `{{#if x}}B{{else}}A{{/if}}`, and a body without `{{else}}` becomes the else branch.
fn close_block(out: &mut String, block: Option<Inverted>) {
    let Some(block) = block else { return };
    let body = out.split_off(block.body_start);
    match block.else_tag {
        Some((start, end)) => {
            let (start, end) = (start - block.body_start, end - block.body_start);
            out.push_str(&body[end..]);
            out.push_str(&body[start..end]);
            out.push_str(&body[..start]);
        }
        None => {
            out.push_str("{{else}}");
            out.push_str(&body);
        }
    }
}

/// Length of a `{{! … }}` or `{{!-- … --}}` comment, kept verbatim (it may be a layout line).
fn comment(text: &str) -> (usize, Option<String>) {
    let body = text[2..].trim_start_matches('~');
    let closing: &[&str] = if body.starts_with("!--") {
        &["--}}", "--~}}"]
    } else {
        &["}}", "~}}"]
    };
    let end = closing
        .iter()
        .filter_map(|close| text.find(close).map(|at| at + close.len()))
        .min()
        .unwrap_or(text.len());
    (end, None)
}

/// Length of a `{{{{raw}}}} … {{{{/raw}}}}` block, kept verbatim.
fn raw_block(text: &str) -> (usize, Option<String>) {
    let end = text
        .find("{{{{/")
        .and_then(|close| text[close..].find("}}}}").map(|e| close + e + 4))
        .unwrap_or(text.len());
    (end, None)
}

/// Length of the mustache starting at `text` (which starts with `{{`), skipping string
/// literals so a `}}` inside quotes does not end it.
fn mustache_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 2;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if text[i..].starts_with("}}") => {
                let braces = text[i..].bytes().take_while(|c| *c == b'}').count();
                return i + braces.min(3);
            }
            None => {}
        }
        i += 1;
    }
    text.len()
}

/// One `{{ … }}` expression with global variables and partial includes rewritten.
fn expression(mustache: &str) -> String {
    let mustache = partial_include(mustache)
        .or_else(|| inverse_helper_block(mustache))
        .or_else(|| anonymous_close(mustache))
        .or_else(|| path_block(mustache))
        .or_else(|| safe_string(mustache))
        .unwrap_or_else(|| mustache.to_owned());
    let mustache = length_arguments(&mustache);
    let mut out = String::with_capacity(mustache.len() + 16);
    let bytes = mustache.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' && i + 1 < bytes.len() {
                out.push_str(&mustache[i..i + 2]);
                i += 2;
                continue;
            }
            if b == q {
                quote = None;
            }
        } else if b == b'"' || b == b'\'' {
            quote = Some(b);
        } else if b == b'@' && starts_token(bytes, i) {
            let name_end = mustache[i + 1..]
                .find(|c: char| !is_identifier_char(c))
                .map_or(mustache.len(), |e| i + 1 + e);
            let name = &mustache[i + 1..name_end];
            let global = if name == BLOG { "site" } else { name };
            if GLOBALS.contains(&global) {
                out.push_str("@root.$");
                out.push_str(global);
                i = name_end;
                continue;
            }
        }
        let c = mustache[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Fields Ghost hands themes as Handlebars `SafeString`s, printed unescaped even in double
/// braces: a feature image's caption is HTML (a credit with a link).
const SAFE_FIELDS: &[&str] = &["feature_image_caption"];

/// `{{feature_image_caption}}` (or `{{post.feature_image_caption}}`, with `~` or not) as the
/// triple-brace mustache it acts as in Ghost.
fn safe_string(mustache: &str) -> Option<String> {
    if mustache.starts_with("{{{") {
        return None;
    }
    let inner = mustache.strip_prefix("{{")?.strip_suffix("}}")?;
    let open_trim = inner.starts_with('~');
    let close_trim = inner.ends_with('~');
    let path = inner.trim_matches('~').trim();
    let field = path.rsplit(['.', '/']).next()?;
    let plain_path = path
        .chars()
        .all(|c| is_identifier_char(c) || matches!(c, '.' | '/'));
    if !plain_path || !SAFE_FIELDS.contains(&field) {
        return None;
    }
    let (open, close) = (
        if open_trim { "{{{~" } else { "{{{" },
        if close_trim { "~}}}" } else { "}}}" },
    );
    Some(format!("{open}{path}{close}"))
}

/// A block on a path (`{{#../primary_tag}}…{{/../primary_tag}}`, `{{#post.tags}}`), which
/// Handlebars.js renders like a block on a name and the `handlebars` crate cannot parse, as a
/// call of the engine's path block helper. Only dotted paths: a slash may be a partial
/// block's name (`{{/icons/x}}`).
fn path_block(mustache: &str) -> Option<String> {
    let open = if mustache.starts_with("{{~") {
        "{{~"
    } else {
        "{{"
    };
    let close = if mustache.ends_with("~}}") {
        "~}}"
    } else {
        "}}"
    };
    let inner = mustache.get(open.len()..mustache.len().checked_sub(close.len())?)?;
    let (sigil, name) = inner.split_at_checked(1)?;
    let name = name.trim();
    if !name.contains('.') || name.contains(char::is_whitespace) || name.starts_with(['>', '*']) {
        return None;
    }
    let block = crate::helpers::missing::PATH_BLOCK;
    match sigil {
        "#" => Some(format!("{open}#{block} {name}{close}")),
        "/" => Some(format!("{open}/{block}{close}")),
        _ => None,
    }
}

/// `{{/undefined}}` as `{{/}}`. Handlebars.js wants a partial block whose name is computed
/// (`{{#> (concat "icons/" type)}}`, Ghost 6's Casper and Source) closed by the name its
/// parser gives such a block, `undefined`; the `handlebars` crate takes an empty name.
fn anonymous_close(mustache: &str) -> Option<String> {
    let inner = mustache.strip_prefix("{{")?.strip_suffix("}}")?;
    let open = if inner.starts_with('~') { "{{~" } else { "{{" };
    let close = if inner.ends_with('~') { "~}}" } else { "}}" };
    (inner.trim_matches('~').trim() == "/undefined").then(|| format!("{open}/{close}"))
}

/// `{{> name args}}` (name quoted or not) as `{{__dateline_partial "name" args}}`; `None` for
/// anything else, including `{{#> block}}` partials and `{{> (dynamic)}}` names.
fn partial_include(mustache: &str) -> Option<String> {
    let open_len = if mustache.starts_with("{{~") { 3 } else { 2 };
    let after_arrow = mustache[open_len..].strip_prefix('>')?.trim_start();
    let (name, rest) = match after_arrow.chars().next()? {
        q @ ('"' | '\'') => {
            let close = after_arrow[1..].find(q)?;
            (&after_arrow[1..=close], &after_arrow[close + 2..])
        }
        '(' | '@' | '[' => return None,
        _ => {
            let end = after_arrow
                .find(|c: char| c.is_whitespace() || c == '}' || c == '~')
                .unwrap_or(after_arrow.len());
            after_arrow.split_at(end)
        }
    };
    if name.is_empty() || name.contains('"') {
        return None;
    }
    Some(format!(
        "{}{} \"{name}\"{rest}",
        &mustache[..open_len],
        crate::helpers::partial::NAME
    ))
}

/// Every helper call in `source` (in Ghost's dialect) with its 1-based line: a mustache or a
/// subexpression whose first word is followed by arguments. A bare `{{name}}` is a value, and
/// a bare `{{#name}}` a block on one, so neither is counted.
pub(crate) fn helper_calls(source: &str) -> Vec<(String, usize)> {
    expressions(source)
        .into_iter()
        .flat_map(|(inner, line)| {
            let inner = inner.trim_start_matches(['#', '^']).trim_start();
            calls_in(inner).into_iter().map(move |name| (name, line))
        })
        .collect()
}

/// The partials `source` includes by name (`{{> post-card}}`, `{{> "icons/rss"}}`), with the
/// line of each. Partial blocks (`{{#> name}}fallback{{/name}}`) carry their own fallback and
/// computed names (`{{> (concat …)}}`) are only known when rendering, so neither is listed.
pub(crate) fn partial_includes(source: &str) -> Vec<(String, usize)> {
    expressions(source)
        .into_iter()
        .filter_map(|(inner, line)| {
            let rest = inner.strip_prefix('>')?.trim_start();
            let name = match rest.strip_prefix(['"', '\'']) {
                Some(quoted) => quoted.split(['"', '\'']).next()?,
                None => rest.split(|c: char| c.is_whitespace()).next()?,
            };
            let computed = name.is_empty() || name.starts_with(['(', '@']);
            (!computed).then(|| (name.to_owned(), line))
        })
        .collect()
}

/// Each `{{ … }}` expression of `source` (comments and raw blocks skipped): the text inside
/// its braces and `~`, and its line.
fn expressions(source: &str) -> Vec<(&str, usize)> {
    let mut found = Vec::new();
    let mut rest = source;
    let mut offset = 0;
    while let Some(open) = rest.find("{{") {
        let at = offset + open;
        let text = &source[at..];
        let end = if text.starts_with("{{{{") {
            raw_block(text).0
        } else if text[2..].trim_start_matches('~').starts_with('!') {
            comment(text).0
        } else {
            let end = mustache_end(text);
            let line = source[..at].matches('\n').count() + 1;
            let inner = text[..end]
                .trim_start_matches('{')
                .trim_end_matches('}')
                .trim_matches('~')
                .trim();
            found.push((inner, line));
            end
        };
        offset = at + end.max(2);
        rest = &source[offset..];
    }
    found
}

/// Helper names called in one expression's body (and its subexpressions).
fn calls_in(body: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut starts = vec![0];
    let bytes = body.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if *b == q => quote = None,
            Some(_) => {}
            None if *b == b'"' || *b == b'\'' => quote = Some(*b),
            None if *b == b'(' => starts.push(i + 1),
            None => {}
        }
    }
    for start in starts {
        let word_end = body[start..]
            .find(|c: char| c.is_whitespace() || c == ')')
            .map_or(body.len(), |e| start + e);
        let name = &body[start..word_end];
        let has_args = body[word_end..]
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| c != ')');
        let is_path = name.is_empty()
            || name.contains(['.', '/', '@', '[', '=', '>', '"', '\''])
            || name == "this"
            || name == "else";
        if has_args && !is_path {
            names.push(name.to_owned());
        }
    }
    names
}

/// Name of the engine's helper for `list.length`.
pub(crate) const LENGTH: &str = "__dateline_length";

/// `{{#match posts.length ">=" 4}}`: Handlebars.js reads `length` of an array, the crate
/// cannot, so a `….length` argument becomes `(__dateline_length …)`.
fn length_arguments(mustache: &str) -> String {
    if !mustache.contains(".length") {
        return mustache.to_owned();
    }
    let mut out = String::with_capacity(mustache.len() + 24);
    let mut quote: Option<char> = None;
    let mut token = String::new();
    let mut first = true;
    let flush = |token: &mut String, out: &mut String, first: &mut bool| {
        match token.strip_suffix(".length") {
            Some(path) if !*first && !path.is_empty() => {
                out.push_str(&format!("({LENGTH} {path})"));
            }
            _ => out.push_str(token),
        }
        if !token.is_empty() && !token.chars().all(|c| matches!(c, '{' | '#' | '~' | '^')) {
            *first = false;
        }
        token.clear();
    };
    for c in mustache.chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => {
                flush(&mut token, &mut out, &mut first);
                out.push(c);
                quote = Some(c);
            }
            None if c.is_whitespace() || matches!(c, '(' | ')' | '}' | '=') => {
                flush(&mut token, &mut out, &mut first);
                out.push(c);
            }
            None if c == '{'
                || (token.chars().all(|t| t == '{') && matches!(c, '#' | '~' | '^')) =>
            {
                token.push(c);
                flush(&mut token, &mut out, &mut first);
            }
            None => token.push(c),
        }
    }
    flush(&mut token, &mut out, &mut first);
    out
}

/// `{{^match a "b"}}` (an inverted block on a helper, which Handlebars.js runs and the crate
/// cannot parse) as `{{#match a "b"}}`; [`close_block`] then swaps the branches, so the body
/// renders when the helper's condition is false, as Handlebars.js does. Bare `{{^}}` and
/// `{{^value}}` are left alone.
fn inverse_helper_block(mustache: &str) -> Option<String> {
    let open_len = if mustache.starts_with("{{~") { 3 } else { 2 };
    let body = mustache[open_len..].strip_prefix('^')?;
    let name_end = body.find(char::is_whitespace).filter(|end| *end > 0)?;
    if body[name_end..].trim_start().starts_with(['}', '~']) {
        return None;
    }
    let close_len = if mustache.ends_with("~}}") { 3 } else { 2 };
    Some(format!(
        "{}#{}{}",
        &mustache[..open_len],
        &body[..body.len() - close_len],
        &mustache[mustache.len() - close_len..]
    ))
}

/// Whether the `@` at `at` begins a path (after whitespace, `{{`, `(`, `=`, `#`, `^`, `~`).
fn starts_token(bytes: &[u8], at: usize) -> bool {
    at == 0
        || matches!(
            bytes[at - 1],
            b' ' | b'\t' | b'\n' | b'\r' | b'{' | b'(' | b'=' | b'#' | b'^' | b'~' | b'&'
        )
}

fn is_identifier_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '$' | '-')
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn a_feature_image_caption_prints_unescaped_as_in_ghost() {
        assert_eq!(
            translate("<figcaption>{{feature_image_caption}}</figcaption>"),
            "<figcaption>{{{feature_image_caption}}}</figcaption>"
        );
        assert_eq!(
            translate("{{~ post.feature_image_caption ~}}"),
            "{{{~post.feature_image_caption~}}}"
        );
        // Already unescaped, in a condition, or another field: unchanged.
        for kept in [
            "{{{feature_image_caption}}}",
            "{{#if feature_image_caption}}x{{/if}}",
            "{{feature_image_alt}}",
            "{{concat feature_image_caption}}",
        ] {
            assert_eq!(translate(kept), kept);
        }
    }

    #[test]
    fn rewrites_global_data_everywhere_in_expressions() {
        assert_eq!(translate("{{@site.title}}"), "{{@root.$site.title}}");
        assert_eq!(
            translate(r#"{{#if @custom.show}}<a href="{{url}}">{{/if}}"#),
            r#"{{#if @root.$custom.show}}<a href="{{url}}">{{/if}}"#
        );
        assert_eq!(
            translate("{{#foreach @site.navigation limit=3}}"),
            "{{#foreach @root.$site.navigation limit=3}}"
        );
        assert_eq!(
            translate("{{img_url (concat @site.url '/a') size=@config.x}}"),
            "{{img_url (concat @root.$site.url '/a') size=@root.$config.x}}"
        );
        assert_eq!(
            translate("{{{@site.codeinjection}}}"),
            "{{{@root.$site.codeinjection}}}"
        );
        assert_eq!(translate("{{~@member~}}"), "{{~@root.$member~}}");
        assert_eq!(
            translate(r#"{{#> (concat "icons/" type)}}<b>{{name}}</b>{{~/undefined~}}"#),
            r#"{{#> (concat "icons/" type)}}<b>{{name}}</b>{{~/~}}"#
        );
        assert_eq!(
            translate("{{#if @blog.logo}}{{@blog.title}}{{/if}}"),
            "{{#if @root.$site.logo}}{{@root.$site.title}}{{/if}}"
        );
    }

    #[test]
    fn leaves_block_locals_text_strings_and_comments_alone() {
        for source in [
            "{{@index}} {{@first}} {{@key}} {{@root.x}}",
            "write to news@site.com",
            r#"{{t "Mail us at x@site.org"}}"#,
            "{{!-- {{@site.title}} --}}",
            "{{! @site }}",
            "{{!< default}}",
            "{{@sitemap}}",
            "{{{{raw}}}}{{@site.title}}{{{{/raw}}}}",
        ] {
            assert_eq!(translate(source), source, "{source}");
        }
    }

    #[test]
    fn partial_includes_call_the_partial_helper() {
        assert_eq!(
            translate(r#"{{> "post-card"}}"#),
            r#"{{__dateline_partial "post-card"}}"#
        );
        assert_eq!(
            translate("{{> 'icons/rss' x=1}}"),
            r#"{{__dateline_partial "icons/rss" x=1}}"#
        );
        assert_eq!(
            translate(r#"{{~> card post title=@site.title~}}"#),
            r#"{{~__dateline_partial "card" post title=@root.$site.title~}}"#
        );
        assert_eq!(
            translate("{{>post-card}}"),
            r#"{{__dateline_partial "post-card"}}"#
        );
        for untouched in [
            "{{#> layout}}x{{/layout}}",
            "{{> (lookup . 'name')}}",
            "{{> @partial-block}}",
        ] {
            assert_eq!(translate(untouched), untouched);
        }
    }

    #[test]
    fn inverted_helper_blocks_become_else_branches() {
        assert_eq!(
            translate(r#"{{^match @custom.x "A"}}B{{/match}}"#),
            r#"{{#match @root.$custom.x "A"}}{{else}}B{{/match}}"#
        );
        assert_eq!(
            translate(r#"{{^if @member}}A{{else}}B{{/if}}"#),
            r#"{{#if @root.$member}}B{{else}}A{{/if}}"#
        );
        assert_eq!(
            translate(r#"{{^if @member.paid}}<p>{{^if @member}}A{{else}}B{{/if}}</p>{{/if}}"#),
            r#"{{#if @root.$member.paid}}{{else}}<p>{{#if @root.$member}}B{{else}}A{{/if}}</p>{{/if}}"#
        );
        assert_eq!(
            translate(r#"{{^is "paged"}}{{#if x}}1{{else}}2{{/if}}{{~else~}}3{{/is}}"#),
            r#"{{#is "paged"}}3{{~else~}}{{#if x}}1{{else}}2{{/if}}{{/is}}"#
        );
        for untouched in ["{{^}}", "{{^posts}}none{{/posts}}", "{{^ posts }}"] {
            assert_eq!(translate(untouched), untouched);
        }
    }

    #[test]
    fn length_arguments_call_the_length_helper() {
        assert_eq!(
            translate(r#"{{#match posts.length ">=" 4}}"#),
            r#"{{#match (__dateline_length posts) ">=" 4}}"#
        );
        for untouched in ["{{posts.length}}", r#"{{t "a.length b"}}"#] {
            assert_eq!(translate(untouched), untouched);
        }
    }

    #[test]
    fn finds_partials_included_by_name() {
        let source = "{{> post-card}}\n{{> \"icons/rss\" x=1}}\n{{#> box}}f{{/box}}{{> (concat 'a' b)}}{{!-- {{> no}} --}}";
        assert_eq!(
            super::partial_includes(source),
            [("post-card".to_owned(), 1), ("icons/rss".to_owned(), 2)]
        );
    }

    #[test]
    fn finds_helper_calls_with_their_lines() {
        let source = "{{title}}\n{{#get \"posts\" limit=3}}{{/get}}\n{{url (foo bar)}} {{> card x=1}}\n{{#post}}{{!-- {{bad x}} --}}{{/post}}";
        assert_eq!(
            super::helper_calls(source),
            [
                ("get".to_owned(), 2),
                ("url".to_owned(), 3),
                ("foo".to_owned(), 3)
            ]
        );
    }

    #[test]
    fn a_closing_brace_inside_a_string_does_not_end_the_expression() {
        assert_eq!(
            translate(r#"{{t "}}" x=@site.url}}"#),
            r#"{{t "}}" x=@root.$site.url}}"#
        );
    }
}
