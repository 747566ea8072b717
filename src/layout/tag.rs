//! Structure tags: what each piece of a page *is* (a heading, a table cell, a figure), for
//! tagged PDF. Layout puts [`Tag`] items into the frames around the content they
//! describe; the tags nest like the document model, in reading order, and a structure
//! element may go on over any number of pages (the PDF writer keeps the open elements
//! from one page to the next). Items outside every element, and everything inside an
//! [`StructRole::Artifact`], are page furniture.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use super::flow::Chunk;
use super::frame::FrameItem;
use crate::geom::Point;

/// A tag item in a frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Tag {
    /// Opens an element: content up to the matching [`Tag::End`] belongs to it.
    Start(Arc<Element>),
    /// Closes the element opened last.
    End,
    /// The footnote area of a page begins: until [`Tag::NotesEnd`], tags nest in the
    /// notes' own stack, so a note continued on the next page stays one element.
    NotesStart,
    /// The footnote area of a page ends.
    NotesEnd,
    /// The next text item is a hyphen inserted by hyphenation: not part of the text
    /// (a soft hyphen, in tagged PDF's terms), so that copied text can join the word.
    Hyphen,
}

/// A structure element.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Element {
    /// Its type.
    pub role: StructRole,
    /// The text alternative (figures), or the description of a link.
    pub alt: Option<String>,
    /// The language of its content, where it differs from the book's.
    pub lang: Option<String>,
    /// An identifier (footnotes: the note's anchor).
    pub id: Option<String>,
}

impl Element {
    /// An element of `role` with no attributes.
    pub fn new(role: StructRole) -> Self {
        Self { role, ..Default::default() }
    }

    /// The same element with a text alternative.
    pub fn alt(mut self, alt: impl Into<String>) -> Self {
        self.alt = Some(alt.into());
        self
    }
}

/// The standard structure types we use (PDF 1.7, 14.8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StructRole {
    /// A chapter (or the contents, the cover).
    Sect,
    /// A grouping with no meaning of its own (a key-figure panel's figures).
    Div,
    /// A heading of level 1–6.
    H(u8),
    /// A paragraph.
    #[default]
    P,
    /// A list.
    L,
    /// A list item.
    LI,
    /// A list item's marker.
    Lbl,
    /// A list item's content.
    LBody,
    /// A block quotation.
    BlockQuote,
    /// Verbatim code.
    Code,
    /// A table.
    Table,
    /// The header rows of a table.
    THead,
    /// The body rows of a table.
    TBody,
    /// A table row.
    TR,
    /// A header cell (column scope).
    TH,
    /// A data cell.
    TD,
    /// A caption of a table or figure.
    Caption,
    /// A chart, image or timeline, read through its text alternative.
    Figure,
    /// A footnote.
    Note,
    /// The table of contents.
    TOC,
    /// One entry of the contents.
    TOCI,
    /// A link (its annotation is attached to it).
    Link,
    /// An inline span (text in another language).
    Span,
    /// Not content: page furniture, rules, repeated table headers.
    Artifact,
}

impl StructRole {
    /// The structure type's name in the file.
    pub fn name(self) -> &'static str {
        match self {
            StructRole::Sect => "Sect",
            StructRole::Div => "Div",
            StructRole::H(1) => "H1",
            StructRole::H(2) => "H2",
            StructRole::H(3) => "H3",
            StructRole::H(4) => "H4",
            StructRole::H(5) => "H5",
            StructRole::H(_) => "H6",
            StructRole::P => "P",
            StructRole::L => "L",
            StructRole::LI => "LI",
            StructRole::Lbl => "Lbl",
            StructRole::LBody => "LBody",
            StructRole::BlockQuote => "BlockQuote",
            StructRole::Code => "Code",
            StructRole::Table => "Table",
            StructRole::THead => "THead",
            StructRole::TBody => "TBody",
            StructRole::TR => "TR",
            StructRole::TH => "TH",
            StructRole::TD => "TD",
            StructRole::Caption => "Caption",
            StructRole::Figure => "Figure",
            StructRole::Note => "Note",
            StructRole::TOC => "TOC",
            StructRole::TOCI => "TOCI",
            StructRole::Link => "Link",
            StructRole::Span => "Span",
            StructRole::Artifact => "Artifact",
        }
    }
}

/// A start tag item. Elements without attributes but a language (most of them: every
/// cell, row and paragraph, and the spans of words in another language) share one
/// allocation per role and language.
pub fn start(e: Element) -> (Point, FrameItem) {
    // Per role, the shared elements of each language (a handful): found by comparing,
    // so a lookup allocates nothing.
    type Shared = HashMap<StructRole, Vec<Arc<Element>>>;
    thread_local! {
        static PLAIN: RefCell<Shared> = RefCell::default();
    }
    let plain = e.alt.is_none() && e.id.is_none();
    let e = match plain {
        true => PLAIN.with(|p| {
            let mut shared = p.borrow_mut();
            let same = shared.entry(e.role).or_default();
            match same.iter().find(|s| s.lang == e.lang) {
                Some(s) => s.clone(),
                // Kept for the thread's life: a briefing with thousands of language
                // tags must not grow it without bound.
                None if same.len() >= 64 => Arc::new(e),
                None => {
                    let e = Arc::new(e);
                    same.push(e.clone());
                    e
                }
            }
        }),
        false => Arc::new(e),
    };
    (Point::default(), FrameItem::Tag(Tag::Start(e)))
}

/// An end tag item.
pub fn end() -> (Point, FrameItem) {
    (Point::default(), FrameItem::Tag(Tag::End))
}

/// Wraps the content of `chunks` in `e`: a start tag before the first chunk's items and
/// an end tag after the last one's. Nothing happens to an empty list.
pub fn wrap(chunks: &mut [Chunk], e: Element) {
    let Some(first) = chunks.first_mut() else { return };
    first.items.insert(0, start(e));
    if let Some(last) = chunks.last_mut() {
        last.items.push(end());
    }
}

/// Wraps items (already positioned) in `e`.
pub fn wrap_items(items: &mut Vec<(Point, FrameItem)>, e: Element) {
    items.insert(0, start(e));
    items.push(end());
}

/// Whether an item is a tag.
pub fn is_tag(item: &FrameItem) -> bool {
    matches!(item, FrameItem::Tag(_))
}
