//! Total-fit line breaking (Knuth and Plass, "Breaking paragraphs into lines", 1981).
//!
//! Words are boxes; the space after a word is glue that may stretch by half and shrink
//! by a third of its width; the other break opportunities are penalties (a hyphen costs
//! 50 and is "flagged", an emergency break 100, a forced break is free and mandatory).
//! A dynamic programme over (break, fitness class of the line ending there) finds the
//! breaks with the fewest total demerits. Only lines that can fit are considered, so
//! each break looks back over one line's worth of words: linear in the text length.
//! Words of (almost) no width would make "one line's worth" unbounded, so a line holds
//! at most [`MAX_NARROW`] of them (no real line comes near).
//!
//! Badness is `100 r³` with `r` the adjustment ratio, computed by multiplication (no
//! `powf`) so results are identical on every platform.

use super::track::{MAX_TRACK, TRACK_FROM};
use super::words::{After, Word};
use crate::geom::Pt;

/// How lines are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Spaces stretch and shrink so that every line but the last fills the width.
    Justify,
    /// Spaces keep their width; breaks are chosen to keep the ragged edge even.
    Ragged,
}

/// One chosen line: words `start..=end`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Brk {
    /// The first word.
    pub start: usize,
    /// The last word.
    pub end: usize,
    /// The adjustment ratio of the spaces (0 for last lines and in ragged mode).
    pub ratio: f64,
    /// The adjustment ratio of the gaps between letters (emergency stretch: 0 but in
    /// the second pass, see `track`).
    pub track: f64,
    /// The natural width exceeds the width even with spaces shrunk.
    pub overfull: bool,
}

const LINE_PENALTY: f64 = 10.0;
const FLAGGED_DEMERITS: f64 = 3000.0;
const FITNESS_DEMERITS: f64 = 100.0;
/// The ratio given to a line that cannot stretch at all (no spaces) but is short.
const MAX_RATIO: f64 = 10.0;

/// The most words narrower than [`NARROW`] ems (with their space) one line may hold:
/// a run of zero-width words (marks between zero-width spaces) would otherwise make
/// every break look back to the start of the paragraph, which is quadratic.
const MAX_NARROW: usize = 64;

/// A word narrower than this many ems counts against [`MAX_NARROW`].
const NARROW: f64 = 0.05;

/// The adjustment ratio above which a justified line counts as very loose
/// (badness above 1000, spaces stretched to more than twice their width).
pub const LOOSE_RATIO: f64 = 2.16;

fn penalty(after: After) -> f64 {
    match after {
        After::Glue | After::Free | After::Forced | After::End => 0.0,
        After::Dash | After::Hyphen => 50.0,
        After::Emergency => 100.0,
    }
}

fn flagged(after: After) -> bool {
    matches!(after, After::Dash | After::Hyphen)
}

/// `100 r³`, not capped (TeX caps it at 10 000, which makes all very loose lines equally
/// bad; here the worse of two loose lines stays worse).
fn badness(ratio: f64) -> f64 {
    let r = ratio.abs();
    100.0 * r * r * r
}

fn fitness(ratio: f64) -> usize {
    if ratio < -0.5 {
        0
    } else if ratio <= 0.5 {
        1
    } else if ratio <= 1.0 {
        2
    } else {
        3
    }
}

