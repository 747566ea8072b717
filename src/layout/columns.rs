//! Table column widths: the type size at which a table's columns fit, each column's
//! minimum, preferred and natural width, and how the width of the text area is shared
//! between them.

use super::shape::Shaper;
use super::text::{self, Piece};
use crate::geom::Pt;

/// The smallest type size a too-wide table is shrunk to.
pub const MIN_TABLE_SIZE: Pt = Pt(7.0);

/// The width a table's columns need at least: the sum of each column's longest
/// unbreakable piece, measured at one size, plus the cell padding (which does not scale).
#[derive(Debug, Clone, Copy)]
pub struct MinWidth {
    /// The words' part, measured at `size`.
    text: Pt,
    /// The padding's part.
    pad: Pt,
    /// The preferred minimums' part (see `text::preferred_min`), measured at `size`.
    soft: Pt,
    /// The size `text` was measured at.
    size: Pt,
}

impl MinWidth {
    /// Measures `n` columns of `header` and `rows` set at `size`, with `pad_x` on
    /// either side of each cell.
    pub fn measure(
        shaper: &mut Shaper,
        n: usize,
        header: &[Vec<Vec<Piece>>],
        rows: &[Vec<Vec<Piece>>],
        size: Pt,
        pad_x: Pt,
    ) -> Self {
        let n = n.max(1);
        let mut min = vec![Pt::ZERO; n];
        let mut soft = vec![Pt::ZERO; n];
        for row in header.iter().chain(rows) {
            for (i, cell) in row.iter().enumerate().take(n) {
                min[i] = min[i].max(text::measure(shaper, cell).0);
                soft[i] = soft[i].max(text::preferred_min(shaper, cell));
            }
        }
        let pad = pad_x * 2.0 * n as f64;
        Self { text: min.into_iter().sum(), soft: soft.into_iter().sum(), pad, size }
    }

    /// As `size_for`, but for the columns' preferred minimums (CJK names unbroken) if
    /// they fit at 7 pt or more: a smaller size is better than a name broken after
    /// every ideograph. If they do not fit even at 7 pt, 7 pt leaves the names the most
    /// room.
    pub fn preferred_size_for(self, width: Pt) -> Option<Pt> {
        let soft = Self { text: self.soft, ..self };
        match (soft.size_for(width), self.size_for(width)) {
            (Some(size), _) => Some(size),
            (None, Some(size)) if self.soft > self.text => Some(MIN_TABLE_SIZE.min(size)),
            (None, min) => min,
        }
    }

    /// The largest size, at most the measured one and at least 7 pt, at which the columns
    /// fit `width`; `None` if they do not fit even at 7 pt. Glyph widths scale with the
    /// type size, so the words' width is scaled; the result is rounded down to 0.01 pt.
    pub fn size_for(self, width: Pt) -> Option<Pt> {
        if self.text + self.pad <= width {
            return Some(self.size);
        }
        let room = width - self.pad;
        if room <= Pt::ZERO || self.text <= Pt::ZERO {
            return None;
        }
        let size = Pt(((self.size * (room / self.text)).0 * 100.0).floor() / 100.0);
        (size >= MIN_TABLE_SIZE).then_some(size)
    }
}

/// The widths a column can take: at least `min` (its widest unbreakable word), better
/// `soft` (no CJK name broken), at most `max` (no cell broken); `keep` is the part of
/// `min` that is never scaled down (the widest number in a numeric column); `least` is
/// the narrowest the column may be for its text to stay inside it (one character a line).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColWidth {
    /// The widest unbreakable word.
    pub min: Pt,
    /// The widest run of CJK characters (or word), capped.
    pub soft: Pt,
    /// The longest line unbroken.
    pub max: Pt,
    /// The widest number of a numeric column.
    pub keep: Pt,
    /// The padding and the widest character: narrower, text would leave the cell.
    pub least: Pt,
}

