//! Series colours that stay apart in greyscale print, and contrast checks for text.
//!
//! The colours step through lightness (dark navy, mid brown, light blue, pale sand), so
//! a greyscale copy still separates the series; line charts also vary the dash pattern
//! and the marker shape. Text on a bar is black or white, whichever meets WCAG AA.

use crate::layout::{Color, Pt};

/// The series colours, darkest first.
pub const PALETTE: [Color; 4] = [
    Color::rgb(0x1b, 0x3a, 0x6b),
    Color::rgb(0xb3, 0x59, 0x00),
    Color::rgb(0x7e, 0xa6, 0xd6),
    Color::rgb(0xd9, 0xc2, 0x7a),
];

/// The shape of a line chart's point markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerShape {
    /// A filled circle (drawn as an octagon).
    Circle,
    /// A filled square.
    Square,
    /// A filled triangle pointing up.
    Triangle,
    /// A filled diamond.
    Diamond,
}

/// How one series is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeriesStyle {
    /// Fill and stroke colour.
    pub color: Color,
    /// Dash and gap for lines; `None` is solid.
    pub dash: Option<(Pt, Pt)>,
    /// Point markers for lines.
    pub marker: MarkerShape,
}

/// The style of series `i` (of any number: styles repeat after four, with dashes).
pub fn series_style(i: usize) -> SeriesStyle {
    let dash = match i % 4 {
        0 => None,
        1 => Some((Pt(4.0), Pt(2.0))),
        2 => Some((Pt(1.2), Pt(1.6))),
        _ => Some((Pt(6.0), Pt(2.0))),
    };
    let marker = [
        MarkerShape::Circle,
        MarkerShape::Square,
        MarkerShape::Triangle,
        MarkerShape::Diamond,
    ][i % 4];
    let dash = if i >= 4 && dash.is_none() { Some((Pt(2.0), Pt(2.0))) } else { dash };
    SeriesStyle { color: PALETTE[i % PALETTE.len()], dash, marker }
}

/// The relative luminance of an sRGB colour (WCAG 2).
pub fn luminance(c: Color) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            // ((s + 0.055) / 1.055)^2.4 with square roots only: x^0.4 is taken as
            // x^(1/4 + 1/8 + 1/64 + 1/128 + 1/1024 + 1/2048) = x^0.3999.
            let x = (s + 0.055) / 1.055;
            let mut roots = [x; 12];
            for k in 1..12 {
                roots[k] = roots[k - 1].sqrt();
            }
            let x04 = roots[2] * roots[3] * roots[6] * roots[7] * roots[10] * roots[11];
            x * x * x04
        }
    };
    0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
}

/// The WCAG contrast ratio between two colours (1 to 21).
pub fn contrast_ratio(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Black or white text for a label on `fill`, or `None` if neither reaches 4.5:1.
pub fn text_on(fill: Color) -> Option<Color> {
    let white = Color::rgb(0xff, 0xff, 0xff);
    let black = Color::BLACK;
    let (w, b) = (contrast_ratio(white, fill), contrast_ratio(black, fill));
    let (best, ratio) = if w >= b { (white, w) } else { (black, b) };
    (ratio >= 4.5).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_differ_in_lightness() {
        // Neighbouring series stay apart in a greyscale copy.
        for pair in PALETTE.windows(2) {
            let ratio = contrast_ratio(pair[0], pair[1]);
            assert!(ratio >= 1.4, "{pair:?}: {ratio}");
        }
        // The first two (the common case) are far apart.
        assert!(contrast_ratio(PALETTE[0], PALETTE[1]) >= 2.0);
    }

    #[test]
    fn luminance_matches_the_wcag_formula() {
        let white = Color::rgb(255, 255, 255);
        assert!((luminance(white) - 1.0).abs() < 1e-3);
        assert!((contrast_ratio(white, Color::rgb(0, 0, 0)) - 21.0).abs() < 0.05);
        // #767676 on white is the classic 4.54:1.
        let ratio = contrast_ratio(white, Color::rgb(0x76, 0x76, 0x76));
        assert!((ratio - 4.54).abs() < 0.05, "{ratio}");
    }

    #[test]
    fn chart_text_meets_aa() {
        let white = Color::rgb(255, 255, 255);
        assert!(contrast_ratio(Color::GREY, white) >= 4.5);
        assert!(contrast_ratio(Color::BLACK, white) >= 4.5);
        for c in PALETTE {
            if let Some(t) = text_on(c) {
                assert!(contrast_ratio(t, c) >= 4.5);
            }
        }
        assert!(text_on(PALETTE[0]).is_some());
    }
}
