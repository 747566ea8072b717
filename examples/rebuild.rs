//! Times cold and incremental builds in one process, stage by stage, for profiling
//! (`perf record`) the work watch mode does after an edit.
//!
//! Usage: cargo run --release --example rebuild -- DIR FILE [ROUNDS]
//!
//! Builds DIR once, then ROUNDS times (default 5) replaces the first number in line 4
//! of FILE (relative to DIR) with a new value and builds again with the kept caches.
//! Nothing is written; the PDF and EPUB are made in memory.

use std::path::Path;
use std::time::Instant;

use briefbook::compile::{compile_with, Caches};
use briefbook::diag::SourceMap;
use briefbook::export::{epub, pdf};
use briefbook::layout::layout_document_with;
use briefbook::source::LoadOptions;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(file)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: rebuild DIR FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5);
    let dir = Path::new(dir);
    let mut caches = Caches::default();
    println!(
        "{:<6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}",
        "build", "load+", "expand", "model", "layout", "pdf", "epub", "total"
    );
    build(dir, &mut caches, "cold");
    for round in 0..rounds {
        edit(&dir.join(file), round);
        if let Some(ms) =
            std::env::var("REBUILD_PAUSE_MS").ok().and_then(|v| v.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        build(dir, &mut caches, "warm");
    }
}

fn edit(path: &Path, round: usize) {
    let text = std::fs::read_to_string(path).expect("the file to edit");
    let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
    let line = &mut lines[3];
    let cells: Vec<&str> = line.split(',').collect();
    let mut cells: Vec<String> = cells.into_iter().map(String::from).collect();
    if let Some(cell) =
        cells.iter_mut().find(|c| c.parse::<f64>().is_ok() && c.contains('.'))
    {
        *cell = format!("{}.{}", 1000 + round, 25 + round);
    }
    *line = cells.join(",");
    std::fs::write(path, lines.join("\n")).expect("write the file");
}

fn build(dir: &Path, caches: &mut Caches, label: &str) {
    let start = Instant::now();
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let compiled = compile_with(
        &briefbook::world::World::new(dir).unwrap(),
        &mut sources,
        &options,
        &mut warnings,
        &mut caches.front,
        &mut |_| {},
    )
    .expect("the briefing compiles");
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let (paged, _) = layout_document_with(
        &compiled.document,
        &compiled.project.layout,
        &mut caches.layout,
    )
    .expect("layout");
    let layout = ms(t);
    let t = Instant::now();
    let bytes = pdf::export_pdf_with(&paged, &compiled.document.meta, &mut caches.pdf)
        .expect("pdf");
    let pdf_ms = ms(t);
    let t = Instant::now();
    let (book, _) =
        epub::export_epub_with(&compiled.document, &mut caches.epub).expect("epub");
    let epub_ms = ms(t);
    let pages = paged.pages.len();
    caches.layout.recycle(paged);
    let stage = |name: &str| {
        compiled.timings.iter().find(|(n, _)| *n == name).map_or(0.0, |(_, v)| *v)
    };
    println!(
        "{label:<6} {:>7.1} {:>7.1} {:>7.1} {:>7.1} {:>7.1} {:>7.1} {:>8.1}   ({} pages, {} + {} bytes)",
        stage("load"),
        stage("expand"),
        stage("model"),
        layout,
        pdf_ms,
        epub_ms,
        ms(start),
        pages,
        bytes.len(),
        book.len()
    );
}
