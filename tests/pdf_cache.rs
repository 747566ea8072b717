//! Incremental PDF export: a memo holding an earlier export's pages must give exactly
//! the bytes an empty one gives, and only pages with a new key are written again.

mod harness;

use std::sync::Arc;

use briefbook::compile::compile;
use briefbook::diag::SourceMap;
use briefbook::export::pdf::{export_pdf, export_pdf_in};
use briefbook::layout::{layout_document, FrameItem, Glyph, PagedDocument, Pt};
use briefbook::memo::Memo;
use briefbook::model::Meta;
use briefbook::source::LoadOptions;
use harness::{root, tool};

/// The sample briefing, laid out.
fn sample() -> (PagedDocument, Meta) {
    let mut sources = SourceMap::default();
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let compiled = compile(
        &briefbook::world::World::new(&root().join("briefing")).unwrap(),
        &mut sources,
        &options,
        &mut Vec::new(),
    )
    .unwrap();
    let (paged, _) =
        layout_document(&compiled.document, &compiled.project.layout).unwrap();
    (paged, compiled.document.meta)
}

/// Edits the glyphs of the first text run on page `index` with at least two glyphs, and
/// gives the page a new key (as layout does when a page changes).
fn edit_run(paged: &mut PagedDocument, index: usize, edit: impl Fn(&mut Vec<Glyph>)) {
    paged.pages[index].key = paged.pages[index].key.wrapping_add(1);
    paged.pages[index].body_key = paged.pages[index].body_key.wrapping_add(1);
    for (_, item) in &mut std::sync::Arc::make_mut(&mut paged.pages[index].body).items {
        if let FrameItem::Text(run) = item {
            if run.glyphs.len() >= 2 {
                let mut glyphs = run.glyphs.to_vec();
                edit(&mut glyphs);
                run.glyphs = Arc::from(glyphs);
                return;
            }
        }
    }
    panic!("no text run on page {index}");
}

/// Exports with `memo` as one build; returns the bytes and how many page streams were
/// written (rather than reused).
fn export(paged: &PagedDocument, meta: &Meta, memo: &mut Memo) -> (Vec<u8>, usize) {
    memo.start();
    let bytes = export_pdf_in(paged, meta, memo).unwrap();
    let redone = memo.end();
    (bytes, redone.get("pdf page stream").copied().unwrap_or(0))
}

fn text(pdf: &[u8], page: usize) -> String {
    let dir = harness::temp_dir();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, pdf).unwrap();
    let n = (page + 1).to_string();
    let out = tool("pdftotext", &["-f", &n, "-l", &n, path.to_str().unwrap(), "-"]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn warm_cache_gives_the_bytes_of_a_fresh_one() {
    let (mut paged, meta) = sample();
    assert!(paged.pages.len() > 5);
    let fresh = export_pdf(&paged, &meta).unwrap();
    let mut memo = Memo::new();
    assert!(export(&paged, &meta, &mut memo) == (fresh.clone(), paged.pages.len()));
    // Pages differ (every page has its own running foot), so their keys do.
    assert!(paged.pages.windows(2).all(|w| w[0].key != w[1].key));

    // The same document again: nothing is written again.
    assert!(export(&paged, &meta, &mut memo) == (fresh.clone(), 0));

    // Reorder the glyphs of one word on page 3: same glyph set, new text.
    let before = text(&fresh, 2);
    edit_run(&mut paged, 2, |g| g.reverse());
    let (warm, written) = export(&paged, &meta, &mut memo);
    let fresh = export_pdf(&paged, &meta).unwrap();
    assert!(warm == fresh, "warm export differs from a fresh one after a text change");
    assert!(fresh != export_pdf(&sample().0, &meta).unwrap());
    assert_eq!(written, 1);
    assert_ne!(text(&fresh, 2), before);
    assert_eq!(text(&fresh, 3), text(&export_pdf(&sample().0, &meta).unwrap(), 3));
}

#[test]
fn a_new_glyph_or_a_removed_page_still_gives_fresh_bytes() {
    let (mut paged, meta) = sample();
    let mut memo = Memo::new();
    export(&paged, &meta, &mut memo);

    // A glyph the document has not used yet: the font must be subset again.
    let mut run_font = None;
    for (_, item) in paged.pages[4].items() {
        if let FrameItem::Text(run) = item {
            if run.glyphs.len() >= 2 {
                run_font = Some(run.font);
                break;
            }
        }
    }
    let font = run_font.expect("a text run on page 5");
    let mut used = std::collections::BTreeSet::new();
    for page in &paged.pages {
        for (_, item) in page.items() {
            if let FrameItem::Text(run) = item {
                if run.font == font {
                    used.extend(run.glyphs.iter().map(|g| g.gid));
                }
            }
        }
    }
    let advances = paged.fonts[font.index()].advances.clone();
    let unused = (1..advances.len() as u16)
        .find(|g| !used.contains(g) && advances[usize::from(*g)] > 0)
        .expect("an unused glyph");
    edit_run(&mut paged, 4, |g| {
        g[0] = Glyph {
            gid: unused,
            advance: g[0].advance,
            text: "Ж".into(),
            offset: Pt::ZERO,
        };
    });
    let (warm, written) = export(&paged, &meta, &mut memo);
    assert!(warm == export_pdf(&paged, &meta).unwrap());
    assert_eq!(written, 1);
    assert!(text(&warm, 4).contains('Ж'));
    let check = {
        let dir = harness::temp_dir();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, &warm).unwrap();
        tool("qpdf", &["--check", path.to_str().unwrap()])
    };
    assert!(String::from_utf8_lossy(&check.stdout)
        .contains("No syntax or stream encoding errors"));

    // One page fewer.
    paged.pages.pop();
    let (warm, written) = export(&paged, &meta, &mut memo);
    assert!(warm == export_pdf(&paged, &meta).unwrap());
    assert_eq!(written, 0);
}

#[test]
fn the_books_do_not_depend_on_the_number_of_threads() {
    // Page streams are written in parallel; one thread and two must give the same bytes.
    let dir = harness::temp_dir();
    let books = |jobs: &str| {
        let out = dir.path().join(format!("jobs-{jobs}"));
        let sample = harness::root().join("briefing");
        let args = ["--quiet", "--jobs", jobs, "build", sample.to_str().unwrap()];
        let run =
            harness::briefbook(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
        assert!(run.status.success(), "{}", harness::text(&run.stderr));
        let read = |name: &str| std::fs::read(out.join(name)).unwrap();
        (read("briefing.pdf"), read("briefing.epub"))
    };
    let (pdf1, epub1) = books("1");
    let (pdf2, epub2) = books("2");
    assert!(pdf1 == pdf2, "the PDF differs between --jobs 1 and --jobs 2");
    assert!(epub1 == epub2, "the EPUB differs between --jobs 1 and --jobs 2");
}
