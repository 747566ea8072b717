//! The memo changes the time an EPUB export takes, never its bytes: every export
//! through one [`Memo`] (started and ended around each export, as a build does) must
//! equal a cold export of the same document, whatever changed since the last one.
//! EPUBCheck runs on cold exports (`epub_check.rs`), so byte equality carries its
//! verdict over to warm ones.

#[path = "harness/mod.rs"]
mod harness;
#[path = "epub_torture.rs"]
mod torture;

use briefbook::diag::SourceMap;
use std::collections::BTreeMap;

use briefbook::export::epub::{export_epub, export_epub_paged};
use briefbook::memo::Memo;
use briefbook::model::{
    Block, BlockKind, Document, Inline, InlineKind, PageMap, Section,
};
use briefbook::source::LoadOptions;

/// Exports `doc` through `memo` and checks bytes and diagnostics against a cold export.
fn warm_equals_cold(doc: &Document, memo: &mut Memo) -> Vec<u8> {
    warm_export(doc, memo).0
}

/// [`warm_equals_cold`], also returning how many times each step ran.
fn warm_export(
    doc: &Document,
    memo: &mut Memo,
) -> (Vec<u8>, BTreeMap<&'static str, usize>) {
    let cold = export_epub(doc).unwrap();
    memo.start();
    let warm = export_epub_paged(doc, &PageMap::default(), memo).unwrap();
    let redone = memo.end();
    assert!(warm.0 == cold.0, "a warm export differs from a cold one");
    assert_eq!(warm.1, cold.1, "a warm export reports other diagnostics");
    (warm.0, redone)
}

/// The first text inline of a paragraph or table cell in `blocks`, depth first.
fn first_text(blocks: &mut [Block]) -> Option<&mut String> {
    for block in blocks {
        let inlines: Vec<&mut Inline> = match &mut block.kind {
            BlockKind::Paragraph(c) => c.iter_mut().collect(),
            BlockKind::Table(t) => t
                .rows
                .iter_mut()
                .flat_map(|r| r.cells.iter_mut())
                .flat_map(|c| c.content.iter_mut())
                .collect(),
            BlockKind::Quote(b) => {
                if let Some(s) = first_text(b) {
                    return Some(s);
                }
                continue;
            }
            _ => continue,
        };
        for inline in inlines {
            if let InlineKind::Text(s) = &mut inline.kind {
                return Some(s);
            }
        }
    }
    None
}

/// The first text of a section or, failing that, of its first subsection with text.
fn section_text(section: &mut Section) -> Option<&mut String> {
    if first_text(&mut section.blocks.clone()).is_some() {
        return first_text(&mut section.blocks);
    }
    section.children.iter_mut().find_map(section_text)
}

