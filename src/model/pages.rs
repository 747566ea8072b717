//! Print-page correspondence: where each page of the printed book (the PDF) begins,
//! said in terms of the model, so a reflowing format can mark the same places
//! ("turn to page 12") without knowing anything about print layout.
//!
//! Places are *flow items*: a chapter's headings and section-level blocks, numbered
//! depth first from 0 (a section's heading, then each of its blocks, then its
//! subsections; see [`flow_items`]). Layout computes the map (`layout::page_map`);
//! the EPUB writer turns it into page-break markers and a page list.

use super::Section;

/// Where one printed page begins.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PagePlace {
    /// The cover.
    Cover,
    /// A page of the contents.
    Contents,
    /// A place in a chapter.
    Flow(FlowPos),
}

/// A place in a chapter's flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FlowPos {
    /// The chapter (index into `Document::sections`).
    pub chapter: usize,
    /// The flow item (see [`flow_items`]).
    pub item: usize,
    /// The page begins at this body row of the item (a table).
    pub row: Option<usize>,
    /// The page begins inside the item (a paragraph or list split over two pages):
    /// the place is taken to be just after the item.
    pub inside: bool,
}

/// One printed page: its label as printed and where it begins.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageBreak {
    /// The page number as printed ("12").
    pub label: String,
    /// Where the page begins.
    pub place: PagePlace,
}

/// Every page of the printed book, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PageMap {
    /// The pages.
    pub pages: Vec<PageBreak>,
}

impl PageMap {
    /// The pages that begin in chapter `chapter`, in order.
    pub fn in_chapter(&self, chapter: usize) -> impl Iterator<Item = (&str, FlowPos)> {
        self.pages.iter().filter_map(move |p| match &p.place {
            PagePlace::Flow(f) if f.chapter == chapter => Some((p.label.as_str(), *f)),
            _ => None,
        })
    }

    /// The labels of the pages that begin at `place` (cover or contents).
    pub fn labels_at(&self, place: &PagePlace) -> Vec<&str> {
        self.pages
            .iter()
            .filter(|p| p.place == *place)
            .map(|p| p.label.as_str())
            .collect()
    }
}

/// The number of flow items in a section and its subsections: one for each heading
/// and one for each of their blocks.
pub fn flow_items(section: &Section) -> usize {
    1 + section.blocks.len() + section.children.iter().map(flow_items).sum::<usize>()
}
