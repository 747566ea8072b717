//! Layout: the document model laid out into pages of positioned glyphs and shapes.

mod options;

pub use options::LayoutOptions;
mod stub;
pub use stub::{layout_document, PagedDocument};
