//! What the layout engine needs to know that is not in the document model.

use std::sync::Arc;

use super::fonts::DEFAULT_FALLBACK_FONTS;
use super::furniture::FurnitureTemplates;

/// Page geometry and type settings for print, resolved from `[layout]` and `[fonts]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutOptions {
    /// Page width in millimetres.
    pub page_width_mm: f64,
    /// Page height in millimetres.
    pub page_height_mm: f64,
    /// Top margin in millimetres.
    pub margin_top_mm: f64,
    /// Bottom margin in millimetres.
    pub margin_bottom_mm: f64,
    /// Left margin in millimetres.
    pub margin_left_mm: f64,
    /// Right margin in millimetres.
    pub margin_right_mm: f64,
    /// Body type size in points.
    pub font_size_pt: f64,
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
            page_width_mm: 210.0,
            page_height_mm: 297.0,
            margin_top_mm: 25.0,
            margin_bottom_mm: 25.0,
            margin_left_mm: 25.0,
            margin_right_mm: 25.0,
            font_size_pt: 10.5,
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
    /// The page size or the margins: no room for text, or out of range.
    Page,
    /// The body type size.
    FontSize,
}

impl Invalid {
    /// What to do about it.
    pub fn hint(self) -> &'static str {
        match self {
            Invalid::Page => {
                "pages are 50–1500 mm a side; margins 0–100 mm; the text area at least 40 mm"
            }
            Invalid::FontSize => "body type is 5–24 pt, usually 9–12 pt",
        }
    }
}

impl LayoutOptions {
    /// Checks the page and type settings against the one set of bounds: pages 50–1500 mm
    /// a side, margins 0–100 mm, a text area at least 40 mm each way, body type 5–24 pt.
    /// The loader calls it to report a problem at its place in the manifest; layout calls
    /// it again for options built in code.
    pub fn validate(&self) -> Result<(), Invalid> {
        let (w, h) = (self.page_width_mm, self.page_height_mm);
        let margins = [
            self.margin_top_mm,
            self.margin_bottom_mm,
            self.margin_left_mm,
            self.margin_right_mm,
        ];
        let page_ok = (50.0..=1500.0).contains(&w)
            && (50.0..=1500.0).contains(&h)
            && margins.iter().all(|m| (0.0..=100.0).contains(m))
            && w - self.margin_left_mm - self.margin_right_mm >= 40.0
            && h - self.margin_top_mm - self.margin_bottom_mm >= 40.0;
        if !page_ok {
            return Err(Invalid::Page);
        }
        if !(5.0..=24.0).contains(&self.font_size_pt) {
            return Err(Invalid::FontSize);
        }
        Ok(())
    }
}

impl std::hash::Hash for LayoutOptions {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let lengths = [
            self.page_width_mm,
            self.page_height_mm,
            self.margin_top_mm,
            self.margin_bottom_mm,
            self.margin_left_mm,
            self.margin_right_mm,
            self.font_size_pt,
        ];
        for l in lengths {
            state.write_u64(l.to_bits());
        }
        self.justify.hash(state);
        self.body_font.hash(state);
        self.heading_font.hash(state);
        self.mono_font.hash(state);
        self.fallback_fonts.hash(state);
        self.font_files.hash(state);
        self.furniture.hash(state);
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
        let narrow = LayoutOptions { page_width_mm: 80.0, ..ok.clone() };
        assert_eq!(narrow.validate(), Err(Invalid::Page));
        let tiny_type = LayoutOptions { font_size_pt: 4.5, ..ok.clone() };
        assert_eq!(tiny_type.validate(), Err(Invalid::FontSize));
        let negative = LayoutOptions { margin_left_mm: -1.0, ..ok };
        assert_eq!(negative.validate(), Err(Invalid::Page));
    }
}
