//! The layout result: pages of positioned glyph runs, shapes, images and links.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::glyph_text::GlyphText;
use crate::geom::{Color, Point, Pt, Size};
use crate::model::{ImageData, PageBreak, PageMap, PagePlace};

/// The whole book laid out for print.
#[derive(Debug, Clone)]
pub struct PagedDocument {
    /// The pages in order.
    pub pages: Vec<Page>,
    /// Every font face a [`GlyphRun`] may refer to, indexed by [`FontId`].
    pub fonts: Vec<EmbeddedFont>,
    /// Headings for the outline (bookmarks), in document order.
    pub outline: Vec<OutlineEntry>,
}

impl PagedDocument {
    /// Where each page begins, with its printed label (the page number): the
    /// format-neutral page map an EPUB marks its page breaks from.
    pub fn page_map(&self) -> PageMap {
        let pages = self
            .pages
            .iter()
            .map(|p| PageBreak { label: p.number.to_string(), place: p.place.clone() })
            .collect();
        PageMap { pages }
    }

    /// Where each anchor was placed (first placement wins): 0-based page index and
    /// position on that page.
    pub fn anchors(&self) -> BTreeMap<&str, (usize, Point)> {
        let mut map = BTreeMap::new();
        for (i, page) in self.pages.iter().enumerate() {
            for (pos, item) in page.items() {
                if let FrameItem::Anchor(name) = item {
                    map.entry(name.as_str()).or_insert((i, *pos));
                }
            }
        }
        map
    }
}

/// One page: its content (shared with the chapter's layout it comes from) and the page
/// furniture around it.
#[derive(Debug, Clone)]
pub struct Page {
    /// The 1-based physical page number.
    pub number: usize,
    /// The page size.
    pub size: Size,
    /// What the page shows of the book's flow (or the cover), positioned from the page's
    /// top-left corner.
    pub body: Arc<Frame>,
    /// The running heads and feet, drawn after the body.
    pub furniture: Frame,
    /// Where the page begins in the model (for the page map of reflowing formats).
    pub place: PagePlace,
    /// Names what the page shows (body, furniture and size): made from the memo keys of
    /// the steps that made them, so equal keys mean equal pages. Writers key their own
    /// per-page results on it instead of hashing the page; whoever edits a page must
    /// give it a new key.
    pub key: u128,
    /// Names the body alone (what the page shows of the book's flow, and its size): the
    /// copies of a page that differ in furniture or watermark share it.
    pub body_key: u128,
    /// Text set diagonally behind everything else (a numbered copy's watermark).
    pub watermark: Option<Arc<Watermark>>,
}

/// A line of text set at an angle behind a page's content: an artifact, not part of
/// the book's text, drawn before the body so the content covers it.
#[derive(Debug, Clone)]
pub struct Watermark {
    /// The runs along the line, each at its distance from the line's start (`y` is 0).
    pub runs: Vec<(Pt, GlyphRun)>,
    /// Where the line starts, from the page's top-left corner.
    pub origin: Point,
    /// The line's angle above the page's horizontal, in radians (counter-clockwise).
    pub angle: f64,
}

impl Page {
    /// Everything on the page in drawing order: the body, then the furniture.
    pub fn items(&self) -> impl Iterator<Item = &(Point, FrameItem)> {
        self.body.items.iter().chain(&self.furniture.items)
    }
}

/// Positioned content.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// Items and their positions (text: the baseline start; shapes: the top-left corner).
    pub items: Vec<(Point, FrameItem)>,
}

impl Frame {
    /// Adds an item at `pos`.
    pub fn push(&mut self, pos: Point, item: FrameItem) {
        self.items.push((pos, item));
    }
}

