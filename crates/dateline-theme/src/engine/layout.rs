//! Ghost's layouts: a template whose source contains `{{!< default}}` is rendered first, then
//! `default.hbs` is rendered with that output as `{{{body}}}`. The line is a Handlebars comment,
//! so the template itself ignores it; the engine reads it here.

/// The layout a template names, as a template name (`default`), if it names one.
pub(crate) fn layout_of(source: &str) -> Option<String> {
    let start = source.find("{{!<")? + 4;
    let end = start + source[start..].find("}}")?;
    let name = source[start..end].trim();
    let name = name.strip_prefix("./").unwrap_or(name);
    let name = name.strip_suffix(".hbs").unwrap_or(name);
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'));
    valid.then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::layout_of;

    #[test]
    fn reads_ghost_layout_comments() {
        assert_eq!(
            layout_of("{{!< default}}\n<main>").as_deref(),
            Some("default")
        );
        assert_eq!(layout_of("\n{{!<  ./base.hbs }}").as_deref(), Some("base"));
        assert_eq!(layout_of("{{!-- no layout --}}"), None);
        assert_eq!(layout_of("{{!< }}"), None);
        assert_eq!(layout_of("{{!< a b}}"), None);
    }
}
