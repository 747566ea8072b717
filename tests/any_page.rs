//! Briefings a new user might write, on any page size: small pages, long titles, deep
//! lists, wide and multilingual tables. The pages are checked geometrically: no two runs
//! of text overlap, nothing leaves the page, captions and source lines stay with their
//! tables, numbers are not split.

use briefbook::compile::compile;
use briefbook::diag::{Diagnostic, SourceMap};
use briefbook::layout::{layout_document, FrameItem, PagedDocument};
use briefbook::source::LoadOptions;
use briefbook::world::World;

/// Lays out an in-memory briefing of `files` (path, text).
fn build(files: &[(&str, String)]) -> (PagedDocument, Vec<Diagnostic>) {
    let world = World::in_memory(
        files.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
    );
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let options = LoadOptions { source_date_epoch: Some(0) };
    let compiled = compile(&world, &mut sources, &options, &mut warnings)
        .unwrap_or_else(|e| panic!("does not compile: {e:?}"));
    let (paged, more) = layout_document(&compiled.document, &compiled.project.layout)
        .unwrap_or_else(|e| panic!("does not lay out: {e:?}"));
    warnings.extend(more);
    (paged, warnings)
}

/// A manifest for `sections` on a page of `size` (a TOML value) with extra `[book]` keys.
fn manifest(size: &str, book: &str, sections: usize) -> String {
    let list: Vec<String> = (1..=sections).map(|i| format!("\"s{i}.md\"")).collect();
    format!(
        "[book]\ntitle = \"Regional statistics\"\nclassification = \"official-sensitive — for \
         delegation use only\"\nlanguage = \"en-GB\"\nissue-date = 2025-06-12\n{book}\n\n\
         [layout]\npage-size = {size}\n\n[contents]\nsections = [{}]\n",
        list.join(", ")
    )
}

/// A text run's box: left, top, right, bottom (from the baseline, by the type size).
#[derive(Debug, Clone)]
struct TextBox {
    text: String,
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

/// Every text run on page `i`.
fn text_boxes(doc: &PagedDocument, i: usize) -> Vec<TextBox> {
    let mut out = Vec::new();
    for (pos, item) in &doc.pages[i].frame.items {
        if let FrameItem::Text(run) = item {
            let text: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
            let size = run.size.0;
            out.push(TextBox {
                text,
                left: pos.x.0,
                top: pos.y.0 - size * 0.75,
                right: pos.x.0 + run.width().0,
                bottom: pos.y.0 + size * 0.2,
            });
        }
    }
    out
}

/// Pairs of text runs on any page that overlap by more than a hair.
fn overlaps(doc: &PagedDocument) -> Vec<String> {
    let mut found = Vec::new();
    for i in 0..doc.pages.len() {
        let boxes = text_boxes(doc, i);
        for (n, a) in boxes.iter().enumerate() {
            for b in &boxes[n + 1..] {
                let x = a.right.min(b.right) - a.left.max(b.left);
                let y = a.bottom.min(b.bottom) - a.top.max(b.top);
                if x > 0.3 && y > 0.3 {
                    found.push(format!("page {}: {:?} and {:?}", i + 1, a.text, b.text));
                }
            }
        }
    }
    found
}

/// Text runs that leave their page.
fn off_page(doc: &PagedDocument) -> Vec<String> {
    let mut found = Vec::new();
    for (i, page) in doc.pages.iter().enumerate() {
        for b in text_boxes(doc, i) {
            let (w, h) = (page.size.width.0, page.size.height.0);
            if b.left < -0.01 || b.right > w + 0.01 || b.top < 0.0 || b.bottom > h {
                found.push(format!("page {}: {:?}", i + 1, b.text));
            }
        }
    }
    found
}

/// The page sizes a briefing may be set on: A6, A5, US Letter and two custom sizes.
const SIZES: [&str; 5] = [
    "{ width = 105, height = 148 }",
    "{ width = 148, height = 210 }",
    "\"Letter\"",
    "{ width = 90, height = 120 }",
    "{ width = 120, height = 180 }",
];

const LONG_CHAPTER: &str = "Overview of the regional trade, population and economic \
                            development indicators for the ministerial meeting";

#[test]
fn furniture_slots_never_overlap_on_any_page_size() {
    for size in SIZES {
        for chapter in ["Annex", "Trade and economy", LONG_CHAPTER] {
            let text = "The delegation meets the host on the first day. ".repeat(60);
            let files = [
                ("briefing.toml", manifest(size, "", 1)),
                ("s1.md", format!("# {chapter}\n\n{text}\n")),
            ];
            let (doc, warnings) = build(&files);
            let bad = overlaps(&doc);
            assert!(bad.is_empty(), "{size}, {chapter:?}: {bad:#?}");
            let off = off_page(&doc);
            assert!(off.is_empty(), "{size}, {chapter:?}: {off:#?}");
            // The page number is never the slot that gives way.
            for (i, _) in doc.pages.iter().enumerate().skip(1) {
                let page = format!("{}", i + 1);
                let shown = text_boxes(&doc, i).iter().any(|b| b.text == "Page")
                    && text_boxes(&doc, i).iter().any(|b| b.text == page);
                assert!(shown, "{size}, {chapter:?}: no page number on page {}", i + 1);
            }
            // A slot left out is said.
            let names = doc.pages.iter().enumerate().skip(1).any(|(i, _)| {
                text_boxes(&doc, i).iter().any(|b| chapter.starts_with(&b.text))
            });
            let warned =
                warnings.iter().any(|w| w.message.contains("`[furniture] footer-left`"));
            assert!(names || warned, "{size}, {chapter:?}: chapter left out silently");
        }
    }
}

#[test]
fn furniture_on_landscape_pages_does_not_overlap() {
    // A table too wide for an A6 page turns it; the turned page has its own furniture.
    let mut rows = String::from("| Country | Year | Exports | Imports | Balance |\n");
    rows.push_str("|:--|--:|--:|--:|--:|\n");
    for y in 2000..2010 {
        rows.push_str(&format!(
            "| Kazakhstan | {y} | 45,017.25 | 32,331.50 | 12,685.75 |\n"
        ));
    }
    let files = [
        ("briefing.toml", manifest(SIZES[0], "", 1)),
        (
            "s1.md",
            format!("# {LONG_CHAPTER}\n\nTable: Trade\n\n{rows}\nSource: Synthetic.\n"),
        ),
    ];
    let (doc, _) = build(&files);
    assert!(doc.pages.iter().any(|p| p.size.width > p.size.height), "no landscape page");
    let bad = overlaps(&doc);
    assert!(bad.is_empty(), "{bad:#?}");
}
