//! Letter spacing as emergency stretch.
//!
//! A justified line can only be as good as its break points allow: between a line that
//! ends before a long word that nothing divides (`freight`, `toshkent`) and one that
//! takes it, there may be nothing, and then the spaces of the shorter line stretch past
//! twice their width. TeX's `\emergencystretch` only makes such a line acceptable to
//! the line breaker; it is set just as loose. pdfTeX's font expansion and InDesign's
//! letter spacing take up part of the slack inside the words instead. We do the latter,
//! as a second pass:
//!
//! 1. A paragraph is broken as usual. If no line is very loose, that is the result, so
//!    every other paragraph is set exactly as before.
//! 2. Otherwise it is broken again, and a line whose spaces would stretch past
//!    [`TRACK_FROM`] (150 % of their width, what TeX calls a very loose line) lets
//!    every gap between two letters of a word take [`LETTER_STRETCH`] ems of stretch
//!    per unit of adjustment ratio beyond that: the spaces and the letters share the
//!    excess, the letters up to [`MAX_TRACK`]. At the worst lines of the benchmarks
//!    that is 0.02 em between letters, with the spaces at 200 % instead of 260 %.
//!
//! Only letters of alphabetic scripts set apart by spaces (Latin, Greek, Cyrillic) are
//! spaced: code keeps its fixed pitch, joined scripts would tear, and CJK text has a
//! stretch of its own between characters. A line without spaces is never letter-spaced.

use std::sync::Arc;

use super::super::frame::{Glyph, GlyphRun};
use super::super::shape::{Role, Shaped, Shaper, TextStyle};
use super::words::{After, Joined, Word};
use super::Piece;
use crate::geom::Pt;

/// The stretch of one gap between letters, in ems, per unit of adjustment ratio.
pub const LETTER_STRETCH: f64 = 0.02;

/// The adjustment ratio of the spaces beyond which, in the second pass, the letters
/// take a share of the slack.
pub const TRACK_FROM: f64 = 1.0;

/// The most the letters' adjustment ratio may be: gaps between letters grow by at most
/// 0.03 em (0.3 pt in 10 pt type), beyond which letter-spaced words start to look
/// spaced out; a line that needs more has its spaces stretched further, and is
/// reported.
pub const MAX_TRACK: f64 = 1.5;

/// Whether the gap after a glyph standing for `text` may be widened: it is a letter or
/// digit of an alphabetic script written with spaces.
pub fn trackable(text: &str) -> bool {
    text.chars().next().is_some_and(|c| {
        c.is_alphanumeric()
            && matches!(c as u32,
                0..=0x052F | 0x1C80..=0x1C8F | 0x1E00..=0x1FFF | 0x2C60..=0x2C7F
                | 0x2DE0..=0x2DFF | 0xA640..=0xA69F | 0xA720..=0xA7FF)
    })
}

/// Sets the letter stretch of `words` (of `pieces`, joined in `joined`): one gap per
/// letter, but none after the last letter of a word (before a space, a break without
/// one, or the end). Only a paragraph broken a second time needs it.
pub fn measure(
    shaper: &mut Shaper,
    pieces: &[Piece],
    joined: &Joined,
    words: &mut [Word],
) {
    for word in words {
        let mut total = Pt::ZERO;
        for b in &word.boxes {
            let style = &pieces[b.piece].style;
            // The words were shaped box by box: these are cache hits.
            total += stretch(&shaper.shape(&joined.text[b.range.clone()], style), style);
        }
        let ends =
            matches!(word.after, After::Glue | After::Free | After::Forced | After::End);
        if let Some(b) = word.boxes.last().filter(|_| ends) {
            let last = joined.text[b.range.clone()].chars().next_back();
            total -= last_gap(last, &pieces[b.piece].style);
        }
        word.letter_stretch = total.max(Pt::ZERO);
    }
}

/// The stretch the letters of `shaped` (text in `style`) offer: one gap per letter.
fn stretch(shaped: &Shaped, style: &TextStyle) -> Pt {
    if style.role == Role::Mono {
        return Pt::ZERO;
    }
    let letters = shaped
        .runs
        .iter()
        .flat_map(|r| r.glyphs.iter())
        .filter(|g| trackable(&g.text))
        .count();
    style.size * (LETTER_STRETCH * letters as f64)
}

/// The stretch of one gap after a word's last character `last`, in `style` (what
/// [`stretch`] counted for it, if anything).
fn last_gap(last: Option<char>, style: &TextStyle) -> Pt {
    let mut buf = [0; 4];
    match last {
        Some(c) if style.role != Role::Mono && trackable(c.encode_utf8(&mut buf)) => {
            style.size * LETTER_STRETCH
        }
        _ => Pt::ZERO,
    }
}

/// `shaped` with every gap between letters widened by `ratio` times its stretch in
/// `style`; the gap after the last glyph too unless `word_ends` (a space or the end of
/// the line follows). `None` if nothing changes.
pub fn spaced(
    shaped: &Shaped,
    style: &TextStyle,
    ratio: f64,
    word_ends: bool,
) -> Option<Arc<Shaped>> {
    if ratio <= 0.0 || style.role == Role::Mono {
        return None;
    }
    let extra = style.size * (LETTER_STRETCH * ratio);
    let total: usize = shaped.runs.iter().map(|r| r.glyphs.len()).sum();
    let mut seen = 0;
    let mut changed = false;
    let runs: Vec<GlyphRun> = shaped
        .runs
        .iter()
        .map(|run| {
            let glyphs: Vec<Glyph> = run
                .glyphs
                .iter()
                .map(|g| {
                    seen += 1;
                    let last = seen == total;
                    if trackable(&g.text) && !(last && word_ends) {
                        changed = true;
                        Glyph { advance: g.advance + extra, ..g.clone() }
                    } else {
                        g.clone()
                    }
                })
                .collect();
            GlyphRun { glyphs: glyphs.into(), ..run.clone() }
        })
        .collect();
    if !changed {
        return None;
    }
    let width = runs.iter().map(GlyphRun::width).sum();
    Some(Arc::new(Shaped { runs, width, missing: shaped.missing.clone() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_of_spaced_scripts_are_trackable() {
        for t in ["a", "Ж", "ʻ", "é", "7", "ά", "ffi"] {
            assert!(trackable(t), "{t}");
        }
        for t in ["", " ", "-", ",", "中", "ب", "\u{AD}"] {
            assert!(!trackable(t), "{t:?}");
        }
    }
}
