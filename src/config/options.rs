//! What the layout engine needs to know that is not in the document model.

use std::sync::Arc;

use super::fonts::DEFAULT_FALLBACK_FONTS;
use super::furniture::FurnitureTemplates;
use crate::geom::{Mm, Pt, Sides};

/// Page geometry and type settings for print, resolved from `[layout]` and `[fonts]`.
///
/// Lengths carry their unit: page size and margins stay in the millimetres the manifest
/// writes ([`Mm`]; layout converts them where it makes the page), type sizes are [`Pt`].
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct LayoutOptions {
    /// Page width.
    pub page_width: Mm,
    /// Page height.
    pub page_height: Mm,
    /// Page margins (the running head sits in the top one, the folio in the bottom one).
    pub margins: Sides<Mm>,
    /// Body type size.
    pub font_size: Pt,
    /// Justify body paragraphs (total-fit line breaking); `false` sets them ragged right.
    pub justify: bool,
    /// Body font family.
    pub body_font: String,
    /// Heading, table and furniture family.
    pub heading_font: String,
    /// Code family.
    pub mono_font: String,
    /// Families tried in order for characters the chosen family lacks.
    pub fallback_fonts: Vec<String>,
    /// Font files searched before the bundled fonts (those in the briefing's `fonts/`).
    pub font_files: Vec<FontFile>,
    /// Running heads and feet and the cover: handlebars templates (see `[furniture]`).
    pub furniture: FurnitureTemplates,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        Self {
            page_width: Mm(210.0),
            page_height: Mm(297.0),
            margins: Sides::splat(Mm(25.0)),
            font_size: Pt(10.5),
            justify: true,
            body_font: "Noto Serif".into(),
            heading_font: "Noto Sans".into(),
            mono_font: "Noto Sans Mono".into(),
            fallback_fonts: DEFAULT_FALLBACK_FONTS.map(String::from).to_vec(),
            font_files: vec![],
            furniture: FurnitureTemplates::default(),
        }
    }
}

/// A page or type setting out of bounds (see [`LayoutOptions::validate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// A side of the page is out of range.
    PageSize,
    /// A margin is out of range, or the margins leave no room for text on the page.
    Margins,
    /// The body type size.
    FontSize,
}

impl Invalid {
    /// What to do about it.
    pub fn hint(self) -> &'static str {
        match self {
            Invalid::PageSize | Invalid::Margins => {
                "pages are 50–1500 mm a side; margins 0–100 mm; the text area at least 40 mm"
            }
            Invalid::FontSize => "body type is 5–24 pt, usually 9–12 pt",
        }
    }
}

impl LayoutOptions {
    /// Checks the page and type settings against the one set of bounds: pages 50–1500 mm
    /// a side, margins 0–100 mm, a text area at least 40 mm each way, body type 5–24 pt.
    /// The loader calls it to report a problem at its key in the manifest; layout calls
    /// it again for options built in code. A NaN is out of every range.
    pub fn validate(&self) -> Result<(), Invalid> {
        let (w, h, m) = (self.page_width, self.page_height, self.margins);
        let side = Mm(50.0)..=Mm(1500.0);
        if !side.contains(&w) || !side.contains(&h) {
            return Err(Invalid::PageSize);
        }
        let text_area = Mm(40.0)..;
        let margins_ok = m.all().iter().all(|x| (Mm::ZERO..=Mm(100.0)).contains(x))
            && text_area.contains(&(w - m.left - m.right))
            && text_area.contains(&(h - m.top - m.bottom));
        if !margins_ok {
            return Err(Invalid::Margins);
        }
        if !(Pt(5.0)..=Pt(24.0)).contains(&self.font_size) {
            return Err(Invalid::FontSize);
        }
        Ok(())
    }
}

/// A font file of the briefing's own, read by the loader.
#[derive(Clone, PartialEq)]
pub struct FontFile {
    /// Its path relative to the briefing folder (for messages).
    pub name: String,
    /// Its bytes.
    pub bytes: Arc<Vec<u8>>,
    /// A 128-bit hash of the bytes, computed once when the file is read.
    pub digest: u128,
}

impl FontFile {
    /// A font file and its digest.
    pub fn new(name: String, bytes: Vec<u8>) -> Self {
        let digest = crate::memo::hash128(&bytes[..]);
        Self { name, bytes: Arc::new(bytes), digest }
    }
}

impl std::hash::Hash for FontFile {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.digest.hash(state);
    }
}

impl std::fmt::Debug for FontFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontFile({}, {} bytes)", self.name, self.bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_set_of_bounds() {
        let ok = LayoutOptions::default();
        assert_eq!(ok.validate(), Ok(()));
        // A text area 30 mm wide: the loader always refused it, and now so does layout.
        let narrow = LayoutOptions { page_width: Mm(80.0), ..ok.clone() };
        assert_eq!(narrow.validate(), Err(Invalid::Margins));
        let tiny_page = LayoutOptions { page_height: Mm(49.0), ..ok.clone() };
        assert_eq!(tiny_page.validate(), Err(Invalid::PageSize));
        let tiny_type = LayoutOptions { font_size: Pt(4.5), ..ok.clone() };
        assert_eq!(tiny_type.validate(), Err(Invalid::FontSize));
        let nan_type = LayoutOptions { font_size: Pt(f64::NAN), ..ok.clone() };
        assert_eq!(nan_type.validate(), Err(Invalid::FontSize));
        let margins = Sides { left: Mm(-1.0), ..ok.margins };
        let negative = LayoutOptions { margins, ..ok.clone() };
        assert_eq!(negative.validate(), Err(Invalid::Margins));
        let margins = Sides { top: Mm(f64::NAN), ..ok.margins };
        let nan = LayoutOptions { margins, ..ok };
        assert_eq!(nan.validate(), Err(Invalid::Margins));
    }
}
