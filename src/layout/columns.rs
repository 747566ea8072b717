//! Table column widths: each column's minimum, preferred and natural width, and how the
//! width of the text area is shared between them.

use super::units::Pt;

/// The widths a column can take: at least `min` (its widest unbreakable word), better
/// `soft` (no CJK name broken), at most `max` (no cell broken); `keep` is the part of
/// `min` that is never scaled down (the widest number in a numeric column).
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
}

/// Distributes `avail` over columns.
///
/// 1. If everything fits at natural width, columns get their natural width.
/// 2. If the preferred minimums fit, each column gets its preferred minimum plus a share
///    of the rest in proportion to how much more it wants.
/// 3. If the minimums fit, each column gets its minimum plus a share of the rest in
///    proportion to how far it is from its preferred minimum.
/// 4. Otherwise numbers keep their width and the rest of the minimums are scaled down
///    (cells then break words); only if the numbers alone do not fit are they scaled too.
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
    let keep = sum(|c| c.keep.min(c.min));
    if keep < avail && keep < min {
        return between(|c| c.keep.min(c.min), |c| c.min, keep, min);
    }
    let f = if min > Pt::ZERO { avail / min } else { 0.0 };
    cols.iter().map(|c| c.min * f).collect()
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
}