/// One thing drawn on a page.
#[derive(Debug, Clone)]
pub enum FrameItem {
    /// Shaped text.
    Text(GlyphRun),
    /// A rectangle, filled and/or stroked.
    Rect {
        /// Width and height.
        size: Size,
        /// Fill colour.
        fill: Option<Color>,
        /// Outline colour and thickness (boxed: outlined boxes are rare, and the
        /// largest variant sets every item's size).
        stroke: Option<Box<(Color, Pt)>>,
    },
    /// A straight line from the item's position to position + `delta`.
    Line {
        /// The end point relative to the start.
        delta: Point,
        /// Colour.
        color: Color,
        /// Thickness.
        width: Pt,
    },
    /// A polyline or polygon (chart lines and markers, key-figure arrows); boxed, as
    /// it is rare and large: text and tags, the items a page holds most of, stay small.
    Path(Box<Path>),
    /// A raster image (a checked PNG or JPEG file) scaled into `size`.
    Image {
        /// The file, with its format and pixel size.
        image: ImageData,
        /// The size on the page.
        size: Size,
    },
    /// A clickable area.
    Link {
        /// Width and height of the area.
        size: Size,
        /// Where it goes.
        target: Box<LinkDest>,
    },
    /// A named destination (a heading or footnote anchor); draws nothing.
    Anchor(String),
    /// A structure tag (what the items that follow are); draws nothing.
    Tag(super::tag::Tag),
}

/// A polyline or polygon through points relative to its item's position.
#[derive(Debug, Clone)]
pub struct Path {
    /// The corners, relative to the item's position.
    pub points: Vec<Point>,
    /// Whether the last point joins the first.
    pub closed: bool,
    /// Fill colour (closed paths only).
    pub fill: Option<Color>,
    /// Outline colour and thickness.
    pub stroke: Option<(Color, Pt)>,
    /// Dash and gap lengths of the outline; `None` for a solid line.
    pub dash: Option<(Pt, Pt)>,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkDest {
    /// An anchor placed somewhere in the document.
    Anchor(String),
    /// An external address.
    Url(String),
}

/// Identifies a font face in [`PagedDocument::fonts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

impl FontId {
    /// The index in [`PagedDocument::fonts`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// A run of glyphs in one face, size and colour.
#[derive(Debug, Clone)]
pub struct GlyphRun {
    /// The face.
    pub font: FontId,
    /// The type size.
    pub size: Pt,
    /// Fill colour.
    pub color: Color,
    /// The glyphs in visual order (shared: a shaped word is stored once however often it
    /// is drawn).
    pub glyphs: Arc<[Glyph]>,
    /// Drawn bold by stroking the outlines as well as filling them: bold CJK text in a
    /// face that has no bold (the bundled Droid Sans Fallback).
    pub stroked: bool,
}

impl GlyphRun {
    /// The sum of the advances.
    pub fn width(&self) -> Pt {
        self.glyphs.iter().map(|g| g.advance).sum()
    }
}

/// One shaped glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the (unsubset) face.
    pub gid: u16,
    /// Horizontal advance at the run's size.
    pub advance: Pt,
    /// The text this glyph stands for (a whole ligature's text, or "").
    pub text: GlyphText,
    /// How far right of the pen the glyph is drawn, inside its advance (a Latin
    /// opening quotation mark set in a full-width box in CJK text).
    pub offset: Pt,
}

/// A font face's data, for embedding.
#[derive(Clone)]
pub struct EmbeddedFont {
    /// The PostScript name.
    pub name: String,
    /// The font file.
    pub bytes: harfrust::font::Blob,
    /// Units per em.
    pub units_per_em: u16,
    /// Advance widths in font units, by glyph id.
    pub advances: Arc<Vec<u16>>,
    /// The glyph of the space character, if the face has one (the PDF writer draws it
    /// between words, so extracted and read-aloud text has its spaces).
    pub space: Option<u16>,
    /// The glyph of the hyphen-minus, if the face has one (the PDF writer gives the
    /// hyphens that hyphenation inserts a code of their own, read as a soft hyphen).
    pub hyphen: Option<u16>,
}

impl fmt::Debug for EmbeddedFont {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmbeddedFont({}, {} bytes)", self.name, self.bytes.len())
    }
}

/// One outline (bookmark) entry.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// 1 for chapters, 2 for sections, …
    pub level: u8,
    /// The text shown ("2.1 Title").
    pub title: String,
    /// The anchor it points to.
    pub anchor: String,
}
