//! Measuring chart text: the PDF side passes its shaper; SVG uses the advance widths of the
//! bundled Noto Sans, which readers without the font approximate with their sans-serif.

use std::sync::OnceLock;

use crate::config::bundled_face;
use crate::geom::Pt;

/// Measures the width of a line of text in the chart's (sans-serif) family.
pub trait Measure {
    /// The advance width of `text` at `size`, regular or bold.
    fn width(&mut self, text: &str, size: Pt, bold: bool) -> Pt;
}

/// Text widths from the bundled Noto Sans (regular and bold) that the PDF embeds, read
/// from its `hmtx` table; characters it lacks count as 1 em for CJK ideographs (set in the
/// fallback font) and 0.6 em otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub struct NotoSansMetrics;

/// The two faces, parsed once.
fn faces() -> &'static [Option<ttf_parser::Face<'static>>; 2] {
    static FACES: OnceLock<[Option<ttf_parser::Face<'static>>; 2]> = OnceLock::new();
    FACES.get_or_init(|| {
        [false, true].map(|bold| {
            bundled_face("Noto Sans", bold, false)
                .and_then(|b| ttf_parser::Face::parse(b, 0).ok())
        })
    })
}

impl Measure for NotoSansMetrics {
    fn width(&mut self, text: &str, size: Pt, bold: bool) -> Pt {
        let face = faces()[usize::from(bold)].as_ref();
        let upem = face.map_or(1000, |f| u32::from(f.units_per_em()));
        let units: u32 = text
            .chars()
            .map(|c| {
                let advance = face
                    .and_then(|f| f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g)))
                    .map(u32::from);
                match (advance, c as u32) {
                    (Some(a), _) => a,
                    (None, 0x3000..=0x9fff | 0xac00..=0xd7af | 0xff00..=0xffef) => upem,
                    (None, _) => upem * 6 / 10,
                }
            })
            .sum();
        size * (f64::from(units) / f64::from(upem))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_tabular() {
        let mut m = NotoSansMetrics;
        let a = m.width("2023", Pt(10.0), false);
        let b = m.width("1111", Pt(10.0), false);
        assert_eq!(a, b);
        assert!((a.0 - 22.88).abs() < 1e-9);
        assert!(m.width("Trade", Pt(10.0), true) > m.width("Trade", Pt(10.0), false));
    }
}
