//! Times the PDF writer cold and warm (watch mode): a fresh export, the same document
//! again with the same memo, then with one and with three pages changed.
//! Checks that every warm export gives the bytes of a fresh one.
//!
//! Usage: `scripts/bench 200` (writes target/bench-briefing), then
//! `cargo run --release --example pdf_incremental -- target/bench-briefing`

use std::sync::Arc;
use std::time::Instant;

use briefbook::compile::compile;
use briefbook::diag::SourceMap;
use briefbook::export::pdf::{export_pdf, export_pdf_in};
use briefbook::layout::{layout_document, FrameItem, PagedDocument};
use briefbook::memo::Memo;
use briefbook::source::LoadOptions;

/// Reverses the glyphs of the first word on page `index` (a text change that needs no
/// new glyph).
fn edit(paged: &mut PagedDocument, index: usize) {
    // A changed page has a new key (as layout gives it).
    paged.pages[index].key = paged.pages[index].key.wrapping_add(1);
    paged.pages[index].body_key = paged.pages[index].body_key.wrapping_add(1);
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

    let mut memo = Memo::new();
    let mut export = |paged: &PagedDocument| {
        memo.start();
        let bytes = export_pdf_in(paged, meta, &memo).expect("export");
        let written = memo.end().get("pdf page stream").copied().unwrap_or(0);
        (bytes, written)
    };
    let ((cold, _), time) = timed(|| export(&paged));
    println!("cold export:                 {time} ({} bytes)", cold.len());
    let ((warm, _), time) = timed(|| export(&paged));
    println!("warm, nothing changed:       {time}");
    assert!(warm == cold);

    for pages in [vec![n / 2], vec![n / 3, n / 2, 2 * n / 3]] {
        for &p in &pages {
            edit(&mut paged, p);
        }
        let ((warm, written), time) = timed(|| export(&paged));
        let changed: Vec<usize> = pages.iter().map(|i| i + 1).collect();
        println!("warm, pages {changed:?} changed ({written} written): {time}");
        let (fresh, time) = timed(|| export_pdf(&paged, meta).expect("export"));
        println!("  fresh export of the same:  {time}");
        assert!(warm == fresh, "warm and fresh exports differ");
    }
    println!("warm exports are byte-identical to fresh ones");
}
