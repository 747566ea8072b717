//! Times the EPUB writer, cold and warm (through one [`Memo`], started and ended
//! around each export as a build does).
//!
//! Usage: `cargo run --release --example epub_timing -- DIR [RUNS]`, e.g. after
//! `scripts/bench 200` with `DIR = target/bench-briefing`. Prints the fastest and the
//! median of RUNS (default 9) exports for: a cold export (empty memo), a warm export of the same
//! document, a warm export after one table cell of the middle chapter changed, and one
//! after the first cell of every table captioned "Series" changed (in the benchmark,
//! the CSV table that every fifth chapter shows: a one-cell data edit).
//! Every warm result is checked byte for byte against a cold export of the same
//! document. Figures go into `docs/performance.md` by hand; tests never time anything.

use std::path::Path;
use std::time::Instant;

use briefbook::compile::compile;
use briefbook::diag::SourceMap;
use briefbook::export::epub::{export_epub, export_epub_paged};
use briefbook::memo::Memo;
use briefbook::model::{Block, BlockKind, Document, InlineKind, PageMap, Section};
use briefbook::source::LoadOptions;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "target/bench-briefing".to_string());
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(9);
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let compiled = compile(
        &briefbook::world::World::new(Path::new(&dir)).unwrap(),
        &mut sources,
        &LoadOptions::default(),
        &mut warnings,
    )
    .unwrap_or_else(|e| panic!("failed to compile {dir}: {e:?}"));
    let doc = compiled.document;
    let export = |d: &Document, memo: &mut Memo| {
        memo.start();
        let bytes = export_epub_paged(d, &PageMap::default(), memo)
            .unwrap_or_else(|e| panic!("export failed: {e:?}"))
            .0;
        memo.end();
        bytes
    };

    let cold_bytes = export_epub(&doc).expect("export").0;
    let cold = median(runs, || {
        let t = Instant::now();
        let bytes = export(&doc, &mut Memo::new());
        (t.elapsed().as_secs_f64(), bytes == cold_bytes)
    });

    let mut memo = Memo::new();
    export(&doc, &mut memo);
    let warm = median(runs, || {
        let t = Instant::now();
        let bytes = export(&doc, &mut memo);
        (t.elapsed().as_secs_f64(), bytes == cold_bytes)
    });

    // One cell edit, alternating between two values so every run sees a change.
    let mut edited = [doc.clone(), doc.clone()];
    for (i, d) in edited.iter_mut().enumerate() {
        let middle = d.sections.len() / 2;
        if !edit_first_cell(&mut d.sections[middle], &format!("edited {i}")) {
            panic!("the middle chapter has no table cell to edit");
        }
    }
    let expected: Vec<Vec<u8>> =
        edited.iter().map(|d| export_epub(d).unwrap().0).collect();
    let mut turn = 0;
    let changed = median(runs, || {
        turn = 1 - turn;
        let t = Instant::now();
        let bytes = export(&edited[turn], &mut memo);
        (t.elapsed().as_secs_f64(), bytes == expected[turn])
    });

    // A data edit: the first cell of every table captioned "Series" (the benchmark's
    // CSV table, shown in every fifth chapter), if there are any.
    let mut data_edited = [doc.clone(), doc.clone()];
    let mut tables = 0;
    for (i, d) in data_edited.iter_mut().enumerate() {
        tables = d
            .sections
            .iter_mut()
            .map(|s| edit_series_cells(s, &format!("data {i}")))
            .sum();
    }
    let data_expected: Vec<Vec<u8>> =
        data_edited.iter().map(|d| export_epub(d).unwrap().0).collect();
    let data_changed = median(runs, || {
        turn = 1 - turn;
        let t = Instant::now();
        let bytes = export(&data_edited[turn], &mut memo);
        (t.elapsed().as_secs_f64(), bytes == data_expected[turn])
    });

    println!(
        "{dir}: {} chapters, EPUB {} KB; fastest and median of {runs} runs",
        doc.sections.len(),
        cold_bytes.len() / 1024
    );
    println!(
        "  cold export (empty memo):       {:7.1} ms {:7.1} ms",
        cold.0 * 1000.0,
        cold.1 * 1000.0
    );
    println!(
        "  warm export, same document:      {:7.1} ms {:7.1} ms",
        warm.0 * 1000.0,
        warm.1 * 1000.0
    );
    println!(
        "  warm export, one cell changed:   {:7.1} ms {:7.1} ms",
        changed.0 * 1000.0,
        changed.1 * 1000.0
    );
    println!(
        "  warm export, {tables} `Series` cells changed: {:7.1} ms {:7.1} ms",
        data_changed.0 * 1000.0,
        data_changed.1 * 1000.0
    );
}

/// The fastest and the median time of `runs` calls (the machine may be busy, so the
/// fastest is the better estimate); panics if a call's output differs from cold.
fn median(runs: usize, mut f: impl FnMut() -> (f64, bool)) -> (f64, f64) {
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let (t, same) = f();
            assert!(same, "warm output differs from a cold export");
            t
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}

/// Replaces the first cell of each table captioned "Series" in `section` and its
/// subsections; returns how many there were.
fn edit_series_cells(section: &mut Section, text: &str) -> usize {
    let mut n: usize =
        section.children.iter_mut().map(|c| edit_series_cells(c, text)).sum();
    for b in &mut section.blocks {
        let BlockKind::Table(t) = &mut b.kind else { continue };
        let series = t.caption.as_ref().is_some_and(|c| {
            c.iter().any(|i| matches!(&i.kind, InlineKind::Text(s) if s == "Series"))
        });
        let cell = t.rows.first_mut().and_then(|r| r.cells.first_mut());
        if let (true, Some(cell)) = (series, cell) {
            cell.content = vec![briefbook::model::Inline::text(text, cell.span.clone())];
            n += 1;
        }
    }
    n
}

/// Replaces the text of the first table cell in `section` (depth first).
fn edit_first_cell(section: &mut Section, text: &str) -> bool {
    fn in_blocks(blocks: &mut [Block], text: &str) -> bool {
        for b in blocks {
            if let BlockKind::Table(t) = &mut b.kind {
                for row in &mut t.rows {
                    for cell in &mut row.cells {
                        for inline in &mut cell.content {
                            if let InlineKind::Text(s) = &mut inline.kind {
                                *s = text.to_string();
                                return true;
                            }
                        }
                    }
                }
            }
        }
        false
    }
    in_blocks(&mut section.blocks, text)
        || section.children.iter_mut().any(|c| edit_first_cell(c, text))
}