/// Distributes `avail` over columns.
///
/// 1. If everything fits at natural width, columns get their natural width.
/// 2. If the preferred minimums fit, each column gets its preferred minimum plus a share
///    of the rest in proportion to how much more it wants.
/// 3. If the minimums fit, each column gets its minimum plus a share of the rest in
///    proportion to how far it is from its preferred minimum.
/// 4. Otherwise numbers keep their width and the rest of the minimums are scaled down
///    (cells then break words), no column below its `least`; only if the numbers alone
///    do not fit are they scaled too, down to the `least`s.
///
/// The caller makes sure the `least`s fit (see `groups`); if they do not, the minimums
/// are scaled to `avail` as a last resort.
pub fn distribute(cols: &[ColWidth], avail: Pt) -> Vec<Pt> {
    let sum = |f: fn(&ColWidth) -> Pt| -> Pt { cols.iter().map(f).sum() };
    let (min, soft, max) = (sum(|c| c.min), sum(|c| c.soft), sum(|c| c.max));
    // Each column from `lo` towards `hi`, by the share `avail` leaves above the `lo`s.
    let between =
        |lo: fn(&ColWidth) -> Pt, hi: fn(&ColWidth) -> Pt, total_lo: Pt, total_hi| {
            let f = (avail - total_lo) / (total_hi - total_lo);
            cols.iter().map(|c| lo(c) + (hi(c) - lo(c)) * f).collect()
        };
    if max <= avail {
        return cols.iter().map(|c| c.max).collect();
    }
    if soft < avail && soft < max {
        return between(|c| c.soft, |c| c.max, soft, max);
    }
    if min < avail && min < soft {
        return between(|c| c.min, |c| c.soft, min, soft);
    }
    let keep = sum(floor_keep);
    if keep < avail && keep < min {
        return between(floor_keep, |c| c.min, keep, min);
    }
    let least = sum(floor);
    if least <= avail && least < keep {
        return between(floor, floor_keep, least, keep);
    }
    let f = if min > Pt::ZERO { avail / min } else { 0.0 };
    cols.iter().map(|c| c.min * f).collect()
}

/// How narrow a column can be: its `least`, or its `min` if that is less (a column of
/// narrow characters).
fn floor(c: &ColWidth) -> Pt {
    c.least.min(c.min)
}

/// How narrow a column can be while words break: its numbers' width, at least `floor`.
fn floor_keep(c: &ColWidth) -> Pt {
    c.keep.min(c.min).max(floor(c))
}

