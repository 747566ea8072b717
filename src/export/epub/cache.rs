//! What one export keeps for the next, so that watch mode re-exports in a few
//! milliseconds: rendered chapters, the cover image and the packed zip entries.
//!
//! Every reuse is keyed by the full inputs it depends on, compared by value (never by
//! a hash alone), so a warm export is byte-identical to a cold one:
//! - a chapter page depends on its section, its file name, its page-break markers,
//!   the book language and
//!   marking, the anchor → file map, the footnotes' numbers and anchors, and the
//!   footnote reference counts when it starts (back-link ids like `fnref3-2`). Chapters
//!   that show an image or a chart are never kept: image names depend on what came
//!   before, and image files are read from disk.
//! - the cover PNG depends only on [`Meta`] (and the bundled fonts);
//! - epub-builder's zip (package files, given empty bodies) depends on a
//!   [`BuilderKey`]: the metadata, the file list, the contents entries and the
//!   resources;
//! - a zip entry's compressed bytes depend on its name, its content and the timestamp
//!   (see `package.rs`).

use std::collections::{BTreeMap, HashMap};

use handlebars::Handlebars;

use crate::diag::Diagnostic;
use crate::model::{Document, FlowPos, Meta, Section};

use super::nav::NavEntry;
use super::package::ZipCache;
use super::xhtml::Writer;

/// What an EPUB export keeps for the next one; see [`export_epub_with`].
///
/// A fresh (default) cache gives a cold export. Reusing one cache for successive
/// exports of the same, or a slightly changed, document skips the work whose inputs
/// did not change; the bytes are the same as a cold export's.
///
/// [`export_epub_with`]: super::export_epub_with
#[derive(Default)]
pub struct EpubCache {
    pub(super) chapters: ChapterCache,
    pub(super) cover: Option<(Meta, Vec<u8>)>,
    pub(super) builder: Option<(BuilderKey, Vec<u8>)>,
    pub(super) zip: ZipCache,
    /// The page templates, which never change (parsing them takes a millisecond).
    pub(super) templates: Option<Handlebars<'static>>,
}

/// Everything epub-builder is given (bodies aside), so everything its zip depends on.
#[derive(Clone, PartialEq)]
pub(super) struct BuilderKey {
    pub meta: Meta,
    pub language: String,
    /// Images and charts: path in the EPUB and media type.
    pub images: Vec<(String, &'static str)>,
    pub missing_alt: bool,
    pub files: Vec<String>,
    pub entries: Vec<Option<NavEntry>>,
    pub notes: bool,
    /// Whether the book has a page map (page-break markers, `pageBreakSource`).
    pub paged: bool,
}

/// Everything outside its section that a chapter page depends on.
#[derive(Clone, PartialEq)]
pub(super) struct ChapterContext {
    language: String,
    classification: String,
    anchors: BTreeMap<String, String>,
    /// Per footnote: number, anchor, reference anchor.
    notes: Vec<(u32, String, String)>,
}

impl ChapterContext {
    pub(super) fn new(
        doc: &Document,
        language: &str,
        anchors: &BTreeMap<String, String>,
    ) -> Self {
        Self {
            language: language.to_string(),
            classification: doc.meta.classification.trim().to_string(),
            anchors: anchors.clone(),
            notes: doc
                .footnotes
                .iter()
                .map(|n| (n.number, n.anchor.clone(), n.ref_anchor.clone()))
                .collect(),
        }
    }
}

/// One footnote's references in a chapter: the writer's count before and after, and
/// the first reference if the chapter holds it.
#[derive(Clone)]
struct NoteUse {
    index: usize,
    before: u32,
    after: u32,
    first: Option<(String, String)>,
}

/// A rendered chapter and what rendering it did to the writer.
struct Chapter {
    section: Section,
    file: String,
    /// Its page-break markers: labels and places.
    marks: Vec<(String, FlowPos)>,
    page: String,
    notes: Vec<NoteUse>,
    diags: Vec<Diagnostic>,
}

/// Rendered chapters by position, valid for one [`ChapterContext`].
#[derive(Default)]
pub(super) struct ChapterCache {
    context: Option<ChapterContext>,
    chapters: Vec<Option<Chapter>>,
}

/// The writer's state before a chapter, to see what rendering it changed.
pub(super) struct Mark {
    note_refs: usize,
    diags: usize,
    media_uses: usize,
}

impl ChapterCache {
    /// Starts an export: forgets every chapter if the context changed.
    pub(super) fn begin(&mut self, context: ChapterContext, chapters: usize) {
        if self.context.as_ref() != Some(&context) {
            self.chapters.clear();
            self.context = Some(context);
        }
        self.chapters.resize_with(chapters, || None);
    }

