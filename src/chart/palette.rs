//! Series colours that stay apart in greyscale print and for colour-blind readers, and
//! contrast checks for text.
//!
//! The first four colours step through lightness (dark navy, mid brown, light blue, pale
//! sand), so a greyscale copy separates the common charts well; the fifth and sixth
//! (near-black brown, purple) sit between them. Every pair of the six differs in
//! greyscale by a contrast ratio of at least 1.3 and in colour by a CIELAB distance of
//! at least 20, for normal vision and as protanopes, deuteranopes and tritanopes see
//! it (checked in the tests). Line charts also give each series its own dash pattern
//! and marker shape. A chart with more than [`MAX_SERIES`] series is shown as a table.
//! Text on a bar is black or white, whichever meets WCAG AA.

use crate::geom::{Color, Pt};
use crate::model::MAX_SERIES;

/// The series colours, in the order series get them.
pub const PALETTE: [Color; MAX_SERIES] = [
    Color::rgb(0x1b, 0x3a, 0x6b),
    Color::rgb(0xb3, 0x59, 0x00),
    Color::rgb(0x7e, 0xa6, 0xd6),
    Color::rgb(0xd9, 0xc2, 0x7a),
    Color::rgb(0x2d, 0x0f, 0x00),
    Color::rgb(0x7d, 0x3f, 0xb5),
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
    /// A filled triangle pointing down.
    TriangleDown,
    /// A filled plus sign.
    Cross,
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

/// The style of series `i`: each of the first [`MAX_SERIES`] has its own colour, dash
/// pattern and marker (charts with more are shown as tables; past it, styles repeat).
pub fn series_style(i: usize) -> SeriesStyle {
    let i = i % MAX_SERIES;
    let dash = [
        None,
        Some((Pt(4.0), Pt(2.0))),
        Some((Pt(1.2), Pt(1.6))),
        Some((Pt(6.0), Pt(2.0))),
        Some((Pt(2.0), Pt(2.0))),
        Some((Pt(9.0), Pt(2.5))),
    ][i];
    let marker = [
        MarkerShape::Circle,
        MarkerShape::Square,
        MarkerShape::Triangle,
        MarkerShape::Diamond,
        MarkerShape::TriangleDown,
        MarkerShape::Cross,
    ][i];
    SeriesStyle { color: PALETTE[i], dash, marker }
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

    /// sRGB → linear RGB, for the colour-vision checks (test code: `powf` is fine here).
    fn linear(c: Color) -> [f64; 3] {
        [c.r, c.g, c.b].map(|v| {
            let s = f64::from(v) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        })
    }

    /// Linear RGB → CIELAB (D65).
    fn lab([r, g, b]: [f64; 3]) -> [f64; 3] {
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| if t > 0.008856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
        [116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))]
    }

    /// How a reader with full protanopia, deuteranopia or tritanopia sees a linear RGB
    /// colour (Machado, Oliveira and Fernandes 2009, severity 1.0).
    const DICHROMACY: [[[f64; 3]; 3]; 3] = [
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ],
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ],
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ],
    ];

    #[test]
    fn every_series_is_distinct_in_greyscale_and_for_colour_blind_readers() {
        let seen = |c: Color, m: Option<&[[f64; 3]; 3]>| {
            let l = linear(c);
            lab(match m {
                None => l,
                Some(m) => [0, 1, 2].map(|i| {
                    (m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]).clamp(0.0, 1.0)
                }),
            })
        };
        let views =
            [None, Some(&DICHROMACY[0]), Some(&DICHROMACY[1]), Some(&DICHROMACY[2])];
        for i in 0..MAX_SERIES {
            for j in i + 1..MAX_SERIES {
                let (a, b) = (series_style(i), series_style(j));
                let grey = contrast_ratio(a.color, b.color);
                assert!(grey >= 1.3, "series {i} and {j} in greyscale: {grey:.2}");
                for (v, m) in views.iter().enumerate() {
                    let (p, q) = (seen(a.color, *m), seen(b.color, *m));
                    let de = ((p[0] - q[0]).powi(2)
                        + (p[1] - q[1]).powi(2)
                        + (p[2] - q[2]).powi(2))
                    .sqrt();
                    assert!(de >= 20.0, "series {i} and {j}, view {v}: ΔE {de:.1}");
                }
                // Lines differ in dash pattern and marker too.
                assert_ne!(a.dash, b.dash, "series {i} and {j}");
                assert_ne!(a.marker, b.marker, "series {i} and {j}");
            }
        }
    }

    #[test]
    fn series_differ_in_lightness() {
        // Neighbouring series of the common charts stay well apart in a greyscale copy.
        for pair in PALETTE[..4].windows(2) {
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