/// Chooses line breaks for `words` in lines of `width`; `em` is the type size (the
/// ragged mode's allowance for the right edge is three ems). With `emergency`, the
/// gaps between letters take a share of a very loose line's slack (`track`).
pub fn breaks(
    words: &[Word],
    width: Pt,
    mode: Mode,
    em: Pt,
    emergency: bool,
) -> Vec<Brk> {
    let n = words.len();
    if n == 0 {
        return vec![];
    }
    // Prefix sums: natural width (boxes + spaces), stretch and shrink of spaces.
    let mut nat = vec![0.0; n + 1];
    let mut stretch = vec![0.0; n + 1];
    let mut shrink = vec![0.0; n + 1];
    let mut letters = vec![0.0; n + 1];
    for (i, w) in words.iter().enumerate() {
        nat[i + 1] = nat[i] + w.width.0 + w.space_width.0;
        let glue = if w.space.is_some() { w.space_width.0 } else { 0.0 };
        stretch[i + 1] = stretch[i] + glue / 2.0 + w.cjk_stretch.0;
        shrink[i + 1] = shrink[i] + glue / 3.0;
        letters[i + 1] = letters[i] + w.letter_stretch.0;
    }
    const INF: f64 = f64::INFINITY;
    // best[k][f]: the fewest demerits for lines ending before word k, the last of
    // fitness f; from[k][f]: where that last line started and its previous fitness.
    let mut best = vec![[INF; 4]; n + 1];
    let mut from = vec![[(0usize, 0usize, 0.0f64, 0.0f64, false); 4]; n + 1];
    best[0][1] = 0.0;
    let width = width.0;
    let narrow_width = NARROW * em.0;
    for j in 0..n {
        let last = matches!(words[j].after, After::End | After::Forced);
        let hyphen =
            if words[j].after == After::Hyphen { words[j].hyphen_width.0 } else { 0.0 };
        let mut narrow = 0;
        for a in (0..=j).rev() {
            if a < j && words[a].after == After::Forced {
                break;
            }
            if words[a].width.0 + words[a].space_width.0 < narrow_width {
                narrow += 1;
                if narrow > MAX_NARROW {
                    break;
                }
            }
            let natural = nat[j + 1] - nat[a] - words[j].space_width.0 + hyphen;
            let (st, sh) = match mode {
                Mode::Justify => (stretch[j] - stretch[a], shrink[j] - shrink[a]),
                Mode::Ragged => (3.0 * em.0, 0.0),
            };
            let diff = width - natural;
            if diff + sh < -0.01 && a < j {
                break;
            }
            let (ratio, overfull) = if diff < 0.0 {
                if sh > 0.0 && diff + sh >= -0.01 {
                    ((diff / sh).max(-1.0), false)
                } else {
                    (-1.0, diff < -0.01)
                }
            } else if last {
                (0.0, false)
            } else if st > 0.0 {
                (diff / st, false)
            } else {
                (MAX_RATIO, false)
            };
            // Beyond TRACK_FROM, the letters share the excess with the spaces.
            let ls = letters[j + 1] - letters[a];
            let (ratio, track) = if emergency
                && mode == Mode::Justify
                && st > 0.0
                && ls > 0.0
                && ratio > TRACK_FROM
            {
                let track = ((diff - TRACK_FROM * st) / (st + ls)).min(MAX_TRACK);
                ((diff - track * ls) / st, track)
            } else {
                (ratio, 0.0)
            };
            let bad = if overfull { 100_000.0 } else { badness(ratio) };
            let f = if mode == Mode::Ragged { 1 } else { fitness(ratio) };
            let p = penalty(words[j].after);
            let mut d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad) + p * p;
            let prev_flagged = a > 0 && flagged(words[a - 1].after);
            if prev_flagged && flagged(words[j].after) {
                d += FLAGGED_DEMERITS;
            }
            for pf in 0..4 {
                if best[a][pf] == INF {
                    continue;
                }
                let gap = f.abs_diff(pf);
                let total =
                    best[a][pf] + d + if gap > 1 { FITNESS_DEMERITS } else { 0.0 };
                if total < best[j + 1][f] {
                    best[j + 1][f] = total;
                    from[j + 1][f] = (a, pf, ratio, track, overfull);
                }
            }
        }
    }
    // Walk back from the best final state.
    let mut f = 0;
    for k in 1..4 {
        if best[n][k] < best[n][f] {
            f = k;
        }
    }
    let mut out = Vec::new();
    let mut k = n;
    while k > 0 {
        let (a, pf, ratio, track, overfull) = from[k][f];
        let ratio = if mode == Mode::Ragged { 0.0 } else { ratio };
        out.push(Brk { start: a, end: k - 1, ratio, track, overfull });
        if a >= k {
            break;
        }
        k = a;
        f = pf;
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::text::words::WordBox;

    fn word(width: f64, space: f64, after: After) -> Word {
        Word {
            boxes: vec![WordBox { piece: 0, range: 0..1 }],
            width: Pt(width),
            space: (space > 0.0).then_some(WordBox { piece: 0, range: 1..2 }),
            space_width: Pt(space),
            hyphen_width: Pt(3.0),
            after,
            cjk_stretch: Pt::ZERO,
            letter_stretch: Pt::ZERO,
        }
    }

    #[test]
    fn lines_cover_the_words_in_order() {
        let mut words: Vec<Word> =
            (0..40).map(|_| word(20.0, 3.0, After::Glue)).collect();
        words.push(word(20.0, 0.0, After::End));
        let brks = breaks(&words, Pt(100.0), Mode::Justify, Pt(10.0), false);
        assert_eq!(brks[0].start, 0);
        for pair in brks.windows(2) {
            assert_eq!(pair[1].start, pair[0].end + 1);
        }
        assert_eq!(brks.last().unwrap().end, 40);
        // Four words and three spaces (89 pt) fit 100 pt; five do not.
        assert!(brks.iter().all(|b| b.end - b.start < 4));
    }

    #[test]
    fn emergency_stretch_spaces_letters_only_in_very_loose_lines() {
        // Three words of `w` pt with 4 pt spaces (2 pt of stretch each) and `l` pt of
        // letter stretch each, then a word too wide to join them: the first line is
        // those three words, 100 pt wide.
        let words = |w: f64, l: f64| {
            let mut words: Vec<Word> = (0..3)
                .map(|_| Word { letter_stretch: Pt(l), ..word(w, 4.0, After::Glue) })
                .collect();
            words.push(word(75.0, 0.0, After::End));
            words
        };
        let first = |words: &[Word], emergency: bool| {
            breaks(words, Pt(100.0), Mode::Justify, Pt(10.0), emergency)[0]
        };
        // 98 pt of 100: a good line keeps its letters as they are.
        let good = first(&words(30.0, 2.0), true);
        assert!((good.ratio - 0.5).abs() < 1e-9 && good.track == 0.0, "{good:?}");
        // 89 pt: the spaces alone would stretch by 11 / 4.
        let plain = first(&words(27.0, 2.0), false);
        assert!((plain.ratio - 2.75).abs() < 1e-9 && plain.track == 0.0, "{plain:?}");
        // Beyond a ratio of 1, 4 pt of spaces' and 6 pt of letters' stretch share the
        // remaining 7 pt: 0.7 each.
        let spaced = first(&words(27.0, 2.0), true);
        assert!((spaced.track - 0.7).abs() < 1e-9, "{spaced:?}");
        assert!((spaced.ratio - 1.7).abs() < 1e-9, "{spaced:?}");
        // Letters that would need more than MAX_TRACK leave the rest to the spaces.
        let capped = first(&words(27.0, 0.1), true);
        assert_eq!(capped.track, MAX_TRACK);
        assert!((capped.ratio - (11.0 - 0.3 * MAX_TRACK) / 4.0).abs() < 1e-9);
    }

    #[test]
    fn a_line_holds_at_most_max_narrow_zero_width_words() {
        let mut words: Vec<Word> = vec![word(5.0, 0.0, After::Free)];
        words.extend((0..1000).map(|_| word(0.0, 0.0, After::Free)));
        words.push(word(5.0, 0.0, After::End));
        let brks = breaks(&words, Pt(100.0), Mode::Justify, Pt(10.0), false);
        assert_eq!(brks.last().unwrap().end, words.len() - 1);
        assert!(brks.len() >= 1000 / MAX_NARROW);
        assert!(brks.iter().all(|b| b.end - b.start < MAX_NARROW + 1));
    }
}
