//! The book's settings, resolved from the manifest: its facts ([`Meta`]), page geometry
//! and type ([`LayoutOptions`]), the bundled fonts and the page furniture and cover
//! templates. Every stage reads these; this module reads no stage.

mod cover;
mod fonts;
mod furniture;
mod meta;
mod options;

pub use cover::{
    cover_context, render_cover, CoverError, CoverLine, CoverRegion, CoverStyle,
    COVER_NAMES, DEFAULT_COVER,
};
pub use fonts::{bundled_face, BUNDLED_FONTS, DEFAULT_FALLBACK_FONTS};
pub use furniture::{
    furniture_context, render_plain, CopyFields, Furniture, FurnitureBook,
    FurnitureTemplates,
};
pub use meta::{CopyMark, Meta, PdfStandard};
pub use options::{FontFile, Invalid, LayoutOptions};
