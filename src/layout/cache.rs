//! Reuse of layout work between builds (watch mode).
//!
//! Chapters do not depend on page numbers: each is laid out into chunks and paginated
//! on its own pages (it starts a new page, and its notes stay with it). So a chapter
//! whose section is equal to last time's — same blocks, same heading numbers, same
//! footnote ids — and whose images are byte-equal gets its chunks, pages, outline
//! entries and warnings back, provided the notes it refers to are unchanged too. The
//! shaper (parsed fonts, shaped words, hyphenation points) is kept while the layout
//! options, the language and the font folders stay the same.

use std::collections::{BTreeMap, BTreeSet};

use super::flow::{Chunk, PageContent};
use super::frame::{FrameItem, OutlineEntry, PagedDocument};
use super::furniture::Decorations;
use super::shape::Shaper;
use super::LayoutOptions;
use crate::diag::{Diagnostic, FileId, Span};
use crate::model::visit::{block_inlines, blocks};
use crate::model::{Document, Footnote, Heading, Inline, InlineKind, Section};

/// Layout work kept from the previous build.
#[derive(Default)]
pub struct LayoutCache {
    pub(super) setup: Option<Setup>,
    pub(super) chapters: Vec<Chapter>,
    pub(super) notes: Vec<Note>,
    pub(super) contents: Contents,
    pub(super) decorations: Decorations,
    /// The number of pages before the first chapter page in the last book (cover and
    /// contents): where the lent chapter pages start.
    pub(super) lent_after: usize,
    /// Chapters laid out (not reused) by the last build.
    pub laid_out: usize,
    /// Keep only what the build itself needs (a single build: `build`, `check`).
    pub one_shot: bool,
}

impl std::fmt::Debug for LayoutCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LayoutCache({} chapters)", self.chapters.len())
    }
}

/// The shaper and what it was made from.
pub(super) struct Setup {
    pub options: LayoutOptions,
    pub language: String,
    pub shaper: Shaper,
    /// Warnings from loading the fonts (repeated on every build).
    pub warnings: Vec<Diagnostic>,
}

/// A laid-out chapter.
pub(super) struct Chapter {
    /// The section it was laid out from (`None` in a one-shot build).
    pub section: Option<Section>,
    /// The footnotes it refers to.
    pub notes: BTreeSet<usize>,
    pub chunks: Vec<Chunk>,
    pub outline: Vec<OutlineEntry>,
    pub warnings: Vec<Diagnostic>,
    /// Its pages, numbered from 0, and where its anchors landed.
    pub pages: Vec<PageContent>,
    pub anchors: Vec<(String, usize)>,
    /// Whether the pages' frames are lent to a book (see [`LayoutCache::recycle`]).
    pub lent: bool,
    /// How many items each lent frame had.
    pub lent_lens: Vec<usize>,
}

impl Chapter {
    /// The pages, their frames moved out (how many items each had stays behind).
    pub fn lend(&mut self) -> Vec<PageContent> {
        self.lent = true;
        self.lent_lens = self.pages.iter().map(|p| p.frame.items.len()).collect();
        self.pages
            .iter_mut()
            .map(|p| PageContent {
                frame: std::mem::take(&mut p.frame),
                chapter: p.chapter.clone(),
                landscape: p.landscape,
                marks: p.marks,
            })
            .collect()
    }
}

impl LayoutCache {
    /// A cache for a single build: chapters' chunks and sections are not kept.
    pub fn one_shot() -> Self {
        Self { one_shot: true, ..Self::default() }
    }

    /// Takes back the chapters' page frames from the book the last layout returned, so
    /// the next build need not copy them. (Without this the next build paginates the
    /// chapters again from their chunks.) The furniture added to each page is dropped.
    pub fn recycle(&mut self, paged: PagedDocument) {
        let expected: usize = self.chapters.iter().map(|c| c.pages.len()).sum();
        if paged.pages.len() != self.lent_after + expected {
            return;
        }
        let mut pages = paged.pages.into_iter().skip(self.lent_after);
        for chapter in self.chapters.iter_mut().filter(|c| c.lent) {
            for (content, &len) in chapter.pages.iter_mut().zip(&chapter.lent_lens) {
                let Some(page) = pages.next() else { return };
                let mut frame = page.frame;
                if frame.items.len() < len {
                    return;
                }
                frame.items.truncate(len);
                content.frame = frame;
            }
            chapter.lent = false;
        }
    }
}

/// The contents page's passes (one per set of page numbers it was laid out with).
#[derive(Default)]
pub(super) struct Contents {
    /// The headings it lists.
    pub headings: Vec<Heading>,
    pub passes: Vec<ContentsPass>,
}

/// The contents laid out with one set of page numbers.
pub(super) struct ContentsPass {
    pub anchor_pages: BTreeMap<String, usize>,
    pub pages: Vec<PageContent>,
    pub warnings: Vec<Diagnostic>,
}

/// The headings the contents page may list (chapters and their sections), without
/// their source positions: an edit above a heading moves it in its file but does not
/// change the contents page. (Positions only name the place in warnings, so a pass
/// that gave warnings is never reused.)
pub(super) fn contents_headings(doc: &Document) -> Vec<Heading> {
    fn strip(list: &mut [Inline]) {
        for i in list {
            i.span = Span::new(FileId(0), 0..0);
            match &mut i.kind {
                InlineKind::Emphasis(c)
                | InlineKind::Strong(c)
                | InlineKind::Strikethrough(c)
                | InlineKind::Link { content: c, .. }
                | InlineKind::Lang { content: c, .. } => strip(c),
                _ => {}
            }
        }
    }
    let walk = doc.walk().into_iter().filter(|(depth, _)| *depth <= 1);
    walk.map(|(_, s)| {
        let mut h = s.heading.clone();
        h.span = Span::new(FileId(0), 0..0);
        strip(&mut h.content);
        h
    })
    .collect()
}

/// A laid-out footnote.
pub(super) struct Note {
    pub note: Footnote,
    pub chunks: Vec<Chunk>,
    pub warnings: Vec<Diagnostic>,
}

/// The ids of the footnotes a section refers to.
pub(super) fn section_notes(s: &Section) -> BTreeSet<usize> {
    fn inlines(list: &[Inline], out: &mut BTreeSet<usize>) {
        for i in list {
            match &i.kind {
                InlineKind::FootnoteRef(id) => {
                    out.insert(id.0);
                }
                InlineKind::Emphasis(c)
                | InlineKind::Strong(c)
                | InlineKind::Strikethrough(c)
                | InlineKind::Link { content: c, .. }
                | InlineKind::Lang { content: c, .. } => inlines(c, out),
                _ => {}
            }
        }
    }
    fn section(s: &Section, out: &mut BTreeSet<usize>) {
        inlines(&s.heading.content, out);
        blocks(&s.blocks, &mut |b| {
            for list in block_inlines(b) {
                inlines(list, out);
            }
        });
        for c in &s.children {
            section(c, out);
        }
    }
    let mut out = BTreeSet::new();
    section(s, &mut out);
    out
}

/// Where each anchor landed on a run of pages (first placement wins).
pub(super) fn page_anchors(pages: &[PageContent]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        for (_, item) in &page.frame.items {
            if let FrameItem::Anchor(name) = item {
                out.push((name.clone(), i));
            }
        }
    }
    out
}
