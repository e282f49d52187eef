//! How long an uncached article render takes. Ignored by default; measure in release:
//! `cargo test -p dateline-theme --release --test site -- --ignored --nocapture render_time`.

use std::time::Instant;

use crate::fixture::{SEED, fixture, theme};

#[test]
#[ignore = "a measurement, run in release"]
fn render_time_of_the_seed_article() {
    let f = fixture();
    let theme = theme();
    const RUNS: u32 = 5_000;
    for _ in 0..200 {
        theme.render(&f.article_page(f.post(SEED))).unwrap();
    }
    // View models are built per request too, so they are part of the measured work.
    let start = Instant::now();
    for _ in 0..RUNS {
        std::hint::black_box(theme.render(&f.article_page(f.post(SEED))).unwrap());
    }
    let with_views = start.elapsed() / RUNS;
    let page = f.article_page(f.post(SEED));
    let start = Instant::now();
    for _ in 0..RUNS {
        std::hint::black_box(theme.render(&page).unwrap());
    }
    let render_only = start.elapsed() / RUNS;
    println!("article render: {render_only:?} (with view models: {with_views:?})");
}
