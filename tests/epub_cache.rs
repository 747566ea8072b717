//! The EPUB cache changes the time an export takes, never its bytes: every export
//! through one [`EpubCache`] must equal a cold export of the same document, whatever
//! changed since the last one. EPUBCheck runs on cold exports (`epub_check.rs`), so
//! byte equality carries its verdict over to warm ones.

#[path = "harness/mod.rs"]
mod harness;
#[path = "epub_torture.rs"]
mod torture;

use briefbook::diag::SourceMap;
use briefbook::export::epub::{export_epub, export_epub_with, EpubCache};
use briefbook::model::{Block, BlockKind, Document, Inline, InlineKind, Section};
use briefbook::source::LoadOptions;

/// Exports `doc` through `cache` and checks bytes and diagnostics against a cold export.
fn warm_equals_cold(doc: &Document, cache: &mut EpubCache) -> Vec<u8> {
    let cold = export_epub(doc).unwrap();
    let warm = export_epub_with(doc, cache).unwrap();
    assert!(warm.0 == cold.0, "a warm export differs from a cold one");
    assert_eq!(warm.1, cold.1, "a warm export reports other diagnostics");
    warm.0
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
fn same_document_twice_through_one_cache_equals_cold() {
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    let mut cache = EpubCache::default();
    let first = warm_equals_cold(&doc, &mut cache);
    let second = warm_equals_cold(&doc, &mut cache);
    assert!(first == second);
    // The empty book, then the torture book again, through the same cache.
    warm_equals_cold(&torture::empty_document(), &mut cache);
    warm_equals_cold(&doc, &mut cache);
}

#[test]
fn changing_one_chapter_equals_cold() {
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    let mut cache = EpubCache::default();
    let before = warm_equals_cold(&doc, &mut cache);
    for i in 0..doc.sections.len() {
        let mut changed = doc.clone();
        let Some(text) = section_text(&mut changed.sections[i]) else { continue };
        text.push_str(" (edited)");
        let after = warm_equals_cold(&changed, &mut cache);
        assert!(after != before, "editing chapter {i} changed nothing");
        // And back: the cache now holds the edited chapter.
        assert!(warm_equals_cold(&doc, &mut cache) == before);
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
    let mut cache = EpubCache::default();
    let file = format!("OEBPS/ch{:02}.xhtml", last + 1);
    let id = format!("id=\"{}-2\"", doc.footnotes[note].ref_anchor);
    assert!(!entry(&warm_equals_cold(&doc, &mut cache), &file).contains(&id));
    assert!(entry(&warm_equals_cold(&changed, &mut cache), &file).contains(&id));
    assert!(!entry(&warm_equals_cold(&doc, &mut cache), &file).contains(&id));
}

#[test]
fn metadata_and_timestamp_changes_equal_cold() {
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    let mut cache = EpubCache::default();
    warm_equals_cold(&doc, &mut cache);
    let mut retitled = doc.clone();
    retitled.meta.title.push_str(" (revised)");
    warm_equals_cold(&retitled, &mut cache);
    let mut later = retitled.clone();
    later.meta.timestamp += chrono::Duration::seconds(3600);
    warm_equals_cold(&later, &mut cache);
    let mut fewer = later.clone();
    fewer.sections.remove(1);
    warm_equals_cold(&fewer, &mut cache);
    warm_equals_cold(&doc, &mut cache);
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
    let mut cache = EpubCache::default();
    let before = warm_equals_cold(&doc, &mut cache);
    let mut changed = doc.clone();
    let middle = changed.sections.len() / 2;
    section_text(&mut changed.sections[middle]).expect("text").push_str(" 42");
    assert!(warm_equals_cold(&changed, &mut cache) != before);
    assert!(warm_equals_cold(&doc, &mut cache) == before);
}
