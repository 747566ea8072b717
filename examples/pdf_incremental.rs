//! Times the PDF writer cold and warm (watch mode): a fresh export, the same document
//! again through the same `PdfCache`, then with one and with three pages changed.
//! Checks that every warm export gives the bytes of a fresh one.
//!
//! Usage: `scripts/bench 200` (writes target/bench-briefing), then
//! `cargo run --release --example pdf_incremental -- target/bench-briefing`

use std::sync::Arc;
use std::time::Instant;

use briefbook::compile::compile;
use briefbook::diag::SourceMap;
use briefbook::export::pdf::{export_pdf, export_pdf_with, PdfCache};
use briefbook::layout::{layout_document, FrameItem, PagedDocument};
use briefbook::source::LoadOptions;

/// Reverses the glyphs of the first word on page `index` (a text change that needs no
/// new glyph).
fn edit(paged: &mut PagedDocument, index: usize) {
    for (_, item) in &mut std::sync::Arc::make_mut(&mut paged.pages[index].body).items {
        if let FrameItem::Text(run) = item {
            if run.glyphs.len() >= 3 {
                let mut glyphs = run.glyphs.to_vec();
                glyphs.reverse();
                run.glyphs = Arc::from(glyphs);
                return;
            }
        }
    }
}

/// CPU time of this thread in ns (Linux; the machine may be shared, so wall time alone
/// says little). 0 elsewhere.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Runs `f`, returning its result and "wall ms (cpu ms)".
fn timed<T>(f: impl FnOnce() -> T) -> (T, String) {
    let (t, c) = (Instant::now(), cpu_ns());
    let out = f();
    let wall = t.elapsed().as_secs_f64() * 1000.0;
    let cpu = (cpu_ns() - c) as f64 / 1e6;
    (out, format!("{wall:6.1} ms wall ({cpu:6.1} ms CPU)"))
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/bench-briefing".into());
    let mut sources = SourceMap::default();
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let compiled = compile(
        &briefbook::world::World::new(dir.as_ref()).unwrap(),
        &mut sources,
        &options,
        &mut Vec::new(),
    )
    .unwrap_or_else(|_| panic!("{dir} does not compile"));
    let (mut paged, _) =
        layout_document(&compiled.document, &compiled.project.layout).expect("layout");
    let meta = &compiled.document.meta;
    let n = paged.pages.len();
    println!("{n} pages");
    let (mut runs, mut glyphs, mut unique) = (0, 0, std::collections::HashSet::new());
    for page in &paged.pages {
        for (_, item) in page.items() {
            if let FrameItem::Text(run) = item {
                runs += 1;
                glyphs += run.glyphs.len();
                unique.insert(run.glyphs.as_ptr() as usize);
            }
        }
    }
    println!("{runs} glyph runs, {glyphs} glyphs, {} distinct shaped runs", unique.len());

    let mut cache = PdfCache::default();
    let (cold, time) =
        timed(|| export_pdf_with(&paged, meta, &mut cache).expect("export"));
    println!("cold export:                 {time} ({} bytes)", cold.len());
    let (warm, time) =
        timed(|| export_pdf_with(&paged, meta, &mut cache).expect("export"));
    println!("warm, nothing changed:       {time}");
    assert!(warm == cold);

    for pages in [vec![n / 2], vec![n / 3, n / 2, 2 * n / 3]] {
        for &p in &pages {
            edit(&mut paged, p);
        }
        let before = cache.page_hashes().to_vec();
        let (warm, time) =
            timed(|| export_pdf_with(&paged, meta, &mut cache).expect("export"));
        let changed: Vec<usize> = (0..n)
            .filter(|&i| before[i] != cache.page_hashes()[i])
            .map(|i| i + 1)
            .collect();
        println!("warm, pages {changed:?} changed: {time}");
        let (fresh, time) = timed(|| export_pdf(&paged, meta).expect("export"));
        println!("  fresh export of the same:  {time}");
        assert!(warm == fresh, "warm and fresh exports differ");
    }
    println!("warm exports are byte-identical to fresh ones");
}
