//! The inputs of layout's memoized steps, gathered from the document explicitly: a step
//! is handed these (never the whole document), so what it reads is what its key holds.

use std::collections::{BTreeMap, BTreeSet};

use super::flow::PageContent;
use super::frame::FrameItem;
use crate::diag::{FileId, Span};
use crate::model::visit::{block_inlines, blocks};
use crate::model::{Document, Heading, Inline, InlineKind, Section};

/// The footnotes a piece of the book refers to, as its references show them.
#[derive(Debug, Default, Hash)]
pub struct NotesView {
    notes: BTreeMap<usize, NoteRef>,
}

/// A footnote as a reference to it shows it.
#[derive(Debug, Hash)]
pub struct NoteRef {
    /// The number printed at the reference.
    pub number: u32,
    /// The note's anchor (the reference links there).
    pub anchor: String,
    /// The first reference's anchor.
    pub ref_anchor: String,
}

impl NotesView {
    /// The notes `ids` of `doc`.
    pub fn of(doc: &Document, ids: &BTreeSet<usize>) -> Self {
        let notes = ids
            .iter()
            .filter_map(|&id| {
                let n = doc.footnotes.get(id)?;
                let r = NoteRef {
                    number: n.number,
                    anchor: n.anchor.clone(),
                    ref_anchor: n.ref_anchor.clone(),
                };
                Some((id, r))
            })
            .collect();
        Self { notes }
    }

    /// Footnote `id`, if the view holds it.
    pub fn get(&self, id: usize) -> Option<&NoteRef> {
        self.notes.get(&id)
    }
}

/// The headings the contents page lists (chapters and their sections, with their depth),
/// without their source positions: an edit above a heading moves it in its file but does
/// not change the contents page. (Positions only name the place in warnings, so a pass
/// that gave warnings is never reused.)
pub(super) fn contents_headings(doc: &Document) -> Vec<(usize, Heading)> {
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
    let walk =
        doc.walk().into_iter().filter(|(depth, s)| *depth <= 1 && s.heading.in_toc);
    walk.map(|(depth, s)| {
        let mut h = s.heading.clone();
        h.span = Span::new(FileId(0), 0..0);
        strip(&mut h.content);
        (depth, h)
    })
    .collect()
}

/// The ids of the footnotes a section refers to.
pub(super) fn section_notes(s: &Section) -> BTreeSet<usize> {
    fn section(s: &Section, out: &mut BTreeSet<usize>) {
        inline_notes(&s.heading.content, out);
        blocks(&s.blocks, &mut |b| {
            for list in block_inlines(b) {
                inline_notes(list, out);
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

/// The ids of the footnotes referred to in `blocks` (a footnote's own text).
pub(super) fn block_notes(list: &[crate::model::Block]) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    blocks(list, &mut |b| {
        for l in block_inlines(b) {
            inline_notes(l, &mut out);
        }
    });
    out
}

/// Adds the ids of the footnotes referred to in `list` to `out`.
pub(super) fn inline_notes(list: &[Inline], out: &mut BTreeSet<usize>) {
    for i in list {
        match &i.kind {
            InlineKind::FootnoteRef(id) => {
                out.insert(id.0);
            }
            InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Link { content: c, .. }
            | InlineKind::Lang { content: c, .. } => inline_notes(c, out),
            _ => {}
        }
    }
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