/// Splits the columns into runs of consecutive columns whose `least`s fit `avail`, each
/// of at least one column: a table with more columns than a page can hold is set in
/// parts, one after another. One part (all columns) if they fit.
pub fn groups(cols: &[ColWidth], avail: Pt) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut used) = (0, Pt::ZERO);
    for (i, c) in cols.iter().enumerate() {
        if i > start && used + floor(c) > avail {
            out.push(start..i);
            (start, used) = (i, Pt::ZERO);
        }
        used += floor(c);
    }
    out.push(start..cols.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns with no CJK runs and no numbers: min, max.
    fn plain(cols: &[(f64, f64)]) -> Vec<ColWidth> {
        cols.iter()
            .map(|&(lo, hi)| ColWidth {
                min: Pt(lo),
                soft: Pt(lo),
                max: Pt(hi),
                keep: Pt::ZERO,
                least: Pt::ZERO,
            })
            .collect()
    }

    #[test]
    fn natural_widths_when_they_fit() {
        let w = distribute(&plain(&[(10.0, 30.0), (20.0, 40.0)]), Pt(100.0));
        assert_eq!(w, vec![Pt(30.0), Pt(40.0)]);
    }

    #[test]
    fn shares_the_rest_between_min_and_max() {
        let w = distribute(&plain(&[(10.0, 110.0), (10.0, 30.0)]), Pt(80.0));
        let total: Pt = w.iter().copied().sum();
        assert!((total.0 - 80.0).abs() < 1e-9);
        assert!(w[0] > w[1]);
        assert!(w[0] >= Pt(10.0) && w[1] >= Pt(10.0));
    }

    #[test]
    fn scales_minimums_when_too_narrow() {
        let w = distribute(&plain(&[(60.0, 100.0), (60.0, 100.0)]), Pt(90.0));
        assert_eq!(w, vec![Pt(45.0), Pt(45.0)]);
    }

    #[test]
    fn numbers_keep_their_width_when_words_must_break() {
        // A text column (min 60) and a numeric one whose numbers need 50: in 90 pt the
        // text column gives way.
        let mut cols = plain(&[(60.0, 100.0), (50.0, 100.0)]);
        cols[1].keep = Pt(50.0);
        let w = distribute(&cols, Pt(90.0));
        assert!((w[1].0 - 50.0).abs() < 1e-9, "{w:?}");
        assert!((w[0].0 - 40.0).abs() < 1e-9, "{w:?}");
    }

    #[test]
    fn a_cjk_name_gets_its_preferred_width_before_others_grow() {
        // A Chinese name (one ideograph 10, the name 50) beside a text column that
        // wants 200 but can break at 60.
        let mut cols = plain(&[(10.0, 50.0), (60.0, 200.0)]);
        cols[0].soft = Pt(50.0);
        let w = distribute(&cols, Pt(130.0));
        assert!((w[0].0 - 50.0).abs() < 1e-9, "{w:?}");
        // Below the preferred widths, both move from their minimums together.
        let w = distribute(&cols, Pt(90.0));
        assert!(w[0] > Pt(10.0) && w[0] < Pt(50.0), "{w:?}");
    }

    #[test]
    fn no_column_is_narrower_than_its_least() {
        // Thirty columns of long words and one of numbers in 300 pt: the numbers keep
        // their 40 pt while they can, but no text column falls below its 15 pt.
        let mut cols = plain(&[(500.0, 600.0); 30]);
        cols.iter_mut().for_each(|c| c.least = Pt(15.0));
        let mut number = plain(&[(40.0, 40.0)])[0];
        number.keep = Pt(40.0);
        number.least = Pt(15.0);
        cols.push(number);
        let w = distribute(&cols, Pt(480.0));
        let total: Pt = w.iter().copied().sum();
        assert!((total.0 - 480.0).abs() < 1e-6, "{total:?}");
        assert!(w.iter().all(|&w| w >= Pt(15.0) - Pt(1e-9)), "{w:?}");
        assert!(w[30] < Pt(40.0) && w[30] > Pt(15.0), "{w:?}");
        let w = distribute(&cols, Pt(31.0 * 15.0));
        assert!(w.iter().all(|&w| (w.0 - 15.0).abs() < 1e-9), "{w:?}");
    }

    #[test]
    fn columns_too_many_for_the_width_are_set_in_parts() {
        let mut cols = plain(&[(500.0, 600.0); 7]);
        cols.iter_mut().for_each(|c| c.least = Pt(15.0));
        let parts = groups(&cols, Pt(50.0));
        assert_eq!(parts, vec![0..3, 3..6, 6..7]);
        for part in parts {
            let w = distribute(&cols[part], Pt(50.0));
            assert!(w.iter().all(|&w| w >= Pt(15.0)), "{w:?}");
        }
        assert_eq!(groups(&cols, Pt(200.0)), vec![0..7]);
        assert_eq!(groups(&cols, Pt(5.0)).len(), 7, "one column a part at least");
    }

    #[test]
    fn a_table_shrinks_to_fit_and_no_further_than_7_pt() {
        let need =
            MinWidth { text: Pt(200.0), soft: Pt(200.0), pad: Pt(40.0), size: Pt(10.0) };
        assert_eq!(need.size_for(Pt(240.0)), Some(Pt(10.0)));
        assert_eq!(need.size_for(Pt(500.0)), Some(Pt(10.0)), "never enlarged");
        // 180 pt for the words: 9 pt type.
        assert_eq!(need.size_for(Pt(220.0)), Some(Pt(9.0)));
        assert_eq!(need.size_for(Pt(180.0)), Some(Pt(7.0)));
        assert_eq!(need.size_for(Pt(179.0)), None);
        assert_eq!(need.size_for(Pt(30.0)), None);
    }
}