/// The text of one zip entry.
fn entry(epub: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut text = String::new();
    archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// The footnote indices referenced in a section's paragraphs.
fn note_refs(section: &Section) -> Vec<usize> {
    let mut out = Vec::new();
    for block in &section.blocks {
        if let BlockKind::Paragraph(c) = &block.kind {
            for inline in c {
                if let InlineKind::FootnoteRef(id) = &inline.kind {
                    out.push(id.0);
                }
            }
        }
    }
    out
}

#[test]
fn same_document_twice_through_one_memo_equals_cold() {
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    let mut memo = Memo::new();
    let first = warm_equals_cold(&doc, &mut memo);
    let second = warm_equals_cold(&doc, &mut memo);
    assert!(first == second);
    // The empty book, then the torture book again, through the same memo.
    warm_equals_cold(&torture::empty_document(), &mut memo);
    warm_equals_cold(&doc, &mut memo);
}

#[test]
fn changing_one_chapter_equals_cold() {
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    let mut memo = Memo::new();
    let before = warm_equals_cold(&doc, &mut memo);
    for i in 0..doc.sections.len() {
        let mut changed = doc.clone();
        let Some(text) = section_text(&mut changed.sections[i]) else { continue };
        text.push_str(" (edited)");
        let after = warm_equals_cold(&changed, &mut memo);
        assert!(after != before, "editing chapter {i} changed nothing");
        // And back: the memo now holds the edited chapter only.
        assert!(warm_equals_cold(&doc, &mut memo) == before);
    }
}

#[test]
fn an_earlier_reference_to_a_note_renumbers_later_back_links() {
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    // The last chapter refers to a note; refer to it once more in the first chapter,
    // so the last chapter's reference becomes the second (`fnref-5-2`) while the
    // chapter itself is unchanged.
    let last = doc.sections.len() - 1;
    let note = *note_refs(&doc.sections[last]).first().expect("a note reference");
    let mut changed = doc.clone();
    let reference = Inline {
        kind: InlineKind::FootnoteRef(briefbook::model::FootnoteId(note)),
        span: torture::span(),
    };
    changed.sections[0].blocks.insert(0, torture::p(vec![torture::t("See"), reference]));
    let mut memo = Memo::new();
    let file = format!("OEBPS/ch{:02}.xhtml", last + 1);
    let id = format!("id=\"{}-2\"", doc.footnotes[note].ref_anchor);
    assert!(!entry(&warm_equals_cold(&doc, &mut memo), &file).contains(&id));
    assert!(entry(&warm_equals_cold(&changed, &mut memo), &file).contains(&id));
    assert!(!entry(&warm_equals_cold(&doc, &mut memo), &file).contains(&id));
}

#[test]
fn metadata_and_timestamp_changes_equal_cold() {
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    let mut memo = Memo::new();
    warm_equals_cold(&doc, &mut memo);
    let mut retitled = doc.clone();
    retitled.meta.title.push_str(" (revised)");
    warm_equals_cold(&retitled, &mut memo);
    let mut later = retitled.clone();
    later.meta.timestamp += chrono::Duration::seconds(3600);
    warm_equals_cold(&later, &mut memo);
    let mut fewer = later.clone();
    fewer.sections.remove(1);
    warm_equals_cold(&fewer, &mut memo);
    warm_equals_cold(&doc, &mut memo);
}

#[test]
fn sample_briefing_edits_equal_cold() {
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let root = harness::root().join("briefing");
    let compiled = briefbook::compile::compile(
        &briefbook::world::World::new(&root).unwrap(),
        &mut sources,
        &LoadOptions::default(),
        &mut warnings,
    )
    .unwrap();
    let doc = compiled.document;
    let mut memo = Memo::new();
    let before = warm_equals_cold(&doc, &mut memo);
    let mut changed = doc.clone();
    let middle = changed.sections.len() / 2;
    section_text(&mut changed.sections[middle]).expect("text").push_str(" 42");
    assert!(warm_equals_cold(&changed, &mut memo) != before);
    assert!(warm_equals_cold(&doc, &mut memo) == before);
}

#[test]
fn an_unchanged_export_redoes_nothing_and_an_edit_redoes_its_chapter() {
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    let mut memo = Memo::new();
    let (_, cold) = warm_export(&doc, &mut memo);
    assert!(cold.contains_key("epub chapter"), "{cold:?}");
    let (_, warm) = warm_export(&doc, &mut memo);
    assert!(warm.is_empty(), "an unchanged export redid {warm:?}");
    // A text edit in the last chapter: only that chapter is rendered again.
    let mut changed = doc.clone();
    let last = changed.sections.len() - 1;
    section_text(&mut changed.sections[last]).expect("text").push_str(" (edited)");
    let (_, redone) = warm_export(&changed, &mut memo);
    assert_eq!(redone.get("epub chapter"), Some(&1), "{redone:?}");
    assert_eq!(redone.get("epub cover"), None, "{redone:?}");
}

#[test]
fn page_break_markers_moving_in_an_unchanged_chapter_equal_cold() {
    use briefbook::model::{FlowPos, PageBreak, PagePlace};
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    // The same place, relabelled (an earlier chapter grew a page), then moved on.
    let map = |label: &str, item: usize| PageMap {
        pages: vec![PageBreak {
            label: label.to_string(),
            place: PagePlace::Flow(FlowPos {
                chapter: 0,
                item,
                row: None,
                inside: false,
            }),
        }],
    };
    let maps = [map("2", 1), map("3", 1), map("3", 2), PageMap::default(), map("2", 1)];
    let mut memo = Memo::new();
    for pages in &maps {
        let cold = export_epub_paged(&doc, pages, &Memo::new()).unwrap();
        memo.start();
        let warm = export_epub_paged(&doc, pages, &memo).unwrap();
        memo.end();
        assert!(warm.0 == cold.0, "a warm export differs from a cold one");
        assert_eq!(warm.1, cold.1);
    }
    // The markers are in the first chapter's page.
    let first = entry(
        &export_epub_paged(&doc, &maps[1], &Memo::new()).unwrap().0,
        "OEBPS/ch01.xhtml",
    );
    assert!(first.contains("id=\"page-3\""), "no marker for page 3");
}
