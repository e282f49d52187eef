//! The helpers Ghost 6 and the TryGhost/Themes collection added, through a small theme folder
//! that calls each as those themes do: colours derived from a `@custom` colour setting,
//! `{{content_api_key}}` and `{{content_api_url}}` for the theme's own scripts, a
//! `{{{{raw}}}}` client-side template and a `{{#collection}}` block.

use std::fs;

use dateline_theme::{
    DataResults, PageView, PaginationView, PostView, Rendered, SiteView, Theme, check_dir,
};
use serde_json::json;

use crate::fixture::{SEED, fixture};

const KEY: &str = "22444f78447824223cefc48062";

const THEME: &[(&str, &str)] = &[
    (
        "package.json",
        r##"{"name": "newer", "version": "1.0.0", "config": {"posts_per_page": 5, "custom": {
            "brand_color": {"type": "color", "default": "#FF1A75"},
            "panel_color": {"type": "color", "default": "#F4F1EA"}}}}"##,
    ),
    (
        "default.hbs",
        r#"<!DOCTYPE html>
<html>
<head>
<style>:root { --brand: {{@custom.brand_color}}; --brand-soft: {{color_to_rgba @custom.brand_color 0.1}}; --on-brand: {{contrast_text_color @custom.brand_color}}; --panel-shadow: {{color_to_rgba @custom.panel_color}}; --on-panel: {{contrast_text_color @custom.panel_color}}; }</style>
<script src="/assets/search.js" data-key="{{content_api_key}}" data-api="{{content_api_url}}" data-path="{{content_api_url absolute="false"}}"></script>
</head>
<body>
{{{body}}}
{{{{raw}}}}<template id="result">{{#each posts}}<a href="{{url}}">{{{title}}}</a>{{/each}}</template>{{{{/raw}}}}
</body>
</html>
"#,
    ),
    (
        "index.hbs",
        r#"{{!< default}}<ol class="latest">{{#collection "latest" limit="2" as |latest|}}{{#foreach latest}}<li>{{title}}</li>{{/foreach}}{{else}}<li>none</li>{{/collection}}</ol>"#,
    ),
    (
        "post.hbs",
        "{{!< default}}{{#post}}<h1>{{title}}</h1>{{/post}}",
    ),
];

fn theme() -> Theme {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in THEME {
        fs::write(dir.path().join(path), content).unwrap();
    }
    let report = check_dir(dir.path()).unwrap();
    assert!(!report.has_errors(), "{report}");
    let theme = Theme::from_dir(dir.path()).unwrap();
    assert_eq!(theme.unsupported_helpers(), &[] as &[(String, String)]);
    theme
}

/// The front page with the site's frontend key, rendered as the site does: once to learn what
/// the blocks ask for, again with the answers.
fn home(theme: &Theme) -> String {
    let f = fixture();
    let site = f.site.clone().with_content_api_key(KEY);
    let posts: Vec<PostView> = f.published().into_iter().map(|p| f.view(p)).collect();
    let page = PageView::Home {
        site: SiteView::new(&site),
        pagination: PaginationView::new(1, theme.posts_per_page(), posts.len() as u64),
        posts: posts.clone(),
        sections: Vec::new(),
    };
    let queries = match theme.render_with(&page, &DataResults::default()).unwrap() {
        Rendered::NeedsData(queries) => queries,
        Rendered::Page(html) => panic!("the collection asked for nothing: {html}"),
    };
    assert_eq!(queries.len(), 1);
    assert_eq!(
        (queries[0].resource.as_str(), queries[0].limit.as_deref()),
        ("posts", Some("2"))
    );
    let mut results = DataResults::default();
    let latest: Vec<_> = posts.iter().take(2).collect();
    results.insert(
        &queries[0],
        json!({"posts": latest, "meta": {"pagination": {"page": 1, "limit": 2, "pages": 4, "total": 8}}}),
    );
    match theme.render_with(&page, &results).unwrap() {
        Rendered::Page(html) => html,
        Rendered::NeedsData(more) => panic!("still asking for {more:?}"),
    }
}

#[test]
fn newer_ghost_helpers_render_as_in_ghost() {
    let html = home(&theme());
    insta::assert_snapshot!(html);
}

#[test]
fn without_a_frontend_key_the_key_prints_nothing() {
    let f = fixture();
    let html = theme().render(&f.article_page(f.post(SEED))).unwrap();
    assert!(
        html.contains(r#"data-key="" data-api="http://localhost:2368/ghost/api/content/""#),
        "{html}"
    );
}