    /// The page for chapter `i` if it is cached for exactly these inputs; its effects
    /// on the writer (footnote counts, first references, warnings) are replayed.
    pub(super) fn replay(
        &self,
        i: usize,
        section: &Section,
        file: &str,
        marks: &[(String, FlowPos)],
        w: &mut Writer,
    ) -> Option<String> {
        let c = self.chapters.get(i)?.as_ref()?;
        let hit = c.file == file && c.marks == marks && c.section == *section;
        match hit {
            true => c.replay(w),
            false => None,
        }
    }

    /// Whether chapter `i` is kept for this section, file and markers (whatever the
    /// writer's footnote counts).
    pub(super) fn holds(
        &self,
        i: usize,
        section: &Section,
        file: &str,
        marks: &[(String, FlowPos)],
    ) -> bool {
        self.chapters
            .get(i)
            .and_then(Option::as_ref)
            .is_some_and(|c| c.file == file && c.marks == marks && c.section == *section)
    }

    /// The writer's state before rendering a chapter.
    pub(super) fn mark(w: &Writer) -> Mark {
        Mark {
            note_refs: w.note_refs.len(),
            diags: w.diags.len(),
            media_uses: w.media_uses,
        }
    }

    /// Keeps chapter `i`, rendered since `mark`, unless it showed an image or a chart.
    pub(super) fn store(
        &mut self,
        i: usize,
        inputs: (&Section, &str, &[(String, FlowPos)]),
        page: &str,
        w: &Writer,
        mark: Mark,
    ) {
        let Some(slot) = self.chapters.get_mut(i) else { return };
        *slot = Chapter::record(inputs, page, w, mark);
    }

    /// Keeps chapter `i` as rendered ahead (see [`Ahead`]).
    pub(super) fn keep(&mut self, i: usize, ahead: Ahead) {
        if let (Some(slot), Some(c)) = (self.chapters.get_mut(i), ahead.0) {
            *slot = Some(c);
        }
    }
}

/// A chapter rendered ahead of its turn (on another thread) by a writer that had
/// written nothing before it. It is what the chapter would be in its turn if no chapter
/// before it referred to the footnotes it refers to, and it shows no image or chart.
pub(super) struct Ahead(Option<Chapter>);

impl Ahead {
    /// Chapter `section`, rendered into `page` by the fresh writer `w`.
    pub(super) fn new(
        inputs: (&Section, &str, &[(String, FlowPos)]),
        page: &str,
        w: &Writer,
    ) -> Self {
        let mark = Mark { note_refs: 0, diags: 0, media_uses: 0 };
        Self(Chapter::record(inputs, page, w, mark))
    }

    /// The page, if it is what the chapter is in its turn after what `w` wrote; its
    /// effects on the writer are replayed.
    pub(super) fn replay(&self, w: &mut Writer) -> Option<String> {
        self.0.as_ref()?.replay(w)
    }
}

impl Chapter {
    /// The chapter rendered since `mark`, unless it showed an image or a chart.
    fn record(
        (section, file, marks): (&Section, &str, &[(String, FlowPos)]),
        page: &str,
        w: &Writer,
        mark: Mark,
    ) -> Option<Chapter> {
        if w.media_uses != mark.media_uses {
            return None;
        }
        let mut notes: Vec<NoteUse> = Vec::new();
        // Where each note is in `notes` (a chapter may reference thousands).
        let mut at: HashMap<usize, usize> = HashMap::new();
        for &index in &w.note_refs[mark.note_refs..] {
            match at.get(&index) {
                Some(&k) => notes[k].before -= 1,
                None => {
                    at.insert(index, notes.len());
                    notes.push(NoteUse {
                        index,
                        before: w.ref_counts[index] - 1,
                        after: w.ref_counts[index],
                        first: None,
                    });
                }
            }
        }
        for n in &mut notes {
            if n.before == 0 {
                n.first = w.first_refs[n.index].clone();
            }
        }
        Some(Chapter {
            section: section.clone(),
            file: file.to_string(),
            marks: marks.to_vec(),
            page: page.to_string(),
            notes,
            diags: w.diags[mark.diags..].to_vec(),
        })
    }

    /// The page, if the writer's footnote counts are those the chapter was rendered
    /// after; its effects on the writer (footnote counts, first references, warnings)
    /// are replayed.
    fn replay(&self, w: &mut Writer) -> Option<String> {
        if !self.notes.iter().all(|n| w.ref_counts.get(n.index) == Some(&n.before)) {
            return None;
        }
        for n in &self.notes {
            w.ref_counts[n.index] = n.after;
            if let Some(first) = &n.first {
                w.first_refs[n.index] = Some(first.clone());
            }
            let uses = (n.after - n.before) as usize;
            w.note_refs.extend(std::iter::repeat_n(n.index, uses));
        }
        w.diags.extend(self.diags.iter().cloned());
        Some(self.page.clone())
    }
}
