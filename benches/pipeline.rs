//! Criterion benchmarks of the build's hot steps, so regressions show:
//! front-matter parsing and validation, Markdown rendering, and rendering
//! one event page and the timeline page, and bodies of hostile shapes.
//! Run with `cargo bench --bench pipeline`.

#[path = "support/corpus.rs"]
mod corpus;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn site(events: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    corpus::generate(dir.path(), events, 3).expect("corpus");
    dir
}

fn front_matter(c: &mut Criterion) {
    let dir = site(20);
    let rel = std::path::Path::new("content/events/5/e5.md");
    let file = annals::stages::read(dir.path(), rel).expect("read");
    let config = annals::Config::default();
    c.bench_function("parse front matter + body split", |b| {
        b.iter(|| annals::stages::parse(black_box(&file)).expect("parses"))
    });
    let doc = annals::stages::parse(&file).expect("parses");
    let mut config_with_tracks = config.clone();
    for t in corpus::TRACKS {
        config_with_tracks.tracks.push(annals::TermDef {
            key: (*t).into(),
            label: (*t).into(),
            description: None,
        });
    }
    c.bench_function("validate one event (incl. Markdown)", |b| {
        b.iter(|| {
            annals::stages::validate_event(black_box(&doc), &file.shown, &config_with_tracks)
                .expect("valid")
        })
    });
    let body = doc.body().to_string();
    c.bench_function("render Markdown body (~250 words)", |b| {
        b.iter(|| annals::stages::render_markdown(black_box(&body), false).ok())
    });
}

fn pages(c: &mut Criterion) {
    let dir = site(1000);
    let site = annals::load_site(&annals::BuildOptions::new(dir.path())).expect("site loads");
    let templates = annals::stages::Templates::load(dir.path(), &site.config).expect("templates");
    let prepared = annals::stages::Prepared::new(&site, templates.locale().clone());
    c.bench_function("render one event page (1,000-event site)", |b| {
        b.iter(|| {
            annals::stages::render_page(
                &site,
                &prepared,
                &templates,
                annals::stages::Job::Event(black_box(500)),
            )
            .expect("renders")
        })
    });
    c.bench_function("render the timeline page (1,000-event site)", |b| {
        b.iter(|| {
            annals::stages::render_page(&site, &prepared, &templates, annals::stages::Job::Index(1))
                .expect("renders")
        })
    });
    c.bench_function("prepare shared views (1,000 events)", |b| {
        b.iter(|| annals::stages::Prepared::new(black_box(&site), templates.locale().clone()))
    });
}

/// Bodies shaped to make sanitising costly: 1 MiB nested just under the
/// limit, again and again, and one nested far past it (refused early).
fn hostile_bodies(c: &mut Criterion) {
    let limit = annals::stages::MAX_NESTING - 6;
    let block = format!("{}x{}", "<div>".repeat(limit), "</div>".repeat(limit));
    let under = block.repeat((1 << 20) / block.len());
    c.bench_function("render 1 MiB body nested just under the limit", |b| {
        b.iter(|| annals::stages::render_markdown(black_box(&under), false).ok())
    });
    let past = "<div>".repeat((1 << 20) / 5);
    c.bench_function("refuse 1 MiB body nested past the limit", |b| {
        b.iter(|| annals::stages::render_markdown(black_box(&past), false).err())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = front_matter, pages, hostile_bodies
}
criterion_main!(benches);
