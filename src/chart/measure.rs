//! Measuring chart text: the PDF side passes its shaper; SVG uses the bundled Noto Sans
//! advance widths, which readers without the font approximate with their sans-serif.

use crate::layout::Pt;

/// Measures the width of a line of text in the chart's (sans-serif) family.
pub trait Measure {
    /// The advance width of `text` at `size`, regular or bold.
    fn width(&mut self, text: &str, size: Pt, bold: bool) -> Pt;
}

/// Advance widths of Noto Sans Regular for U+0020–U+007E, in 1/1000 em.
const REGULAR: [u16; 95] = [
    260, 269, 408, 646, 572, 831, 732, 225, 300, 300, 551, 572, 268, 322, 268, 372, 572,
    572, 572, 572, 572, 572, 572, 572, 572, 572, 268, 268, 572, 572, 572, 434, 899, 639,
    650, 632, 730, 556, 519, 728, 741, 339, 273, 619, 524, 907, 760, 781, 605, 781, 622,
    549, 556, 731, 600, 930, 586, 566, 572, 329, 372, 329, 572, 444, 281, 561, 615, 480,
    615, 564, 344, 615, 618, 258, 258, 534, 258, 935, 618, 605, 615, 615, 413, 479, 361,
    618, 508, 786, 529, 510, 470, 380, 551, 380, 572,
];

/// Advance widths of Noto Sans Bold for U+0020–U+007E, in 1/1000 em.
const BOLD: [u16; 95] = [
    260, 286, 472, 646, 572, 901, 750, 266, 339, 339, 545, 572, 285, 322, 285, 413, 572,
    572, 572, 572, 572, 572, 572, 572, 572, 572, 285, 285, 572, 572, 572, 477, 897, 690,
    672, 637, 740, 560, 549, 724, 765, 389, 331, 664, 565, 943, 813, 796, 628, 796, 660,
    551, 579, 756, 650, 967, 667, 624, 579, 331, 413, 331, 572, 411, 362, 604, 633, 514,
    633, 591, 387, 633, 657, 305, 305, 620, 305, 982, 657, 619, 633, 633, 454, 497, 434,
    657, 569, 856, 578, 569, 488, 394, 551, 394, 572,
];

/// Text widths from the Noto Sans metrics table (other characters count as 0.6 em,
/// CJK ideographs as 1 em).
#[derive(Debug, Clone, Copy, Default)]
pub struct NotoSansMetrics;

impl Measure for NotoSansMetrics {
    fn width(&mut self, text: &str, size: Pt, bold: bool) -> Pt {
        let table = if bold { &BOLD } else { &REGULAR };
        let units: u32 = text
            .chars()
            .map(|c| match c as u32 {
                cp @ 0x20..=0x7e => u32::from(table[(cp - 0x20) as usize]),
                0x2212 | 0x2013 => 572,
                0x2014 => 1000,
                0x3000..=0x9fff | 0xac00..=0xd7af | 0xff00..=0xffef => 1000,
                _ => 600,
            })
            .sum();
        size * (f64::from(units) / 1000.0)
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
