//! Value axes: "nice" tick steps (1, 2 or 5 times a power of ten) and tick labels.
//!
//! Everything here uses `+ - * /`, `floor` and `ceil` only (no `powf`, `log10`), so the
//! same data gives the same axis on every machine.

/// A value axis: its range, its step and the tick values.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// The lowest tick (the start of the axis).
    pub min: f64,
    /// The highest tick (the end of the axis).
    pub max: f64,
    /// The distance between ticks.
    pub step: f64,
    /// Decimal places that show every tick exactly.
    pub decimals: usize,
    /// The tick values, from `min` to `max`.
    pub values: Vec<f64>,
}

impl Ticks {
    /// Where `v` falls on the axis, from 0.0 (`min`) to 1.0 (`max`).
    pub fn fraction(&self, v: f64) -> f64 {
        let span = self.max - self.min;
        if span > 0.0 {
            (v - self.min) / span
        } else {
            0.0
        }
    }
}

/// `10^e` by repeated multiplication (deterministic, exact for small `e`).
fn pow10(e: i32) -> f64 {
    let mut f = 1.0;
    for _ in 0..e.unsigned_abs() {
        f *= 10.0;
    }
    if e < 0 {
        1.0 / f
    } else {
        f
    }
}

/// Ticks covering `lo..=hi` with about `target` intervals. With `zero`, the axis
/// includes 0 (bars must start at a zero baseline).
pub fn nice_ticks(lo: f64, hi: f64, target: usize, zero: bool) -> Ticks {
    let (mut lo, mut hi) =
        if lo.is_finite() && hi.is_finite() && lo <= hi { (lo, hi) } else { (0.0, 1.0) };
    if zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo <= 0.0 {
        // One value: give it some room (or a unit axis for zero).
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.5 };
        if zero && lo >= 0.0 {
            hi += pad;
        } else if zero {
            lo -= pad;
        } else {
            lo -= pad;
            hi += pad;
        }
    }
    let raw = (hi - lo) / target.max(1) as f64;
    // The power of ten at or below `raw`: 10^e <= raw < 10^(e+1).
    let mut e = 0i32;
    while pow10(e + 1) <= raw && e < 300 {
        e += 1;
    }
    while pow10(e) > raw && e > -300 {
        e -= 1;
    }
    let unit = pow10(e);
    let (mantissa, e) = match [1.0, 2.0, 5.0].iter().find(|&&m| m * unit >= raw) {
        Some(&m) => (m, e),
        None => (1.0, e + 1),
    };
    let step = mantissa * pow10(e);
    let decimals = if e < 0 { e.unsigned_abs() as usize } else { 0 };
    let first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    let values: Vec<f64> =
        (first..=last).map(|k| round_to(k as f64 * step, decimals)).collect();
    Ticks {
        min: values.first().copied().unwrap_or(0.0),
        max: values.last().copied().unwrap_or(1.0),
        step,
        decimals,
        values,
    }
}

/// `v` rounded to `decimals` places (clears binary noise such as 0.30000000000000004).
fn round_to(v: f64, decimals: usize) -> f64 {
    let f = pow10(decimals as i32);
    (v * f).round() / f
}

pub use crate::numbers::{format_number, natural_decimals};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        let t = nice_ticks(0.0, 94.8, 5, true);
        assert_eq!(t.step, 20.0);
        assert_eq!(t.values, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let t = nice_ticks(0.0, 650_000.0, 5, true);
        assert_eq!(t.step, 200_000.0);
        assert_eq!(t.max, 800_000.0);
        let t = nice_ticks(0.12, 0.87, 4, false);
        assert_eq!(t.step, 0.2);
        assert_eq!(t.decimals, 1);
        assert_eq!(t.values, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        for (lo, hi) in [(3.0, 7.0), (0.0, 1e9), (-12.0, 55.0), (0.001, 0.004)] {
            let t = nice_ticks(lo, hi, 5, false);
            let m = t.step / pow10(t.step.log10().floor() as i32);
            assert!([1.0, 2.0, 5.0].iter().any(|x| (x - m).abs() < 1e-9), "{t:?}");
            assert!(t.min <= lo && t.max >= hi, "{t:?}");
            assert!(t.values.len() <= 12, "{t:?}");
        }
    }

    #[test]
    fn bars_get_a_zero_baseline() {
        let t = nice_ticks(89.4, 94.8, 5, true);
        assert_eq!(t.min, 0.0);
        let t = nice_ticks(-30.0, -5.0, 5, true);
        assert_eq!(t.max, 0.0);
        assert!(t.min <= -30.0);
        let t = nice_ticks(-7.0, 12.0, 5, true);
        assert!(t.values.contains(&0.0));
    }

    #[test]
    fn degenerate_ranges_still_give_an_axis() {
        let t = nice_ticks(5.0, 5.0, 5, true);
        assert!(t.max >= 5.0 && t.min == 0.0);
        let t = nice_ticks(0.0, 0.0, 5, true);
        assert_eq!((t.min, t.max), (0.0, 1.0));
        let t = nice_ticks(f64::NAN, 3.0, 5, false);
        assert!(t.min.is_finite() && t.max > t.min);
        let t = nice_ticks(7.0, 7.0, 5, false);
        assert!(t.min < 7.0 && t.max > 7.0);
    }

    #[test]
    fn numbers_are_formatted_for_reading() {
        assert_eq!(format_number(650_000.0, 0), "650,000");
        assert_eq!(format_number(-5.4, 1), "\u{2212}5.4");
        assert_eq!(format_number(-0.01, 1), "0.0");
        assert_eq!(format_number(0.30000000000000004, 1), "0.3");
        assert_eq!(natural_decimals(94.8), 1);
        assert_eq!(natural_decimals(2024.0), 0);
    }
}
