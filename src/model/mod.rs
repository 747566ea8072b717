//! The document model: one format-neutral tree that both writers consume.
//!
//! A [`Document`] holds the book's metadata, its sections (a tree, one top-level
//! section per chapter) and its footnotes. Sections hold [`Block`]s; paragraphs hold
//! [`Inline`]s. Nothing here knows about PDF or HTML. Every node keeps the [`Span`] it
//! came from so any later stage can point a diagnostic at the source.

mod block;
mod build;
mod custom;
mod figures;
mod images;
mod inline;
pub mod lang;
mod markdown;
mod marking;
mod pages;
mod plan;
pub mod visit;

pub use crate::config::{CopyMark, Meta, PdfStandard};
pub use block::{
    Align, Aside, AsideKind, Block, BlockKind, Cell, Change, Chart, ChartKind, Column,
    Image, KeyFigure, KeyFigures, List, ListItem, Row, Series, Table, Timeline,
    TimelineEvent, Trend,
};
pub use build::{build_document, build_document_with};
pub use custom::BLOCK_TYPES;
#[cfg(test)]
pub(crate) use images::tiny as tiny_jpeg;
pub use images::{ImageData, ImageError, ImageFormat, Pixels, MAX_PIXELS, MAX_SIDE};
pub use inline::{plain_text, Inline, InlineKind, LinkTarget};
pub use marking::{mark_pages, PageMarking};
pub use pages::{flow_items, FlowPos, PageBreak, PageMap, PagePlace};
pub use plan::{
    plan, Plan, MAX_HORIZONTAL_BARS, MAX_LINE_POINTS, MAX_SERIES, MAX_VERTICAL_BARS,
};

use crate::diag::Span;

/// A whole briefing book, ready for layout or export.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Document {
    /// Title, dates, marking and the other book-level facts.
    pub meta: Meta,
    /// The top-level sections (chapters) in reading order.
    pub sections: Vec<Section>,
    /// All footnotes, numbered from 1 in order of first reference.
    pub footnotes: Vec<Footnote>,
    /// The level of each chapter's content, when each page carries its own marking.
    pub page_marking: Option<PageMarking>,
}

impl Document {
    /// Every section in document order (depth first), with its depth (0 = chapter).
    pub fn walk(&self) -> Vec<(usize, &Section)> {
        fn go<'a>(out: &mut Vec<(usize, &'a Section)>, s: &'a Section, depth: usize) {
            out.push((depth, s));
            for c in &s.children {
                go(out, c, depth + 1);
            }
        }
        let mut out = Vec::new();
        for s in &self.sections {
            go(&mut out, s, 0);
        }
        out
    }

    /// The footnote with this id.
    pub fn footnote(&self, id: FootnoteId) -> &Footnote {
        &self.footnotes[id.0]
    }
}

/// One section: a heading, the blocks under it, and its subsections.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Section {
    /// The heading that opens the section.
    pub heading: Heading,
    /// Blocks between this heading and the first subsection heading.
    pub blocks: Vec<Block>,
    /// Subsections, one level deeper.
    pub children: Vec<Section>,
}

/// A section heading.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Heading {
    /// 1 for chapters, 2 for their sections, and so on.
    pub level: u8,
    /// The section number (`[2, 1]` is "2.1"); empty for unnumbered sections.
    pub number: Vec<u32>,
    /// The heading text.
    pub content: Vec<Inline>,
    /// A stable anchor (from the title or an explicit `{#id}`), unique in the book.
    pub anchor: String,
    /// Whether the heading appears in contents, outline and navigation.
    pub in_toc: bool,
    /// Where the heading is in the source.
    pub span: Span,
}

impl Heading {
    /// The number as printed ("2.1"), or `None` for unnumbered headings.
    pub fn number_label(&self) -> Option<String> {
        if self.number.is_empty() {
            return None;
        }
        Some(self.number.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
    }

    /// The heading as plain text, without its number.
    pub fn title(&self) -> String {
        plain_text(&self.content)
    }
}

/// Identifies a footnote in [`Document::footnotes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FootnoteId(pub usize);

/// A footnote's text.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Footnote {
    /// The number shown at the reference and the note (1-based).
    pub number: u32,
    /// The anchor of the note, unique in the book (`fn-3`).
    pub anchor: String,
    /// The anchor of the first reference to it (`fnref-3`).
    pub ref_anchor: String,
    /// The note's content.
    pub blocks: Vec<Block>,
    /// Where the definition is in the source.
    pub span: Span,
}
