//! Flow: blocks become chunks (unsplittable strips of content), chunks become pages.
//!
//! A chunk is one line of a paragraph, one table row, one row of key figures, … Page breaks
//! fall only between chunks. A chunk can ask to stay with the next one (headings,
//! captions), to start a new page (chapters) and to bring a header along when it lands at
//! the top of a page (table rows repeat their header row).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::frame::{Frame, FrameItem, OutlineEntry};
use super::inputs::NotesView;
use super::shape::Shaper;
use crate::diag::Diagnostic;
use crate::geom::{Color, Point, Pt, Size};

/// An unsplittable strip of content, as wide as the text area.
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    /// The strip's height.
    pub height: Pt,
    /// Space above it (dropped at the top of a page).
    pub space_before: Pt,
    /// Items relative to the strip's top-left corner (the text area's left edge).
    pub items: Vec<(Point, FrameItem)>,
    /// Never end a page after this chunk.
    pub keep_with_next: bool,
    /// Always start a new page with this chunk.
    pub break_before: bool,
    /// A header placed before this chunk when it starts a page (table header rows).
    pub repeat: Option<Arc<Vec<Chunk>>>,
    /// A chapter title that becomes the running head from this chunk on.
    pub chapter: Option<String>,
    /// The first baseline, for aligning list markers.
    pub first_baseline: Pt,
    /// Set on landscape pages (a table too wide for portrait pages).
    pub landscape: bool,
    /// The place in the chapter's flow this chunk shows (for the page map).
    pub mark: Option<Mark>,
}

/// The place in a chapter's flow that a chunk shows: a flow item (see
/// `model::flow_items`), and whether the chunk is the item's first or the first of
/// one of its body rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    /// The flow item.
    pub item: usize,
    /// The body row of a table that starts with this chunk.
    pub row: Option<usize>,
    /// The item's first chunk.
    pub first: bool,
}

impl Mark {
    /// Where a page beginning with this chunk begins, in chapter `chapter`.
    pub fn place(self, chapter: usize) -> crate::model::FlowPos {
        crate::model::FlowPos {
            chapter,
            item: self.item,
            row: if self.first { None } else { self.row },
            inside: !self.first && self.row.is_none(),
        }
    }
}

impl Chunk {
    /// An empty chunk of `height`.
    pub fn new(height: Pt) -> Self {
        Self { height, first_baseline: height, ..Default::default() }
    }

    /// Moves every item right by `dx`.
    pub fn shift(&mut self, dx: Pt) {
        for (p, _) in &mut self.items {
            p.x += dx;
        }
    }
}

/// Folds the space between the chunks into the chunks, so decorations drawn per chunk
/// (backgrounds, rules) join up; adds `pad` above the first and below the last.
pub fn solidify(chunks: &mut [Chunk], pad: Pt) {
    let n = chunks.len();
    for (i, c) in chunks.iter_mut().enumerate() {
        let mut top = if i == 0 { pad } else { c.space_before };
        if i > 0 {
            c.space_before = Pt::ZERO;
        }
        if top < Pt::ZERO {
            top = Pt::ZERO;
        }
        for (p, _) in &mut c.items {
            p.y += top;
        }
        c.first_baseline += top;
        c.height += top;
        if i + 1 == n {
            c.height += pad;
        }
    }
}

/// Draws a background and/or a left rule behind each chunk, from `x` over `width`.
pub fn decorate(
    chunks: &mut [Chunk],
    x: Pt,
    width: Pt,
    fill: Option<Color>,
    rule: Option<Color>,
) {
    for c in chunks {
        let mut deco = Vec::new();
        if let Some(fill) = fill {
            let size = Size::new(width, c.height);
            deco.push((
                Point::new(x, Pt::ZERO),
                FrameItem::Rect { size, fill: Some(fill), stroke: None },
            ));
        }
        if let Some(color) = rule {
            let delta = Point::new(Pt::ZERO, c.height);
            deco.push((
                Point::new(x, Pt::ZERO),
                FrameItem::Line { delta, color, width: Pt(2.0) },
            ));
        }
        deco.append(&mut c.items);
        c.items = deco;
    }
}

/// Everything block layout needs.
pub struct Ctx<'a> {
    /// The footnotes the text being laid out refers to (numbers and anchors).
    pub notes: &'a NotesView,
    /// The book's words and number conventions (labels, separators).
    pub locale: &'a crate::locale::Locale,
    /// The book's language (runs in another are marked for the writer).
    pub language: &'a str,
    /// Shaping and fonts.
    pub shaper: &'a mut Shaper,
    /// Text area height (for scaling images).
    pub area_height: Pt,
    /// The text area of a landscape page (for tables too wide for portrait pages).
    pub landscape: Area,
    /// Page numbers of anchors from the previous pass (for the contents page).
    pub anchor_pages: &'a BTreeMap<String, usize>,
    /// Headings collected for the outline.
    pub outline: Vec<OutlineEntry>,
    /// Warnings (unreadable images, …).
    pub warnings: Vec<Diagnostic>,
    /// Body paragraphs are justified (else ragged right).
    pub justify: bool,
    /// The level of the heading of the section being laid out (panel titles are
    /// tagged one level below it).
    pub level: u8,
}

/// Where blocks go: a horizontal slice of the text area.
#[derive(Debug, Clone, Copy)]
pub struct Env {
    /// Left edge, from the text area's left edge.
    pub x: Pt,
    /// Available width.
    pub width: Pt,
    /// Type size for body text here.
    pub size: Pt,
}

impl Env {
    /// The same slice, indented by `by` on the left.
    pub fn indent(self, by: Pt) -> Env {
        // Deep nesting stops indenting once the column is 60 pt narrow.
        let by = by.min((self.width - Pt(60.0)).max(Pt::ZERO));
        Env { x: self.x + by, width: self.width - by, ..self }
    }
}

/// Content for one page before furniture is added.
#[derive(Debug, Clone, Default)]
pub struct PageContent {
    /// The content, positioned on the page.
    pub frame: Frame,
    /// The chapter running at the top of the page.
    pub chapter: Option<String>,
    /// A landscape page (page width and height swapped).
    pub landscape: bool,
    /// The first flow place shown on the page, and the last.
    pub marks: Option<(Mark, Mark)>,
}

/// The text area on the page.
#[derive(Debug, Clone, Copy, Hash)]
pub struct Area {
    /// Left edge.
    pub left: Pt,
    /// Top edge.
    pub top: Pt,
    /// Width.
    pub width: Pt,
    /// Height.
    pub height: Pt,
}

impl Area {
    /// The text area of the same sheet turned to landscape, on a portrait page of size
    /// `page`: width and height swap, and each margin keeps its meaning for the reader
    /// (the top margin stays at the top of the turned page).
    pub fn landscape(self, page: Size) -> Area {
        let right = page.width - self.left - self.width;
        let bottom = page.height - self.top - self.height;
        Area {
            left: self.left,
            top: self.top,
            width: page.height - self.left - right,
            height: page.width - self.top - bottom,
        }
    }
}
