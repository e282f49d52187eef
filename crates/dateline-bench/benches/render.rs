//! What a page-cache miss costs, in layers: `cargo bench -p dateline-bench --bench render`.
//! `scripts/bench` runs this and quotes `article_render` as "uncached article render" (the
//! target is 200 µs of CPU). After divan's table it prints the CPU time per article render,
//! measured from the thread's own CPU clock, which other processes on the machine do not
//! inflate the way they inflate wall-clock samples.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::LazyLock;

use dateline_bench::{ArticleData, SEED, Site, thread_cpu_ns};
use divan::Bencher;

static SITE: LazyLock<Site> = LazyLock::new(|| Site::load().expect("the fixture site loads"));
static ARTICLE: LazyLock<ArticleData> =
    LazyLock::new(|| SITE.runtime.block_on(SITE.article_data(SEED)).unwrap());

fn main() {
    divan::main();
    // `cargo bench` passes --bench; `cargo test --benches` runs each bench once and stops there.
    if std::env::args().any(|a| a == "--bench") {
        cpu_per_render();
    }
}

/// The theme alone: view models built, template rendered to a string.
#[divan::bench]
fn article_render(bencher: Bencher) {
    let page = ARTICLE.page();
    bencher.bench_local(|| SITE.theme.render(black_box(&page)).unwrap());
}

/// View models from core types, then the render: everything after the database.
#[divan::bench]
fn article_views_and_render() {
    SITE.theme.render(&black_box(&*ARTICLE).page()).unwrap();
}

/// The whole miss without HTTP: database reads (SQLite), view models, render.
#[divan::bench(sample_count = 200)]
fn article_from_database() {
    SITE.runtime
        .block_on(SITE.article_html(black_box(SEED)))
        .unwrap();
}

/// The front page: fifteen story cards and a section block.
#[divan::bench]
fn home_render(bencher: Bencher) {
    let data = SITE.runtime.block_on(SITE.home_data()).unwrap();
    let page = data.page(SITE.theme.posts_per_page());
    bencher.bench_local(|| SITE.theme.render(black_box(&page)).unwrap());
}

fn cpu_per_render() {
    const RENDERS: u64 = 2_000;
    let page = ARTICLE.page();
    for _ in 0..100 {
        black_box(SITE.theme.render(&page).unwrap());
    }
    let (Some(before), wall) = (thread_cpu_ns(), std::time::Instant::now()) else {
        return;
    };
    for _ in 0..RENDERS {
        black_box(SITE.theme.render(black_box(&page)).unwrap());
    }
    let wall = wall.elapsed().as_nanos() as f64 / RENDERS as f64 / 1000.0;
    if let Some(after) = thread_cpu_ns() {
        let cpu = (after - before) as f64 / RENDERS as f64 / 1000.0;
        println!(
            "article_render cpu: {cpu:.1} µs per render ({wall:.1} µs wall, {RENDERS} renders)"
        );
    }
}
